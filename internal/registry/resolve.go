package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/transport"
)

// earliestCreated is the earliest creation time taken as real: reproducible
// builds write 1970.
var earliestCreated = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Want says what a read of a tag is to learn of its image besides its
// digest.
type Want struct {
	// Platform, when not nil, is the platform the image must have; the
	// digest is then that platform's manifest's.
	Platform *names.Platform
	// Created asks for the image's creation time.
	Created bool
}

// key names what is wanted in the caches.
func (w Want) key() string {
	k := "|"
	if w.Platform != nil {
		k += w.Platform.String()
	}
	if w.Created {
		k += "|created"
	}
	return k
}

// ImageFacts is what a read of a tag learned of its image.
type ImageFacts struct {
	// Digest is the tag's manifest digest, or, with a platform, that
	// platform's manifest digest.
	Digest string
	// TagDigest is the tag's manifest digest (for a multi-platform image,
	// the index's), whatever the platform.
	TagDigest string
	// Mirror is the mirror that answered, "" when the registry itself did.
	Mirror string
	// HasPlatform is false when a platform was asked for and the image has
	// none that matches it.
	HasPlatform bool
	// Created is the image's creation time; zero when it is missing, does
	// not parse, or is before 2000.
	Created time.Time

	// noPlatform says why HasPlatform is false.
	noPlatform *NoPlatformError
}

// Digest reads the manifest digest of repo:tag (for a multi-platform image,
// the index's), from the registry or, when it cannot answer, one of its
// mirrors. It is read with a HEAD request, which Docker Hub does not count
// as a pull; a registry that answers HEAD with 405 or with an HTML 404, or
// without a Docker-Content-Digest header, gets one GET, and the digest is
// the SHA-256 of the manifest bytes.
func (c *Client) Digest(ctx context.Context, repo names.Repository, tag string) (*ImageFacts, error) {
	return c.resolve(ctx, "read the digest of tag "+tag, repo, nil, tag, Want{})
}

// PlatformDigest reads the digest of the manifest for platform p inside
// repo:tag, from the registry or one of its mirrors: for a multi-platform
// index the matching entry (one GET of the index), for a single-platform
// image its own digest, provided the platform in its config matches. An
// image without the platform is an error naming the platforms there are.
func (c *Client) PlatformDigest(ctx context.Context, repo names.Repository, tag string, p names.Platform) (*ImageFacts, error) {
	op := "read the " + p.String() + " digest of tag " + tag
	facts, err := c.resolve(ctx, op, repo, nil, tag, Want{Platform: &p})
	if err == nil && !facts.HasPlatform {
		return nil, c.fail(op, repo, facts.noPlatform)
	}
	return facts, err
}

// Inspect reads what want asks of a tag of list, on the host that listed
// it (list.Mirror, or the registry) and no other, as a mirror's list and
// the registry's digests may disagree: with an empty want, the digest as
// Digest reads it; else with manifest GETs and config reads: one GET of
// the tag's manifest; for a creation time, the chosen image's manifest when
// the tag is an index without the annotation, and its config when the
// manifests have none; for a platform of a single-platform image, its
// config. Each manifest and config is read once per Client. Docker Hub
// counts each manifest GET as a pull. An image without the platform has
// HasPlatform false: it is no error.
func (c *Client) Inspect(ctx context.Context, repo names.Repository, list *TagList, tag string, want Want) (*ImageFacts, error) {
	return c.resolve(ctx, "inspect the image of tag "+tag, repo, list, tag, want)
}

// resolve is the one read of a tag behind Digest, PlatformDigest and
// Inspect: from the host that listed list, or without a list from the
// registry and then its mirrors; once per Client for each host, tag and
// want.
func (c *Client) resolve(ctx context.Context, op string, repo names.Repository, list *TagList, tag string, want Want) (*ImageFacts, error) {
	if !names.ValidTag(tag) {
		return nil, wrapError(op, repo, names.ErrInvalidTag)
	}
	read := func(ctx context.Context, on names.Repository) (*ImageFacts, error) {
		facts, _, err := c.facts.Get(ctx, on.Key()+":"+tag+want.key(), func(ctx context.Context) (*ImageFacts, error) {
			return c.readTag(ctx, on, tag, want)
		})
		return facts, err
	}
	var (
		facts *ImageFacts
		err   error
	)
	if list != nil {
		facts, err = read(ctx, list.listedOn(repo))
	} else {
		facts, _, err = c.fallbacks.Get(ctx, repo.Key()+":"+tag+want.key(), func(ctx context.Context) (*ImageFacts, error) {
			f, mirror, err := fromMirrors(ctx, c, repo, read)
			if err != nil || mirror == "" {
				return f, err
			}
			copied := *f
			copied.Mirror = mirror
			return &copied, nil
		})
	}
	if err != nil {
		return nil, c.fail(op, repo, err)
	}
	return facts, nil
}

// readTag reads what want asks of repo:tag on repo's host.
func (c *Client) readTag(ctx context.Context, repo names.Repository, tag string, want Want) (*ImageFacts, error) {
	s, err := c.session(ctx, repo)
	if err != nil {
		return nil, err
	}
	if want.Platform == nil && !want.Created {
		d, err := c.headDigest(ctx, s, tag)
		if err != nil {
			return nil, err
		}
		return &ImageFacts{Digest: d, TagDigest: d, HasPlatform: true}, nil
	}
	m, err := c.cachedManifest(ctx, s, tag)
	if err != nil {
		return nil, err
	}
	facts := &ImageFacts{Digest: m.digest, TagDigest: m.digest, HasPlatform: true}
	image := m
	switch {
	case m.mediaType.IsIndex():
		chosen := m.chooseImage(want.Platform)
		if want.Platform != nil {
			if chosen == nil {
				return noPlatform(facts, &NoPlatformError{Platform: *want.Platform, Found: m.platforms()}), nil
			}
			facts.Digest = chosen.digest.String()
		}
		if !want.Created {
			return facts, nil
		}
		if m.created != "" {
			facts.Created = createdAt(m.created) // zero, too new, when it does not parse or is before 2000
			return facts, nil
		}
		if chosen == nil || chosen.mediaType.IsIndex() {
			return facts, nil // no image to date: too new
		}
		if image, err = c.cachedManifest(ctx, s, chosen.digest.String()); err != nil {
			return nil, err
		}
	case m.mediaType.IsImage():
	default:
		// An artifact (a Helm chart, a signature) is no image: it has no
		// platform and no creation time.
		if want.Platform != nil {
			return noPlatform(facts, &NoPlatformError{Platform: *want.Platform}), nil
		}
		return facts, nil
	}

	// image is the image whose platform or creation time is asked for.
	if image.config.Hex == "" {
		return nil, fmt.Errorf("the image manifest names no config")
	}
	single := want.Platform != nil && !m.mediaType.IsIndex()
	if !single && (!want.Created || image.created != "") {
		facts.Created = createdAt(image.created)
		return facts, nil
	}
	cfg, err := c.cachedConfig(ctx, s, image.config)
	if err != nil {
		return nil, err
	}
	if single && !want.Platform.Matches(cfg.platform) {
		own := transport.Clean(names.DescribePlatform(&cfg.platform))
		return noPlatform(facts, &NoPlatformError{Platform: *want.Platform, Single: own}), nil
	}
	if want.Created {
		facts.Created = createdAt(image.created)
		if image.created == "" && cfg.created.After(earliestCreated) {
			facts.Created = cfg.created
		}
	}
	return facts, nil
}

// noPlatform marks facts as without the platform asked for, and why.
func noPlatform(facts *ImageFacts, why *NoPlatformError) *ImageFacts {
	facts.HasPlatform = false
	facts.noPlatform = why
	return facts
}

// createdAt parses a creation time annotation; a time that is missing,
// does not parse or is before 2000 is zero (too new).
func createdAt(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Before(earliestCreated) {
		return time.Time{}
	}
	return t.UTC()
}
