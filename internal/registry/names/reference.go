package names

import (
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Reference is an image reference as written in `docker pull`, parsed:
// nginx:1.27.3@sha256:….
type Reference struct {
	// Registry is the registry host in canonical spelling (CanonicalHost):
	// "docker.io" for Docker Hub, whatever alias the reference used.
	Registry string
	// Repository is the path inside the registry ("library/nginx").
	Repository string
	// Tag and Digest are "" when the reference has none; no "latest" is
	// assumed.
	Tag, Digest string
}

// ParseReference parses an image reference: a repository as Parse
// takes it, then optionally ":<tag>" and "@<digest>".
func ParseReference(ref string) (Reference, error) {
	rest := ref
	var out Reference
	if i := strings.IndexByte(rest, '@'); i >= 0 {
		d, err := v1.NewHash(rest[i+1:])
		if err != nil {
			return Reference{}, fmt.Errorf("reference %q has a malformed digest %q: write it as sha256: and 64 hex digits", ref, rest[i+1:])
		}
		out.Digest, rest = d.String(), rest[:i]
	}
	if i := strings.LastIndexByte(rest, ':'); i > strings.LastIndexByte(rest, '/') {
		out.Tag, rest = rest[i+1:], rest[:i]
		if !ValidTag(out.Tag) {
			return Reference{}, fmt.Errorf("reference %q has the tag %q, which is not a valid tag: %s", ref, out.Tag, tagRule)
		}
	}
	img, err := Parse(rest, "")
	if err != nil {
		return Reference{}, fmt.Errorf("reference %q: %w", ref, err)
	}
	out.Registry, out.Repository = img.Registry, img.Path
	return out, nil
}
