package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/transport"
)

// MaxManifestBytes is the most a manifest or an image config may hold: the
// limit the OCI distribution specification asks registries to accept for
// manifests. Larger ones are refused, naming their size.
const MaxManifestBytes = 4 << 20

// acceptManifests lists every manifest media type, indexes first, so that
// a multi-platform tag answers with its index: without the index types
// Docker Hub answers a HEAD with the linux/amd64 manifest's digest
// (opencontainers/distribution-spec#207), without the OCI types Docker Hub,
// GHCR, GitLab and ACR answer 404 for an OCI index
// (cloudfoundry/dockerapplifecycle#13), and Quay converts to schema 1
// (updatecli/updatecli#605). Schema 1 comes last, for the registries that
// still hold such images.
var acceptManifests = strings.Join([]string{
	string(types.OCIImageIndex),
	string(types.DockerManifestList),
	string(types.OCIManifestSchema1),
	string(types.DockerManifestSchema2),
	string(types.DockerManifestSchema1Signed),
	string(types.DockerManifestSchema1),
}, ", ")

// createdAnnotation is the OCI annotation of an image's creation time.
const createdAnnotation = "org.opencontainers.image.created"

// manifestFacts is what the client keeps of a manifest: its digest and
// what a resolve asks of it, never its body.
type manifestFacts struct {
	digest    string
	mediaType types.MediaType
	// entries are an index's manifests.
	entries []entry
	// config is an image manifest's config.
	config v1.Hash
	// created is the created annotation, "" when there is none.
	created string
}

// entry is an index's manifest: its digest, media type and platform.
type entry struct {
	digest    v1.Hash
	mediaType types.MediaType
	platform  *v1.Platform
}

// configFacts is what the client keeps of an image config.
type configFacts struct {
	platform v1.Platform
	created  time.Time
}

// cachedManifest GETs a manifest by tag or digest, once per Client. A
// manifest asked for by digest must have that digest (rawManifest).
func (c *Client) cachedManifest(ctx context.Context, s *session, ref string) (*manifestFacts, error) {
	m, _, err := c.manifests.Get(ctx, s.repo.Key()+"@"+ref, func(ctx context.Context) (*manifestFacts, error) {
		return s.manifest(ctx, ref)
	})
	return m, err
}

// cachedConfig reads an image config, once per Client.
func (c *Client) cachedConfig(ctx context.Context, s *session, digest v1.Hash) (*configFacts, error) {
	cfg, _, err := c.configs.Get(ctx, s.repo.Key()+"@"+digest.String(), func(ctx context.Context) (*configFacts, error) {
		cfg, err := s.config(ctx, digest)
		if err != nil {
			return nil, fmt.Errorf("cannot read the image's config: %w", err)
		}
		return cfg, nil
	})
	return cfg, err
}

// manifest GETs the manifest of a tag (or digest), hashes its bytes and
// keeps its facts.
func (s *session) manifest(ctx context.Context, ref string) (*manifestFacts, error) {
	raw, contentType, err := s.rawManifest(ctx, ref, acceptManifests)
	if err != nil {
		return nil, err
	}
	return parseManifest(raw, contentType)
}

// parseManifest reads the facts of a manifest's bytes.
func parseManifest(raw []byte, contentType string) (*manifestFacts, error) {
	var parsed struct {
		MediaType types.MediaType `json:"mediaType"`
		Manifests []struct {
			MediaType types.MediaType `json:"mediaType"`
			Digest    v1.Hash         `json:"digest"`
			Platform  *v1.Platform    `json:"platform"`
		} `json:"manifests"`
		Config *struct {
			Digest v1.Hash `json:"digest"`
		} `json:"config"`
		Annotations map[string]string `json:"annotations"`
	}
	if err := json.Unmarshal(raw, &parsed); err != nil {
		return nil, fmt.Errorf("the manifest is not valid JSON: %w", err)
	}
	m := &manifestFacts{digest: sha256Digest(raw), created: parsed.Annotations[createdAnnotation]}
	m.mediaType = types.MediaType(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	if parsed.MediaType != "" {
		m.mediaType = parsed.MediaType
	} else if len(parsed.Manifests) > 0 && !m.mediaType.IsIndex() {
		m.mediaType = types.OCIImageIndex
	}
	for _, d := range parsed.Manifests {
		m.entries = append(m.entries, entry{digest: d.Digest, mediaType: d.MediaType, platform: d.Platform})
	}
	if parsed.Config != nil {
		m.config = parsed.Config.Digest
	}
	return m, nil
}

// config GETs an image config blob, checks its digest and keeps its facts.
func (s *session) config(ctx context.Context, digest v1.Hash) (*configFacts, error) {
	raw, err := s.blob(ctx, digest, "the image config "+digest.String())
	if err != nil {
		return nil, err
	}
	file, err := v1.ParseConfigFile(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("the image's config is not valid: %w", err)
	}
	return &configFacts{platform: configPlatform(file), created: file.Created.UTC()}, nil
}

// configPlatform is the platform an image's config names.
func configPlatform(cfg *v1.ConfigFile) v1.Platform {
	if p := cfg.Platform(); p != nil {
		return *p
	}
	return v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}
}

// headDigest reads a tag's digest with a HEAD request, which Docker Hub
// does not count as a pull, falling back to one GET of the manifest.
func (c *Client) headDigest(ctx context.Context, s *session, tag string) (string, error) {
	resp, err := s.send(ctx, http.MethodHead, s.url("manifests/"+tag), acceptManifests)
	if err != nil {
		return "", err
	}
	_ = resp.Body.Close()
	html := strings.Contains(strings.ToLower(resp.Header.Get("Content-Type")), "html")
	fields := map[string]any{"image": s.repo.Name, "tag": tag}
	switch {
	case resp.StatusCode == http.StatusMethodNotAllowed:
		// Artifact Registry and GitHub Enterprise refuse HEAD on manifests
		// (goharbor/harbor#22021, containerd/containerd#5860).
		c.log(ctx, "HEAD refused; reading the manifest", fields)
	case resp.StatusCode == http.StatusNotFound && html:
		// Old Nexus answers HEAD with an HTML 404 while GET works
		// (andrey-pohilko/registry-cli#14).
		c.log(ctx, "HEAD answered with an HTML 404; reading the manifest", fields)
	default:
		if err := s.check(resp); err != nil {
			return "", err
		}
		if h := resp.Header.Get("Docker-Content-Digest"); h != "" {
			d, err := v1.NewHash(h)
			if err != nil {
				return "", fmt.Errorf("the registry sent a malformed Docker-Content-Digest header %q: %w", transport.Clean(h), err)
			}
			return d.String(), nil
		}
		// Red Hat's registries, old ECR and Nexus on PostgreSQL send none
		// (containerd/containerd#3238, hashicorp/terraform-provider-docker#186).
		c.log(ctx, "HEAD gave no digest; reading the manifest", fields)
	}
	m, err := c.cachedManifest(ctx, s, tag)
	if err != nil {
		return "", err
	}
	return m.digest, nil
}

// chooseImage returns the index's entry for platform, or without one the
// first entry that is not an attestation (unknown/unknown); nil when there
// is none.
func (m *manifestFacts) chooseImage(p *names.Platform) *entry {
	for i := range m.entries {
		e := &m.entries[i]
		switch {
		case p != nil && e.platform != nil && p.Matches(*e.platform):
			return e
		case p == nil && (e.platform == nil || e.platform.OS != "unknown"):
			return e
		}
	}
	return nil
}

// maxPlatformsNamed is the most platforms an error names.
const maxPlatformsNamed = 10

// platforms names the platforms of an index's images (not its
// attestations), cleaned, at most maxPlatformsNamed of them and a count
// of the rest.
func (m *manifestFacts) platforms() []string {
	var out []string
	rest := 0
	for _, e := range m.entries {
		if e.platform == nil || e.platform.OS == "unknown" {
			continue
		}
		if len(out) == maxPlatformsNamed {
			rest++
			continue
		}
		out = append(out, transport.Clean(names.DescribePlatform(e.platform)))
	}
	if rest > 0 {
		out = append(out, fmt.Sprintf("and %d more", rest))
	}
	return out
}
