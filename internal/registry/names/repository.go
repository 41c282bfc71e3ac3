package names

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// pathComponent is one part of a repository path, as the OCI distribution
// specification defines it.
var pathComponent = regexp.MustCompile(`^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$`)

// Repository is a repository named the way a user wrote it (the `image`
// argument), with the registry host kept apart and Docker Hub's defaults
// applied.
type Repository struct {
	// Name is the image as the user spelled it: "<registry>/<image>" when the
	// registry was given separately, else the image as written. Outputs use it.
	Name string
	// Registry is the registry host in canonical spelling (CanonicalHost):
	// "docker.io" for Docker Hub.
	Registry string
	// Path is the path inside the registry ("library/nginx").
	Path string
}

// String returns the image as the user spelled it.
func (r Repository) String() string { return r.Name }

// On returns the same repository on another host (a mirror).
func (r Repository) On(host string) Repository {
	return Repository{Name: r.Name, Registry: host, Path: r.Path}
}

// Key names the repository in caches: its registry and path.
func (r Repository) Key() string { return r.Registry + "/" + r.Path }

// Parse parses image (a repository as written in `docker pull`, without
// tag or digest) and registry (a host kept apart, or ""). A first path part
// that holds a "." or a ":", or is "localhost", is a registry host; no host
// means Docker Hub, where a one-part name means "library/<name>".
func Parse(image, registry string) (Repository, error) {
	if strings.TrimSpace(image) == "" {
		return Repository{}, fmt.Errorf("image is empty: give a repository such as \"nginx\" or \"ghcr.io/acme/app\"")
	}
	if image != strings.TrimSpace(image) {
		return Repository{}, fmt.Errorf("image %q has leading or trailing whitespace: remove it", image)
	}
	if strings.Contains(image, "://") {
		return Repository{}, fmt.Errorf("image %q holds a URL scheme: write the repository as in `docker pull`, without %q", image, image[:strings.Index(image, "://")+3])
	}
	if i := strings.IndexByte(image, '@'); i >= 0 {
		return Repository{}, fmt.Errorf("image %q holds a digest (%s): remove it; the digest is read from the registry", image, image[i:])
	}
	parts := strings.Split(image, "/")
	last := parts[len(parts)-1]
	if i := strings.IndexByte(last, ':'); i >= 0 {
		return Repository{}, &TagInImageError{Image: image, Tag: last[i:]}
	}
	hasHost := len(parts) > 1 && isHost(parts[0])
	if hasHost {
		if err := CheckRegistryHost(parts[0]); err != nil {
			return Repository{}, fmt.Errorf("image %q: %w", image, err)
		}
	}

	display := image
	if registry != "" {
		if err := CheckRegistryHost(registry); err != nil {
			return Repository{}, err
		}
		if hasHost {
			return Repository{}, fmt.Errorf("image %q already names the registry host %q, and registry is set to %q: set only one of them", image, parts[0], registry)
		}
		display = registry + "/" + image
	}
	path := parts
	if hasHost {
		path = parts[1:]
	}
	for _, component := range path {
		if !pathComponent.MatchString(component) {
			return Repository{}, fmt.Errorf("image %q is not a valid repository name: each part between slashes must be lower-case letters and digits, joined by '.', '_', '__' or '-' (part %q is not)", display, component)
		}
	}
	host := DockerHub
	if hasHost {
		host = CanonicalHost(parts[0])
	} else if registry != "" {
		host = CanonicalHost(registry)
	}
	repoPath := strings.Join(path, "/")
	if host == DockerHub && len(path) == 1 {
		repoPath = "library/" + repoPath
	}
	if _, err := name.NewRepository(APIHost(host) + "/" + repoPath); err != nil {
		return Repository{}, fmt.Errorf("image %q is not a valid repository name: %w", display, err)
	}
	return Repository{Name: display, Registry: host, Path: repoPath}, nil
}

func isHost(part string) bool {
	return strings.EqualFold(part, "localhost") || strings.ContainsAny(part, ".:")
}
