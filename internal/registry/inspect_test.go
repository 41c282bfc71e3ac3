package registry

import (
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/faults"
)

// created returns a config edit that sets the creation time.
func created(t time.Time) func(*v1.ConfigFile) {
	return func(cf *v1.ConfigFile) { cf.Created = v1.Time{Time: t} }
}

// TestInspect reads each kind of image for a platform and a creation time,
// and counts the requests: one manifest GET per tag; for a creation time,
// the chosen image's manifest when an index has no annotation, and the
// config when no manifest has one; for the platform of a single-platform
// image, its config. A second read of the same tag costs nothing.
func TestInspect(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	old := time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)
	single := must(registrytest.NewImage("linux/amd64", created(old)))
	singleDigest := reg.Push(t, "team/app", "single", single)
	reg.Push(t, "team/app", "reproducible", must(registrytest.NewImage("linux/amd64", created(time.Unix(0, 0)))))
	reg.Push(t, "team/app", "undated", must(registrytest.NewImage("linux/amd64", nil)))
	annotated, ok := mutate.Annotations(must(registrytest.NewImage("linux/amd64", nil)),
		map[string]string{createdAnnotation: "2022-01-02T03:04:05Z"}).(v1.Image)
	if !ok {
		t.Fatal("mutate.Annotations of an image is not an image")
	}
	reg.Push(t, "team/app", "annotated", annotated)
	stale, ok := mutate.Annotations(must(registrytest.NewImage("linux/amd64", created(old))),
		map[string]string{createdAnnotation: "1970-01-01T00:00:00Z"}).(v1.Image)
	if !ok {
		t.Fatal("mutate.Annotations of an image is not an image")
	}
	reg.Push(t, "team/app", "annotated-1970", stale)
	index, images, err := registrytest.NewIndex([]string{"linux/amd64", "linux/arm64/v8"}, created(old))
	if err != nil {
		t.Fatal(err)
	}
	indexDigest := reg.Push(t, "team/app", "index", index)
	arm64, _ := images["linux/arm64/v8"].Digest()
	annotatedIndex, ok := mutate.Annotations(index, map[string]string{createdAnnotation: "2023-05-06T07:08:09Z"}).(v1.ImageIndex)
	if !ok {
		t.Fatal("mutate.Annotations of an index is not an index")
	}
	reg.Push(t, "team/app", "index-annotated", annotatedIndex)

	arm := &names.Platform{OS: "linux", Architecture: "arm64"}
	for _, tt := range []struct {
		name, tag   string
		want        Want
		facts       ImageFacts
		gets, blobs int64
	}{
		{"single, created", "single", Want{Created: true}, ImageFacts{Digest: singleDigest.String(), HasPlatform: true, Created: old}, 1, 1},
		{"single, another platform", "single", Want{Platform: arm}, ImageFacts{Digest: singleDigest.String()}, 1, 1},
		{"created in 1970 counts as unknown", "reproducible", Want{Created: true}, ImageFacts{HasPlatform: true}, 1, 1},
		{"no creation time", "undated", Want{Created: true}, ImageFacts{HasPlatform: true}, 1, 1},
		{"manifest annotation", "annotated", Want{Created: true}, ImageFacts{HasPlatform: true, Created: time.Date(2022, 1, 2, 3, 4, 5, 0, time.UTC)}, 1, 0},
		{"an annotation from 1970 counts as too new, whatever the config says", "annotated-1970", Want{Created: true}, ImageFacts{HasPlatform: true}, 1, 0},
		{"index, platform", "index", Want{Platform: arm}, ImageFacts{Digest: arm64.String(), HasPlatform: true}, 1, 0},
		{"index, platform and created", "index", Want{Platform: arm, Created: true}, ImageFacts{Digest: arm64.String(), HasPlatform: true, Created: old}, 2, 1},
		{"index, created, first image", "index", Want{Created: true}, ImageFacts{Digest: indexDigest.String(), HasPlatform: true, Created: old}, 2, 1},
		{"index annotation", "index-annotated", Want{Created: true}, ImageFacts{HasPlatform: true, Created: time.Date(2023, 5, 6, 7, 8, 9, 0, time.UTC)}, 1, 0},
		{"index without the platform", "index", Want{Platform: &names.Platform{OS: "linux", Architecture: "s390x"}}, ImageFacts{Digest: indexDigest.String()}, 1, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			proxy := faults.NewFaultProxy(t, reg)
			c := newClient(t)
			img := mustImage(t, proxy.Host+"/team/app")
			list := &TagList{}
			facts, err := c.Inspect(t.Context(), img, list, tt.tag, tt.want)
			if err != nil {
				t.Fatal(err)
			}
			if tt.facts.Digest == "" {
				tt.facts.Digest = facts.Digest // not the point of this case
			}
			switch {
			case tt.tag == "index" && facts.TagDigest != indexDigest.String():
				t.Errorf("TagDigest = %s, want the index's %s", facts.TagDigest, indexDigest)
			case tt.tag == "single" && facts.TagDigest != singleDigest.String():
				t.Errorf("TagDigest = %s, want the image's %s", facts.TagDigest, singleDigest)
			case facts.TagDigest == "":
				t.Error("TagDigest is empty")
			}
			tt.facts.TagDigest = facts.TagDigest // checked above
			got := *facts
			got.noPlatform = nil // why, for PlatformDigest's error: not compared here
			if got != tt.facts {
				t.Errorf("Inspect = %+v, want %+v", *facts, tt.facts)
			}
			want := registrytest.Counts{Ping: 1, ManifestGet: tt.gets, Other: tt.blobs}
			if got := proxy.Requests.Snapshot(); got != want {
				t.Errorf("requests = %+v, want %+v", got, want)
			}
			if _, err := c.Inspect(t.Context(), img, list, tt.tag, tt.want); err != nil {
				t.Fatal(err)
			}
			if got := proxy.Requests.Snapshot(); got != want {
				t.Errorf("requests after a second read = %+v, want %+v: each manifest and config is read once", got, want)
			}
		})
	}
}

// TestPlatformDigestSharesReads: registry_image_digest with a platform and a
// registry_latest_tag walk over the same tag read its manifest and config
// once between them (Docker Hub counts each manifest GET as a pull).
func TestPlatformDigestSharesReads(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	img, err := registrytest.NewImage("linux/amd64", nil)
	if err != nil {
		t.Fatal(err)
	}
	reg.Push(t, "team/app", "1.0", img)
	proxy := faults.NewFaultProxy(t, reg)
	c := newClient(t)
	ref := mustImage(t, proxy.Host+"/team/app")
	amd64 := names.Platform{OS: "linux", Architecture: "amd64"}
	if _, err := c.PlatformDigest(t.Context(), ref, "1.0", amd64); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Inspect(t.Context(), ref, &TagList{}, "1.0", Want{Platform: &amd64, Created: true}); err != nil {
		t.Fatal(err)
	}
	if got, want := proxy.Requests.Snapshot(), (registrytest.Counts{Ping: 1, ManifestGet: 1, Other: 1}); got != want {
		t.Errorf("requests = %+v, want %+v", got, want)
	}
}
