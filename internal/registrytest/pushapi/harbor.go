package pushapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// NewHarbor emulates Harbor's artifact API (the swagger.yaml of
// goharbor/harbor, GET
// /api/v2.0/projects/{project_name}/repositories/{repository_name}/artifacts/{reference}):
// a repository name with "/" must be URL-encoded twice, as Harbor asks;
// one encoding is a 404, as on Harbor. The answer holds the tags with
// their push_time.
func NewHarbor(t testing.TB) *Server {
	return newServer(t, func(s *Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if !s.admit(w, req) {
				return
			}
			// The escaped path, split before unescaping: repository
			// names hold %252F for "/".
			rest, ok := strings.CutPrefix(req.URL.EscapedPath(), "/api/v2.0/projects/")
			parts := strings.Split(rest, "/")
			if !ok || len(parts) != 5 || parts[1] != "repositories" || parts[3] != "artifacts" || req.URL.Query().Get("with_tag") != "true" {
				writeJSON(w, http.StatusNotFound, map[string]any{"errors": []map[string]string{{"code": "NOT_FOUND", "message": "not found"}}})
				return
			}
			once, err1 := url.PathUnescape(parts[2])
			name, err2 := url.PathUnescape(once)
			tag, err3 := url.PathUnescape(parts[4])
			at, found := s.lookup(parts[0]+"/"+name, tag)
			if err1 != nil || err2 != nil || err3 != nil || !found || strings.Contains(once, "/") {
				writeJSON(w, http.StatusNotFound, map[string]any{"errors": []map[string]string{{"code": "NOT_FOUND", "message": "artifact not found"}}})
				return
			}
			pushed := at.UTC().Format(time.RFC3339Nano)
			writeJSON(w, http.StatusOK, map[string]any{
				"digest": "sha256:0000000000000000000000000000000000000000000000000000000000000000", "push_time": pushed,
				"tags": []map[string]any{{"name": tag, "push_time": pushed, "immutable": false}},
			})
		})
	})
}
