package registry

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// createdAnnotation is the OCI annotation of an image's creation time.
const createdAnnotation = "org.opencontainers.image.created"

// earliestCreated is the earliest creation time taken as real: reproducible
// builds write 1970.
var earliestCreated = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Want says what Inspect is to learn of a tag's image.
type Want struct {
	// Platform, when not nil, is the platform the image must have.
	Platform *Platform
	// Created asks for the image's creation time.
	Created bool
}

// ImageFacts is what Inspect learned of a tag's image.
type ImageFacts struct {
	// Digest is the tag's manifest digest, or, with a platform, that
	// platform's manifest digest.
	Digest string
	// HasPlatform is false when a platform was asked for and the image has
	// none that matches it.
	HasPlatform bool
	// Created is the image's creation time; zero when it is missing, does
	// not parse, or is before 2000.
	Created time.Time
}

// Inspect reads what want asks of image:tag, on the host that listed it
// (list.Mirror, or the registry), with manifest GETs and config blob
// reads: one GET of the tag's manifest; for a creation time, the chosen
// image's manifest when the tag is an index without the annotation, and its
// config when the manifests have none; for a platform of a single-platform
// image, its config. Each manifest and config is read once per Client.
// Docker Hub counts each manifest GET as a pull.
func (c *Client) Inspect(ctx context.Context, img Image, list *TagList, tag string, want Want) (*ImageFacts, error) {
	img = list.listedOn(img)
	op := "inspect the image of tag " + tag
	if !ValidTag(tag) {
		return nil, wrapError(op, img, ErrInvalidTag)
	}
	facts, err := c.inspect(ctx, img, tag, want)
	if err != nil {
		return nil, c.explain(img, wrapError(op, img, err))
	}
	return facts, nil
}

func (c *Client) inspect(ctx context.Context, img Image, tag string, want Want) (*ImageFacts, error) {
	s, err := c.session(ctx, img)
	if err != nil {
		return nil, err
	}
	m, err := c.cachedManifest(ctx, s, tag)
	if err != nil {
		return nil, err
	}
	facts := &ImageFacts{Digest: m.digest, HasPlatform: true}
	var image *v1.Manifest
	switch {
	case m.mediaType.IsIndex():
		index, err := v1.ParseIndexManifest(bytes.NewReader(m.body))
		if err != nil {
			return nil, fmt.Errorf("the index is not valid: %w", err)
		}
		chosen := chooseImage(index, want.Platform)
		if want.Platform != nil {
			if chosen == nil {
				facts.HasPlatform = false
				return facts, nil
			}
			facts.Digest = chosen.Digest.String()
		}
		if !want.Created {
			return facts, nil
		}
		if t, present := createdAt(index.Annotations[createdAnnotation]); present {
			facts.Created = t // zero, too new, when it does not parse or is before 2000
			return facts, nil
		}
		if chosen == nil || chosen.MediaType.IsIndex() {
			return facts, nil // no image to date: too new
		}
		im, err := c.cachedManifest(ctx, s, chosen.Digest.String())
		if err != nil {
			return nil, err
		}
		if image, err = v1.ParseManifest(bytes.NewReader(im.body)); err != nil {
			return nil, fmt.Errorf("the manifest of %s is not valid: %w", chosen.Digest, err)
		}
	case m.mediaType.IsImage():
		if image, err = v1.ParseManifest(bytes.NewReader(m.body)); err != nil {
			return nil, fmt.Errorf("the manifest is not valid: %w", err)
		}
	default:
		// An artifact (a Helm chart, a signature) is no image: it has no
		// platform and no creation time.
		facts.HasPlatform = want.Platform == nil
		return facts, nil
	}

	// image is the image whose platform or creation time is asked for.
	created, annotated := createdAt(image.Annotations[createdAnnotation])
	if image.Config.Digest.Hex == "" {
		return nil, fmt.Errorf("the image manifest names no config")
	}
	needConfig := want.Platform != nil && !m.mediaType.IsIndex() || want.Created && !annotated
	if !needConfig {
		facts.Created = created
		return facts, nil
	}
	cfg, err := c.cachedConfig(ctx, s, image.Config.Digest)
	if err != nil {
		return nil, err
	}
	if want.Platform != nil && !m.mediaType.IsIndex() && !want.Platform.matches(configPlatform(cfg)) {
		facts.HasPlatform = false
		return facts, nil
	}
	if want.Created {
		facts.Created = created
		if !annotated && cfg.Created.After(earliestCreated) {
			facts.Created = cfg.Created.UTC()
		}
	}
	return facts, nil
}

// chooseImage returns the index's entry for platform, or without one the
// first entry that is not an attestation (unknown/unknown); nil when there
// is none.
func chooseImage(index *v1.IndexManifest, p *Platform) *v1.Descriptor {
	for i := range index.Manifests {
		d := &index.Manifests[i]
		switch {
		case p != nil && d.Platform != nil && p.matches(*d.Platform):
			return d
		case p == nil && (d.Platform == nil || d.Platform.OS != "unknown"):
			return d
		}
	}
	return nil
}

// createdAt parses a creation time annotation: present is false when there
// is none; a time that does not parse or is before 2000 is zero (too new).
func createdAt(s string) (t time.Time, present bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Before(earliestCreated) {
		return time.Time{}, true
	}
	return t.UTC(), true
}

// configPlatform is the platform an image's config names.
func configPlatform(cfg *v1.ConfigFile) v1.Platform {
	if p := cfg.Platform(); p != nil {
		return *p
	}
	return v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}
}

// cachedManifest GETs a manifest by tag or digest, once per Client. A
// manifest asked for by digest must have that digest.
func (c *Client) cachedManifest(ctx context.Context, s *session, ref string) (*manifest, error) {
	m, _, err := c.manifests.get(ctx, s.img.key()+"@"+ref, func(ctx context.Context) (*manifest, error) {
		m, err := s.manifest(ctx, ref)
		if err == nil && strings.HasPrefix(ref, "sha256:") && m.digest != ref {
			return nil, fmt.Errorf("manifest %s arrived with digest %s", ref, m.digest)
		}
		return m, err
	})
	return m, err
}

// cachedConfig reads and parses an image config, once per Client.
func (c *Client) cachedConfig(ctx context.Context, s *session, digest v1.Hash) (*v1.ConfigFile, error) {
	cfg, _, err := c.configs.get(ctx, s.img.key()+"@"+digest.String(), func(ctx context.Context) (*v1.ConfigFile, error) {
		raw, err := s.blob(ctx, digest)
		if err != nil {
			return nil, fmt.Errorf("cannot read the image's config: %w", err)
		}
		cfg, err := v1.ParseConfigFile(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("the image's config is not valid: %w", err)
		}
		return cfg, nil
	})
	return cfg, err
}
