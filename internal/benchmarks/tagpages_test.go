package benchmarks

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// NewTagPages serves on 127.0.0.1 GET /v2/ (200, no auth) and the tag
// list of repo, paged as distribution pages it (see the package
// documentation): at most pageSize tags a page, sorted, after last, with a
// Link to the next page when the page is full, so that a list that ends on a
// page boundary has a last, empty page. Every page is encoded once, up front:
// the in-process registry sorts and encodes the whole list for each page,
// which would swamp the client's cost in a benchmark of it. It returns the
// server's host:port.
func NewTagPages(t testing.TB, repo string, tags []string, pageSize int) string {
	t.Helper()
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
			t.Fatalf("registrytest: %v", err)
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
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}
