package registry

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/faults"
)

// quirkTags returns 1,250 tags, 1.1000.0 to 1.2249.0, so that the newest
// is on the second page of 1,000.
func quirkTags() []string {
	tags := make([]string, 1250)
	for i := range tags {
		tags[i] = fmt.Sprintf("1.%d.0", 1000+i)
	}
	return tags
}

// TestListTagsQuirks reads a tag list through each registry quirk on
// record (registrytest/quirks.go names the reports) and checks the list,
// what the registry was asked, and that a well-behaved registry costs no
// more than the protocol's minimum: two pages for 1,250 tags.
func TestListTagsQuirks(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	reg.PushTags(t, "team/app", quirkTags()...)
	invalid := []string{"99.9.9#x", "9.9.8?a=b", "9.9.7/../../other/manifests/1.0", strings.Repeat("9", 200)}
	tests := []struct {
		name  string
		fault *faults.Fault
		// tags is how many valid tags the list must hold, pages how many
		// tag-list requests it may cost.
		tags, pages, invalid int
		mayBeCut             bool
		err                  string
	}{
		{name: "well-behaved", tags: 1250, pages: 2},
		{name: "full page without Link", fault: ptr(faults.QuirkNoLink()), tags: 1250, pages: 2},
		{name: "distribution maxtags 500", fault: ptr(faults.DistributionPageLimit(500)), tags: 1250, pages: 1 + 13},
		{name: "ECR limit 300", fault: ptr(faults.ECRPageLimit(300)), tags: 1250, pages: 1 + 5},
		{name: "Quay limit 100", fault: ptr(faults.QuayPageLimit()), tags: 1250, pages: 1 + 13},
		{name: "ignores last", fault: ptr(faults.QuirkIgnoreLast(0)), tags: 1250, pages: 3},
		{name: "ignores last, whole list cut at a page", fault: ptr(faults.QuirkIgnoreLast(1000)), tags: 1000, pages: 3, mayBeCut: true},
		{name: "ignores last, whole list shorter than a page", fault: ptr(faults.QuirkIgnoreLast(500)), pages: 3, err: "fewer than one page of 1000"},
		{name: "ignores paging", fault: ptr(faults.QuirkIgnorePaging()), tags: 1250, pages: 1},
		{name: "plain text", fault: ptr(faults.QuirkPlainText()), tags: 1250, pages: 2},
		{name: "tags repeated across pages", fault: ptr(faults.QuirkTags(func(p []string) []string { return append(p, "1.1000.0") })), tags: 1250, pages: 2},
		{name: "invalid tags", fault: ptr(faults.QuirkTags(func(p []string) []string { return append(p, invalid...) })), tags: 1250, pages: 2, invalid: 4}, // the same four on each page, counted once
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			proxy := faults.NewFaultProxy(t, reg)
			if tt.fault != nil {
				proxy.Inject(*tt.fault)
			}
			list, err := newClient(t).ListTags(t.Context(), mustImage(t, proxy.Host+"/team/app"))
			if got := int(proxy.Requests.TagList.Load()); got != tt.pages {
				t.Errorf("tag-list requests = %d, want %d", got, tt.pages)
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ListTags = %v, want an error saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Tags) != tt.tags || list.Invalid != tt.invalid || list.MayBeCut != tt.mayBeCut || list.Listed() != tt.tags+tt.invalid {
				t.Errorf("got %d tags, %d invalid, %d listed, cut %v; want %d, %d, %d, %v",
					len(list.Tags), list.Invalid, list.Listed(), list.MayBeCut, tt.tags, tt.invalid, tt.tags+tt.invalid, tt.mayBeCut)
			}
			if tt.tags == 1250 && !slices.Contains(list.Tags, "1.2249.0") {
				t.Error("the newest tag, 1.2249.0, is missing")
			}
			for _, tag := range list.Tags {
				if !names.ValidTag(tag) {
					t.Errorf("kept %q, which is not a valid tag", tag)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestTagCap: a list past MaxTags is an error naming the cap, whether it
// comes in many pages or in one, and one huge page (48 MiB of short tags,
// 6 million of them) is not decoded whole first.
func TestTagCap(t *testing.T) {
	t.Parallel()
	t.Run("many pages", func(t *testing.T) {
		t.Parallel()
		img := server(t, func(w http.ResponseWriter, req *http.Request) {
			var from int
			_, _ = fmt.Sscanf(req.URL.Query().Get("from"), "%d", &from)
			w.Header().Set("Link", fmt.Sprintf(`</v2/team/x/tags/list?from=%d>; rel="next"`, from+100000))
			_, _ = w.Write(hexTagPage(from, 100000))
		})
		_, err := newClient(t).ListTags(t.Context(), img)
		if err == nil || !strings.Contains(err.Error(), "safety cap of 1000000 tags") {
			t.Fatalf("ListTags = %v, want the tag cap named", err)
		}
	})
	t.Run("one huge page", func(t *testing.T) {
		t.Parallel()
		huge := hugePage()
		img := server(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(huge) })
		_, err := newClient(t).ListTags(t.Context(), img)
		if err == nil || !strings.Contains(err.Error(), "safety cap of 1000000 tags") {
			t.Fatalf("ListTags = %v, want the tag cap named", err)
		}
	})
}

// hugePage returns a 48 MiB tag-list page of 6 million short tags.
func hugePage() []byte { return hexTagPage(0, 6_000_000) }

// hexTagPage returns a tag-list page of n tags, the numbers from from on in
// hexadecimal.
func hexTagPage(from, n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"name":"team/x","tags":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%x"`, from+i)
	}
	b.WriteString("]}")
	return b.Bytes()
}

// TestDecodeTagsMemory: a huge page is not decoded whole before the cap
// stops it (decoding all 6 million tags of 48 MiB took 1.4 GiB). It does
// not run in parallel, so that the allocation count is its own.
func TestDecodeTagsMemory(t *testing.T) {
	huge := hugePage()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := decodeTags(bytes.NewReader(huge), maphash.MakeSeed())
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "safety cap of 1000000 tags") {
		t.Fatalf("decodeTags = %v, want the tag cap named", err)
	}
	if got := (after.TotalAlloc - before.TotalAlloc) >> 20; got > 256 {
		t.Errorf("decoding a %d MiB page allocated %d MiB, want at most 256", len(huge)>>20, got)
	}
}

// TestDecodeTags: the tags field, whatever else the answer holds (GCR's
// manifest and child fields, google/go-containerregistry#897), null for a
// repository without tags, and clear errors for what is no tag list.
func TestDecodeTags(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		`{"name":"x","tags":["a","b"]}`: "a,b",
		`{"child":[],"manifest":{"sha256:1":{"tag":["a"],"timeCreatedMs":"1"}},"name":"x","tags":["a"]}`: "a",
		`{"name":"x","tags":null}`: "",
		`{"name":"x","tags":[]}`:   "",
		`{"name":"x"}`:             `error: no "tags" field`,
		`{"name":"x","tags":"a"}`:  "error: not a list of strings",
		`{"name":"x","tags":[1]}`:  "error: not a list of strings",
		`<html>sign in</html>`:     "error: not valid JSON",
		`{"name":"x","tags":["a"`:  "error: not valid JSON",
		``:                         "error: not valid JSON",
	} {
		page, err := decodeTags(strings.NewReader(body), maphash.MakeSeed())
		got := strings.Join(page.tags, ",")
		if err != nil {
			got = "error: " + err.Error()
		}
		if !strings.HasPrefix(want, "error: ") && got != want || strings.HasPrefix(want, "error: ") && !strings.Contains(got, strings.TrimPrefix(want, "error: ")) {
			t.Errorf("decodeTags(%q) = %q, want %q", body, got, want)
		}
	}
}

// TestLinkOnAnotherSpelling: a registry whose Link spells its own host
// otherwise (upper case, here) is paged, and the credentials still go only
// to it.
func TestLinkOnAnotherSpelling(t *testing.T) {
	t.Parallel()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		switch {
		case req.URL.Path == "/v2/":
		case req.URL.Query().Get("last") == "":
			w.Header().Set("Link", `<`+strings.Replace(srv.URL, "127.0.0.1", "LOCALHOST", 1)+`/v2/team/x/tags/list?last=a>; rel="next"`)
			_, _ = w.Write([]byte(`{"tags":["a"]}`))
		default:
			_, _ = w.Write([]byte(`{"tags":["b"]}`))
		}
	}))
	t.Cleanup(srv.Close)
	img := mustImage(t, strings.Replace(srv.URL, "http://127.0.0.1", "localhost", 1)+"/team/x")
	list, err := newClient(t).ListTags(t.Context(), img)
	if err != nil || strings.Join(list.Tags, ",") != "a,b" {
		t.Fatalf("ListTags = %v, %v; want a,b", list, err)
	}
}

// TestPageSizeFor: Google's registries get pages of 10,000, as their pages
// of 1,000 come without a Link (google/go-containerregistry#1643); the rest
// 1,000, the most ECR accepts.
func TestPageSizeFor(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]int{
		"gcr.io": 10000, "eu.gcr.io": 10000, "europe-docker.pkg.dev": 10000,
		"ghcr.io": 1000, names.DockerHub: 1000, "123456789012.dkr.ecr.eu-west-1.amazonaws.com": 1000, "127.0.0.1:5000": 1000,
	} {
		if got := pageSizeFor(host); got != want {
			t.Errorf("pageSizeFor(%s) = %d, want %d", host, got, want)
		}
	}
}

// TestFullPageEndingInAnInvalidTag: the page after a full page without Link
// is asked after its last valid tag, never after one that is not a tag.
func TestFullPageEndingInAnInvalidTag(t *testing.T) {
	t.Parallel()
	var lasts []string
	var mu sync.Mutex
	img := server(t, func(w http.ResponseWriter, req *http.Request) {
		mu.Lock()
		lasts = append(lasts, req.URL.Query().Get("last"))
		mu.Unlock()
		if req.URL.Query().Get("last") != "" {
			_, _ = w.Write([]byte(`{"tags":["2.0"]}`))
			return
		}
		tags := make([]string, 1000)
		for i := range tags {
			tags[i] = fmt.Sprintf("%q", fmt.Sprintf("1.%d", i))
		}
		tags[998], tags[999] = `"../../x y?z"`, `""`
		_, _ = w.Write([]byte(`{"tags":[` + strings.Join(tags, ",") + `]}`))
	})
	list, err := newClient(t).ListTags(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tags) != 999 || list.Invalid != 2 {
		t.Errorf("got %d tags, %d invalid; want 999 and 2", len(list.Tags), list.Invalid)
	}
	if len(lasts) != 2 || lasts[1] != "1.997" {
		t.Errorf("asked with last = %q, want the first page, then last=1.997", lasts)
	}
}

// TestPageCap: a registry whose Link never ends stops at MaxPages with an
// error that names the cap.
func TestPageCap(t *testing.T) {
	t.Parallel()
	var pages atomic.Int64
	img := server(t, func(w http.ResponseWriter, req *http.Request) {
		n := pages.Add(1)
		w.Header().Set("Link", fmt.Sprintf(`</v2/team/x/tags/list?page=%d>; rel="next"`, n))
		_, _ = fmt.Fprintf(w, `{"name":"team/x","tags":["%d"]}`, n)
	})
	_, err := newClient(t).ListTags(t.Context(), img)
	if err == nil || !strings.Contains(err.Error(), "safety cap of 10000 pages") {
		t.Fatalf("ListTags = %v, want the page cap named", err)
	}
	if got := pages.Load(); got != MaxPages {
		t.Errorf("read %d pages, want %d", got, MaxPages)
	}
}

// TestResponseCap: a response past MaxResponseBytes is an error that names
// the cap, not a truncated list.
func TestResponseCap(t *testing.T) {
	t.Parallel()
	img := server(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"name":"team/x","tags":["`))
		chunk := []byte(strings.Repeat("a", 1<<20))
		for range 65 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		_, _ = w.Write([]byte(`"]}`))
	})
	_, err := newClient(t).ListTags(t.Context(), img)
	if err == nil || !strings.Contains(err.Error(), "safety cap of 64 MiB") {
		t.Fatalf("ListTags = %v, want the response cap named", err)
	}
}

// TestRegistryIgnoringPageSize: a registry that ignores n and sends every
// tag in one answer, without a Link, is read in one request.
func TestRegistryIgnoringPageSize(t *testing.T) {
	t.Parallel()
	var requests atomic.Int64
	img := server(t, func(w http.ResponseWriter, req *http.Request) {
		requests.Add(1)
		if req.URL.Query().Get("n") != "1000" {
			t.Errorf("asked for page size %q, want 1000", req.URL.Query().Get("n"))
		}
		tags := make([]string, 2500)
		for i := range tags {
			tags[i] = fmt.Sprintf(`"1.%d"`, i)
		}
		_, _ = fmt.Fprintf(w, `{"name":"team/x","tags":[%s]}`, strings.Join(tags, ","))
	})
	list, err := newClient(t).ListTags(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tags) != 2500 || requests.Load() != 1 {
		t.Errorf("got %d tags in %d requests, want 2500 in 1", len(list.Tags), requests.Load())
	}
}
