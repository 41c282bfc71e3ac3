package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// Digest returns the manifest digest of image:tag ("sha256:…"; for a
// multi-platform image, the index's). It is read with a HEAD request, which
// Docker Hub does not count as a pull; a registry that answers HEAD without
// a Docker-Content-Digest header gets one GET, and the digest is the SHA-256
// of the manifest bytes.
func (c *Client) Digest(ctx context.Context, img Image, tag string) (string, error) {
	key := img.Registry + "/" + img.Repository + ":" + tag
	d, _, err := c.digests.get(ctx, key, func(ctx context.Context) (string, error) {
		return fromMirrors(ctx, c, img, func(ctx context.Context, img Image) (string, error) {
			return c.headDigest(ctx, img, tag)
		})
	})
	return d, wrapError("read the digest of tag "+tag, img, err)
}

// PlatformDigest returns the digest of the manifest for platform p inside
// image:tag. For a multi-platform index that is the matching entry (one GET
// of the index); for a single-platform image it is the image's own digest,
// provided the platform in its config matches.
func (c *Client) PlatformDigest(ctx context.Context, img Image, tag string, p Platform) (string, error) {
	key := img.Registry + "/" + img.Repository + ":" + tag + "|" + p.String()
	d, _, err := c.digests.get(ctx, key, func(ctx context.Context) (string, error) {
		return fromMirrors(ctx, c, img, func(ctx context.Context, img Image) (string, error) {
			return c.platformDigest(ctx, img, tag, p)
		})
	})
	return d, wrapError("read the "+p.String()+" digest of tag "+tag, img, err)
}

func (c *Client) reference(img Image, tag string) (name.Tag, error) {
	repo, err := c.repository(img)
	if err != nil {
		return name.Tag{}, err
	}
	return repo.Tag(tag), nil
}

func (c *Client) headDigest(ctx context.Context, img Image, tag string) (string, error) {
	op := "read the digest of tag " + tag
	ref, err := c.reference(img, tag)
	if err != nil {
		return "", err
	}
	desc, err := c.puller.Head(ctx, ref)
	if err == nil {
		return desc.Digest.String(), nil
	}
	var te *transport.Error
	if errors.As(err, &te) || ctx.Err() != nil || !strings.Contains(err.Error(), "Docker-Content-Digest") {
		return "", wrapError(op, img, err)
	}
	c.log(ctx, "HEAD gave no digest; reading the manifest", map[string]any{"image": img.Name, "tag": tag})
	full, err := c.puller.Get(ctx, ref)
	if err != nil {
		return "", wrapError(op, img, err)
	}
	// go-containerregistry computes the digest from the manifest bytes.
	return full.Digest.String(), nil
}

func (c *Client) platformDigest(ctx context.Context, img Image, tag string, p Platform) (string, error) {
	op := "read the " + p.String() + " digest of tag " + tag
	ref, err := c.reference(img, tag)
	if err != nil {
		return "", err
	}
	desc, err := c.puller.Get(ctx, ref)
	if err != nil {
		return "", wrapError(op, img, err)
	}
	if desc.MediaType.IsIndex() {
		idx, err := desc.ImageIndex()
		if err != nil {
			return "", wrapError(op, img, err)
		}
		manifest, err := idx.IndexManifest()
		if err != nil {
			return "", wrapError(op, img, fmt.Errorf("the index is not valid: %w", err))
		}
		var found []string
		for _, m := range manifest.Manifests {
			if m.Platform != nil && p.matches(*m.Platform) {
				return m.Digest.String(), nil
			}
			if m.Platform != nil && m.Platform.OS != "unknown" {
				found = append(found, describePlatform(m.Platform))
			}
		}
		return "", wrapError(op, img, fmt.Errorf("the image has no manifest for platform %s; the platforms there are: %s", p, listOrNone(found)))
	}
	if !desc.MediaType.IsImage() {
		return "", wrapError(op, img, fmt.Errorf("the tag points to a %s, which is neither an image nor an index", desc.MediaType))
	}
	image, err := desc.Image()
	if err != nil {
		return "", wrapError(op, img, err)
	}
	cfg, err := image.ConfigFile()
	if err != nil {
		return "", wrapError(op, img, fmt.Errorf("cannot read the image's config: %w", err))
	}
	own := cfg.Platform()
	if own == nil {
		own = &v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}
	}
	if !p.matches(*own) {
		return "", wrapError(op, img, fmt.Errorf("the image is single-platform and its platform is %s, not %s; the platforms there are: %s", describePlatform(own), p, describePlatform(own)))
	}
	return desc.Digest.String(), nil
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
