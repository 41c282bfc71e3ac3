package registrytest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

// manyTags is how many tags the tests push to one repository: more than
// distribution's default page of 1000, so listing them takes two pages.
const manyTags = 1200

func TestInProcess(t *testing.T) {
	t.Parallel()
	r := registrytest.NewInProcess(t)
	exercise(t, r)

	// exercise listed one repository of 1200 tags, in two pages of 1000,
	// and sent HEADs; the helper's own pushes are not counted.
	if got := r.Requests.TagList.Load(); got != 2 {
		t.Errorf("Requests.TagList = %d, want 2", got)
	}
	if got := r.Requests.ManifestHead.Load(); got == 0 {
		t.Error("Requests.ManifestHead = 0, want the HEADs sent by the test")
	}
}

func TestDistribution(t *testing.T) {
	t.Parallel()
	r := registrytest.NewDistribution(t)
	if r.Requests != nil {
		t.Error("Requests is not nil for distribution")
	}
	exercise(t, r)
}

// TestPagination checks what the package documentation says of tag list
// pages, on both kinds of registry.
func TestPagination(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		start func(t *testing.T) *registrytest.Registry
		first string // the query of the first page, asking for 3 tags
	}{
		{"in-process", func(t *testing.T) *registrytest.Registry { return registrytest.NewInProcess(t) }, "n=3"},
		// An n above maxtags is clamped.
		{"distribution", func(t *testing.T) *registrytest.Registry {
			return registrytest.NewDistribution(t, registrytest.WithMaxTags(3))
		}, "n=100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tc.start(t)
			tags := []string{"a", "b", "c", "d", "e", "f"}
			r.PushTags(t, "page/me", tags...)

			for _, page := range []struct {
				query string
				tags  []string
				link  string
			}{
				{"", tags, ""},
				{tc.first, tags[:3], `</v2/page/me/tags/list?last=c&n=3>; rel="next"`},
				// The last full page still has a Link, to an empty page.
				{"last=c&n=3", tags[3:], `</v2/page/me/tags/list?last=f&n=3>; rel="next"`},
				{"last=f&n=3", []string{}, ""},
				{"last=b", tags[2:], ""},
				{"n=0", []string{}, ""},
			} {
				got, link := getTags(t, r, "/v2/page/me/tags/list?"+page.query)
				if !slices.Equal(got, page.tags) || link != page.link {
					t.Errorf("?%s: tags %q, Link %q; want %q, %q", page.query, got, link, page.tags, page.link)
				}
			}

			// go-containerregistry follows the Links.
			listed, err := remote.List(repository(t, r, "page/me"), append(r.RemoteOptions(), remote.WithContext(t.Context()), remote.WithPageSize(2))...)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(listed, tags) {
				t.Errorf("remote.List = %v, want %v", listed, tags)
			}
		})
	}
}

func TestRetag(t *testing.T) {
	t.Parallel()
	r := registrytest.NewInProcess(t)
	want := r.PushImage(t, "team/app", "1.0.0")
	r.Retag(t, "team/app", "1.0.0", "latest")
	if got := head(t, r, "team/app", "latest").Digest; got != want {
		t.Errorf("latest = %s, want %s", got, want)
	}
}

// exercise pushes an image, an index and manyTags tags to r and reads them
// back with go-containerregistry.
func exercise(t *testing.T, r *registrytest.Registry) {
	t.Helper()

	img := r.PushImage(t, "team/app", "1.0.0", registrytest.WithPlatform("linux/arm64/v8"))
	desc := head(t, r, "team/app", "1.0.0")
	if desc.Digest != img {
		t.Errorf("HEAD team/app:1.0.0 = %s, want %s", desc.Digest, img)
	}
	got, err := remote.Image(reference(t, r, "team/app", "1.0.0"), r.RemoteOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := got.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if p := cf.Platform().String(); p != "linux/arm64/v8" {
		t.Errorf("image platform = %q, want linux/arm64/v8", p)
	}

	platforms := []string{"linux/amd64", "linux/arm64/v8", "linux/arm/v7"}
	index, perPlatform := r.PushIndex(t, "team/multi", "2.0", platforms...)
	if got := head(t, r, "team/multi", "2.0").Digest; got != index {
		t.Errorf("HEAD team/multi:2.0 = %s, want %s", got, index)
	}
	idx, err := remote.Index(reference(t, r, "team/multi", "2.0"), r.RemoteOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != len(platforms) {
		t.Fatalf("index has %d manifests, want %d", len(im.Manifests), len(platforms))
	}
	for i, m := range im.Manifests {
		if m.Platform == nil || m.Platform.String() != platforms[i] || m.Digest != perPlatform[platforms[i]] {
			t.Errorf("index manifest %d = %v %s, want %s %s", i, m.Platform, m.Digest, platforms[i], perPlatform[platforms[i]])
		}
	}

	tags := make([]string, manyTags)
	for i := range tags {
		tags[i] = fmt.Sprintf("1.%d.%d", i/50, i%50)
	}
	digests := r.PushTags(t, "team/many", tags...)
	listed, err := remote.List(repository(t, r, "team/many"), append(r.RemoteOptions(), remote.WithContext(t.Context()))...)
	if err != nil {
		t.Fatal(err)
	}
	if want := slices.Sorted(slices.Values(tags)); !slices.Equal(listed, want) {
		t.Errorf("remote.List returned %d tags, want the %d pushed", len(listed), len(want))
	}
	distinct := map[v1.Hash]bool{}
	for _, d := range digests {
		distinct[d] = true
	}
	if len(distinct) != manyTags {
		t.Errorf("PushTags returned %d distinct digests, want %d", len(distinct), manyTags)
	}
	for _, tag := range []string{tags[0], tags[1], tags[manyTags/2], tags[manyTags-1]} {
		if got := head(t, r, "team/many", tag).Digest; got != digests[tag] {
			t.Errorf("HEAD team/many:%s = %s, want %s", tag, got, digests[tag])
		}
	}
}

func head(t *testing.T, r *registrytest.Registry, repo, tag string) *v1.Descriptor {
	t.Helper()
	desc, err := remote.Head(reference(t, r, repo, tag), append(r.RemoteOptions(), remote.WithContext(t.Context()))...)
	if err != nil {
		t.Fatal(err)
	}
	return desc
}

func reference(t *testing.T, r *registrytest.Registry, repo, tag string) name.Tag {
	t.Helper()
	ref, err := name.NewTag(r.Host + "/" + repo + ":" + tag)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func repository(t *testing.T, r *registrytest.Registry, repo string) name.Repository {
	t.Helper()
	ref, err := name.NewRepository(r.Host + "/" + repo)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// getTags sends an anonymous GET to the registry's path and returns the tags
// and the Link header of the answer.
func getTags(t *testing.T, r *registrytest.Registry, path string) (tags []string, link string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, r.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{Transport: r.Transport()}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	var body struct {
		Tags []string `json:"tags"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.Tags, resp.Header.Get("Link")
}
