package pushapi

import (
	"net/http"
	"strings"
	"testing"
)

// NewQuay emulates Quay's tag API
// (https://docs.quay.io/api/swagger/#!/tag/listRepoTags): GET
// /api/v1/repository/{namespace}/{repository}/tag/?specificTag={tag}&onlyActiveTags=true
// gives {"tags":[{"name","start_ts",…}],"page":1,"has_additional":false},
// with no tags for a tag it does not have.
func NewQuay(t testing.TB) *Server {
	return newServer(t, func(s *Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if !s.admit(w, req) {
				return
			}
			rest, ok := strings.CutPrefix(req.URL.Path, "/api/v1/repository/")
			repository, ok2 := strings.CutSuffix(rest, "/tag/")
			if !ok || !ok2 || req.URL.Query().Get("onlyActiveTags") != "true" {
				writeJSON(w, http.StatusNotFound, map[string]string{"error_message": "Not Found"})
				return
			}
			tag := req.URL.Query().Get("specificTag")
			tags := []map[string]any{}
			if at, found := s.lookup(repository, tag); found {
				tags = append(tags, map[string]any{"name": tag, "start_ts": at.Unix(), "reversion": false})
			}
			writeJSON(w, http.StatusOK, map[string]any{"tags": tags, "page": 1, "has_additional": false})
		})
	})
}
