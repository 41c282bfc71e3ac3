package registry

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

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

// ManifestDigest is a tag's manifest digest and where it was read.
type ManifestDigest struct {
	// Digest is "sha256:…".
	Digest string
	// Mirror is the mirror that answered, "" when the registry itself did.
	Mirror string
}

// Digest returns the manifest digest of image:tag (for a multi-platform
// image, the index's), from the registry or, when it cannot answer, one of
// its mirrors. It is read with a HEAD request, which Docker Hub does not
// count as a pull; a registry that answers HEAD with 405 or with an HTML
// 404, or without a Docker-Content-Digest header, gets one GET, and the
// digest is the SHA-256 of the manifest bytes.
func (c *Client) Digest(ctx context.Context, img Image, tag string) (*ManifestDigest, error) {
	return c.digest(ctx, img, tag, "", true, func(ctx context.Context, on Image) (string, error) {
		return c.headDigest(ctx, on, tag)
	})
}

// ListedDigest returns the digest of a tag of list, read as Digest reads
// it but from the host that listed the tags and no other: a mirror's list
// and the registry's digests may disagree.
func (c *Client) ListedDigest(ctx context.Context, img Image, list *TagList, tag string) (string, error) {
	img = list.listedOn(img)
	d, err := c.digest(ctx, img, tag, "", false, func(ctx context.Context, on Image) (string, error) {
		return c.headDigest(ctx, on, tag)
	})
	if err != nil {
		return "", err
	}
	return d.Digest, nil
}

// PlatformDigest returns the digest of the manifest for platform p inside
// image:tag. For a multi-platform index that is the matching entry (one GET
// of the index); for a single-platform image it is the image's own digest,
// provided the platform in its config matches.
func (c *Client) PlatformDigest(ctx context.Context, img Image, tag string, p Platform) (*ManifestDigest, error) {
	return c.digest(ctx, img, tag, p.String(), true, func(ctx context.Context, on Image) (string, error) {
		return c.platformDigest(ctx, on, tag, p)
	})
}

// digest reads a tag's digest (of platform, when not "") once per Client,
// from img's registry or, with fallback, from a mirror when it cannot
// answer.
func (c *Client) digest(ctx context.Context, img Image, tag, platform string, fallback bool, read func(context.Context, Image) (string, error)) (*ManifestDigest, error) {
	op := "read the digest of tag " + tag
	if platform != "" {
		op = "read the " + platform + " digest of tag " + tag
	}
	if !ValidTag(tag) {
		return nil, wrapError(op, img, ErrInvalidTag)
	}
	key := img.key() + ":" + tag + "|" + platform
	if !fallback {
		key += "|here" // a digest from this host only, never a mirror's
	}
	d, _, err := c.digests.get(ctx, key, func(ctx context.Context) (*ManifestDigest, error) {
		if !fallback {
			v, err := read(ctx, img)
			return &ManifestDigest{Digest: v}, err
		}
		v, mirror, err := fromMirrors(ctx, c, img, read)
		if err != nil {
			return nil, err
		}
		return &ManifestDigest{Digest: v, Mirror: mirror}, nil
	})
	if err != nil {
		return nil, c.explain(img, wrapError(op, img, err))
	}
	return d, nil
}

func (c *Client) headDigest(ctx context.Context, img Image, tag string) (string, error) {
	s, err := c.session(ctx, img)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, s.url("manifests/"+tag), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", acceptManifests)
	resp, err := s.do(req)
	if err != nil {
		return "", err
	}
	_ = resp.Body.Close()
	html := strings.Contains(strings.ToLower(resp.Header.Get("Content-Type")), "html")
	switch {
	case resp.StatusCode == http.StatusMethodNotAllowed:
		// Artifact Registry and GitHub Enterprise refuse HEAD on manifests
		// (goharbor/harbor#22021, containerd/containerd#5860).
		c.log(ctx, "HEAD refused; reading the manifest", map[string]any{"image": img.Name, "tag": tag})
	case resp.StatusCode == http.StatusNotFound && html:
		// Old Nexus answers HEAD with an HTML 404 while GET works
		// (andrey-pohilko/registry-cli#14).
		c.log(ctx, "HEAD answered with an HTML 404; reading the manifest", map[string]any{"image": img.Name, "tag": tag})
	default:
		if err := s.check(resp); err != nil {
			return "", err
		}
		if h := resp.Header.Get("Docker-Content-Digest"); h != "" {
			d, err := v1.NewHash(h)
			if err != nil {
				return "", fmt.Errorf("the registry sent a malformed Docker-Content-Digest header %q: %w", shorten(h), err)
			}
			return d.String(), nil
		}
		// Red Hat's registries, old ECR and Nexus on PostgreSQL send none
		// (containerd/containerd#3238, hashicorp/terraform-provider-docker#186).
		c.log(ctx, "HEAD gave no digest; reading the manifest", map[string]any{"image": img.Name, "tag": tag})
	}
	m, err := c.cachedManifest(ctx, s, tag)
	if err != nil {
		return "", err
	}
	return m.digest, nil
}

// manifest is a manifest as read from a registry.
type manifest struct {
	digest    string
	mediaType types.MediaType
	body      []byte
}

// manifest GETs the manifest of a tag (or digest) and hashes its bytes.
func (s *session) manifest(ctx context.Context, ref string) (*manifest, error) {
	resp, body, err := s.get(ctx, s.url("manifests/"+ref), acceptManifests)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	m := &manifest{digest: "sha256:" + hex.EncodeToString(sum[:]), body: body}
	m.mediaType = types.MediaType(strings.TrimSpace(strings.Split(resp.Header.Get("Content-Type"), ";")[0]))
	var probe struct {
		MediaType types.MediaType `json:"mediaType"`
		Manifests json.RawMessage `json:"manifests"`
	}
	if err := json.Unmarshal(body, &probe); err != nil {
		return nil, fmt.Errorf("the manifest is not valid JSON: %w", err)
	}
	if probe.MediaType != "" {
		m.mediaType = probe.MediaType
	} else if len(probe.Manifests) > 0 && !m.mediaType.IsIndex() {
		m.mediaType = types.OCIImageIndex
	}
	return m, nil
}

// blob GETs a small blob (an image config) and checks its digest.
func (s *session) blob(ctx context.Context, digest v1.Hash) ([]byte, error) {
	_, body, err := s.get(ctx, s.url("blobs/"+digest.String()), "")
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	if got := "sha256:" + hex.EncodeToString(sum[:]); digest.Algorithm == "sha256" && got != digest.String() {
		return nil, fmt.Errorf("blob %s arrived with digest %s", digest, got)
	}
	return body, nil
}

func (c *Client) platformDigest(ctx context.Context, img Image, tag string, p Platform) (string, error) {
	s, err := c.session(ctx, img)
	if err != nil {
		return "", err
	}
	m, err := c.cachedManifest(ctx, s, tag)
	if err != nil {
		return "", err
	}
	switch {
	case m.mediaType.IsIndex():
		index, err := v1.ParseIndexManifest(bytes.NewReader(m.body))
		if err != nil {
			return "", fmt.Errorf("the index is not valid: %w", err)
		}
		if d := chooseImage(index, &p); d != nil {
			return d.Digest.String(), nil
		}
		var found []string
		for _, d := range index.Manifests {
			if d.Platform != nil && d.Platform.OS != "unknown" {
				found = append(found, describePlatform(d.Platform))
			}
		}
		return "", fmt.Errorf("the image has no manifest for platform %s; the platforms there are: %s", p, listOrNone(found))
	case m.mediaType.IsImage():
		im, err := v1.ParseManifest(bytes.NewReader(m.body))
		if err != nil {
			return "", fmt.Errorf("the manifest is not valid: %w", err)
		}
		cfg, err := c.cachedConfig(ctx, s, im.Config.Digest)
		if err != nil {
			return "", err
		}
		if own := configPlatform(cfg); !p.matches(own) {
			return "", fmt.Errorf("the image is single-platform and its platform is %s, not %s; the platforms there are: %s", describePlatform(&own), p, describePlatform(&own))
		}
		return m.digest, nil
	}
	return "", fmt.Errorf("the tag points to a %q, which is neither an image nor an index", m.mediaType)
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
