package benchmarks

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

// BenchmarkListAndSelect100k is the provider's hot path on a repository of
// 100,000 tags, in Go: a new registry.Client lists every page (list), the
// workload's three filters select from the list (select), and both (ns/op
// and allocations per plan-sized use). The pages come from a server that
// encoded them once, so that the numbers are the client's alone.
func BenchmarkListAndSelect100k(b *testing.B) {
	tags, p := largeTags(largeRepoTags)
	host := newTagPagesServer(b, largeRepo, tags, pageSize)
	img, err := registry.ParseImage(host+"/"+largeRepo, "")
	if err != nil {
		b.Fatal(err)
	}
	stable, err := tagfilter.ParseConstraint(stableConstraint)
	if err != nil {
		b.Fatal(err)
	}
	selections := []struct {
		filter     *tagfilter.Filter
		constraint *tagfilter.Constraint
		want       string
	}{
		{tagfilter.Default(), nil, p.Semver},
		{tagfilter.Default(), stable, p.Stable},
		{tagfilter.MustParse(alpineFilter), nil, p.Alpine},
	}
	list := func(b *testing.B) []string {
		c, err := registry.New(registry.Options{})
		if err != nil {
			b.Fatal(err)
		}
		listed, err := c.ListTags(b.Context(), img)
		if err != nil {
			b.Fatal(err)
		}
		if len(listed.Tags) != len(tags) {
			b.Fatalf("listed %d tags, want %d", len(listed.Tags), len(tags))
		}
		return listed.Tags
	}
	selectAll := func(b *testing.B, listed []string) {
		for _, s := range selections {
			// The provider asks for the top candidates, for its debug log.
			if got := s.filter.Select(listed, s.constraint, 5).Tag; got != s.want {
				b.Fatalf("%s selected %q, want %q", s.filter, got, s.want)
			}
		}
	}

	b.Run("list", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			list(b)
		}
		// Reported after the loop: its first round clears the metrics.
		b.ReportMetric(retainedMiB(func() any { return list(b) }), "retained-MiB")
	})
	b.Run("select", func(b *testing.B) {
		b.ReportAllocs()
		listed := list(b)
		for b.Loop() {
			selectAll(b, listed)
		}
	})
	b.Run("list+select", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			selectAll(b, list(b))
		}
	})
}

// retainedMiB returns how much heap the value that f makes holds, in MiB.
func retainedMiB(f func() any) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := f()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
}

// newTagPagesServer serves on 127.0.0.1 GET /v2/ (200, no auth) and the tag
// list of repo, paged as distribution pages it (see registrytest's package
// documentation): at most pageSize tags a page, sorted, after last, with a
// Link to the next page when the page is full, so that a list that ends on a
// page boundary has a last, empty page. Every page is encoded once, up front:
// the in-process registry sorts and encodes the whole list for each page,
// which would swamp the client's cost in a benchmark of it. It returns the
// server's host:port.
func newTagPagesServer(b *testing.B, repo string, tags []string, pageSize int) string {
	b.Helper()
	sorted := slices.Sorted(slices.Values(tags))
	path := "/v2/" + repo + "/tags/list"
	type page struct {
		body []byte
		link string
	}
	pages := map[string]page{} // by the last parameter that asks for them
	for start := 0; ; start += pageSize {
		chunk := sorted[start:min(start+pageSize, len(sorted))]
		body, err := json.Marshal(map[string]any{"name": repo, "tags": chunk})
		if err != nil {
			b.Fatal(err)
		}
		last := ""
		if start > 0 {
			last = sorted[start-1]
		}
		pg := page{body: body}
		if len(chunk) == pageSize {
			next := url.Values{"n": {fmt.Sprint(pageSize)}, "last": {chunk[len(chunk)-1]}}
			pg.link = fmt.Sprintf(`<%s?%s>; rel="next"`, path, next.Encode())
		}
		pages[last] = pg
		if len(chunk) < pageSize {
			break
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		switch {
		case req.URL.Path == "/v2/" || req.URL.Path == "/v2":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte("{}"))
		case req.Method == http.MethodGet && req.URL.Path == path:
			pg, ok := pages[req.URL.Query().Get("last")]
			if !ok {
				http.Error(w, `{"errors":[{"code":"UNSUPPORTED","message":"no such page"}]}`, http.StatusBadRequest)
				return
			}
			if pg.link != "" {
				w.Header().Set("Link", pg.link)
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(pg.body)
		default:
			http.NotFound(w, req)
		}
	}))
	b.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}
