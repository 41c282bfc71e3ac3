package registrytest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

const (
	// layerSize is the size of the one file in an image's one layer.
	layerSize = 256
	// defaultPlatform is the platform of an image pushed without
	// [WithPlatform].
	defaultPlatform = "linux/amd64"
	// tagAnnotation is the manifest annotation that makes each image
	// pushed by [Registry.PushTags] distinct.
	tagAnnotation = "dev.registrytest.tag"
	// pushJobs is how many manifests [Registry.PushTags] pushes at once.
	pushJobs = 8
)

// ImageOption configures an image pushed by [Registry.PushImage].
type ImageOption func(*imageOptions)

type imageOptions struct {
	platform string
}

// WithPlatform sets the image's platform, "os/arch" or "os/arch/variant"
// (as "linux/arm64/v8"), in its config. The default is linux/amd64.
func WithPlatform(platform string) ImageOption {
	return func(o *imageOptions) { o.platform = platform }
}

// PushImage pushes a new single-platform OCI image, one small random layer,
// to repo:tag and returns its manifest digest.
func (r *Registry) PushImage(t testing.TB, repo, tag string, opts ...ImageOption) v1.Hash {
	t.Helper()
	o := imageOptions{platform: defaultPlatform}
	for _, opt := range opts {
		opt(&o)
	}
	img, err := NewImage(o.platform, nil)
	if err != nil {
		t.Fatalf("registrytest: %v", err)
	}
	return r.Push(t, repo, tag, img)
}

// Push pushes an image or index made with [NewImage] or [NewIndex] (and
// changed as the test needs, with mutate) to repo:tag, and returns its
// digest.
func (r *Registry) Push(t testing.TB, repo, tag string, m pushable) v1.Hash {
	t.Helper()
	ref := r.tag(t, repo, tag)
	if err := r.pusher(t).Push(t.Context(), ref, m); err != nil {
		t.Fatalf("registrytest: pushing %s: %v", ref, err)
	}
	return digest(t, m)
}

// pushable is an image or an index: what can be pushed, and has a digest.
type pushable interface {
	remote.Taggable
	Digest() (v1.Hash, error)
}

// PushIndex pushes a multi-platform OCI image index to repo:tag, with one new
// image for each platform ("linux/amd64", "linux/arm64/v8", "linux/arm/v7"),
// each named in the index's descriptor and in the image's config. It
// returns the index digest and each platform's manifest digest, keyed by the
// platform strings as given.
func (r *Registry) PushIndex(t testing.TB, repo, tag string, platforms ...string) (index v1.Hash, perPlatform map[string]v1.Hash) {
	t.Helper()
	idx, images, err := NewIndex(platforms, nil)
	if err != nil {
		t.Fatalf("registrytest: %v", err)
	}
	perPlatform = make(map[string]v1.Hash, len(images))
	for platform, img := range images {
		perPlatform[platform] = digest(t, img)
	}
	return r.Push(t, repo, tag, idx), perPlatform
}

// PushTags pushes one linux/amd64 image per tag to repo and returns each
// tag's manifest digest. The images share their blobs, which are uploaded
// once, and differ by an annotation in the manifest, so every tag has a
// digest of its own and costs one manifest PUT: thousands of tags take a
// few seconds.
func (r *Registry) PushTags(t testing.TB, repo string, tags ...string) map[string]v1.Hash {
	t.Helper()
	digests := make(map[string]v1.Hash, len(tags))
	if len(tags) == 0 {
		return digests
	}
	base, err := NewImage(defaultPlatform, nil)
	if err != nil {
		t.Fatalf("registrytest: %v", err)
	}
	images := make([]v1.Image, len(tags))
	refs := make([]name.Tag, len(tags))
	for i, tag := range tags {
		img, ok := mutate.Annotations(base, map[string]string{tagAnnotation: tag}).(v1.Image)
		if !ok {
			t.Fatal("registrytest: mutate.Annotations of an image is not an image")
		}
		images[i] = img
		refs[i] = r.tag(t, repo, tag)
		digests[tag] = digest(t, img)
	}

	ctx := t.Context()
	p := r.pusher(t)
	// The first push uploads the shared blobs; the rest only PUT their
	// manifests.
	if err := p.Push(ctx, refs[0], images[0]); err != nil {
		t.Fatalf("registrytest: pushing %s: %v", refs[0], err)
	}
	if err := forEach(ctx, len(tags)-1, func(ctx context.Context, i int) error {
		ref := refs[i+1]
		if err := p.Put(ctx, ref, images[i+1]); err != nil {
			return fmt.Errorf("pushing %s: %w", ref, err)
		}
		return nil
	}); err != nil {
		t.Fatalf("registrytest: %v", err)
	}
	return digests
}

// Retag points repo:to at the manifest that repo:from names, without
// uploading anything else.
func (r *Registry) Retag(t testing.TB, repo, from, to string) {
	t.Helper()
	src := r.tag(t, repo, from)
	desc, err := remote.Get(src, r.helperOptions(t)...)
	if err != nil {
		t.Fatalf("registrytest: reading %s: %v", src, err)
	}
	dst := r.tag(t, repo, to)
	if err := r.pusher(t).Put(t.Context(), dst, desc); err != nil {
		t.Fatalf("registrytest: tagging %s as %s: %v", src, dst, err)
	}
}

// NewImage returns a new OCI image for platform ("os/arch" or
// "os/arch/variant") with one small random layer; edit, when not nil,
// changes its config (labels, creation time) first. The tests push it with
// [Registry.PushImage]; the demo registry serves it.
func NewImage(platform string, edit func(*v1.ConfigFile)) (v1.Image, error) {
	p, err := v1.ParsePlatform(platform)
	if err != nil {
		return nil, err
	}
	layer, err := random.Layer(layerSize, types.OCILayer)
	if err != nil {
		return nil, err
	}
	img := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Variant = p.OS, p.Architecture, p.Variant
	if edit != nil {
		edit(cf)
	}
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		return nil, err
	}
	return mutate.AppendLayers(img, layer)
}

// NewIndex returns a new multi-platform OCI image index with one
// [NewImage] for each platform, named in the index's descriptor, and those
// images keyed by the platform strings as given.
func NewIndex(platforms []string, edit func(*v1.ConfigFile)) (v1.ImageIndex, map[string]v1.Image, error) {
	images := make(map[string]v1.Image, len(platforms))
	adds := make([]mutate.IndexAddendum, 0, len(platforms))
	for _, platform := range platforms {
		p, err := v1.ParsePlatform(platform)
		if err != nil {
			return nil, nil, err
		}
		img, err := NewImage(platform, edit)
		if err != nil {
			return nil, nil, err
		}
		images[platform] = img
		adds = append(adds, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: p}})
	}
	return mutate.AppendManifests(empty.Index, adds...), images, nil
}

// tag parses <host>/repo:tag.
func (r *Registry) tag(t testing.TB, repo, tag string) name.Tag {
	t.Helper()
	ref, err := name.NewTag(r.Host + "/" + repo + ":" + tag)
	if err != nil {
		t.Fatalf("registrytest: %v", err)
	}
	return ref
}

// helperOptions are the remote options of the helper's own requests, which
// [RequestCounts] does not count.
func (r *Registry) helperOptions(t testing.TB) []remote.Option {
	return append(r.RemoteOptions(), remote.WithContext(t.Context()), remote.WithUserAgent(userAgent))
}

// pusher returns a pusher that authenticates once per repository.
func (r *Registry) pusher(t testing.TB) *remote.Pusher {
	t.Helper()
	p, err := remote.NewPusher(r.helperOptions(t)...)
	if err != nil {
		t.Fatalf("registrytest: %v", err)
	}
	return p
}

// digest returns the manifest digest of m.
func digest(t testing.TB, m interface{ Digest() (v1.Hash, error) }) v1.Hash {
	t.Helper()
	h, err := m.Digest()
	if err != nil {
		t.Fatalf("registrytest: %v", err)
	}
	return h
}

// forEach calls f for 0 ≤ i < n on pushJobs goroutines and returns the
// first error; after one, the calls not yet started are skipped.
func forEach(ctx context.Context, n int, f func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	next := make(chan int)
	var wg sync.WaitGroup
	for range min(pushJobs, n) {
		wg.Go(func() {
			for i := range next {
				if err := f(ctx, i); err != nil {
					cancel(err)
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return context.Cause(ctx)
}
