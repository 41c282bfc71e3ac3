package pushapi

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// NewGitHub emulates GitHub's packages API
// (https://docs.github.com/en/rest/packages/packages#list-package-versions-for-a-package-owned-by-an-organization):
// GET /orgs/{org}/packages/container/{package}/versions and
// /users/{user}/..., newest first, per_page versions a page, each version
// a digest with its created_at and metadata.container.tags. Owners listed
// in users are users; the others are organizations. Every tag is a
// version of its own.
func NewGitHub(t testing.TB, users ...string) *Server {
	return newServer(t, func(s *Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if !s.admit(w, req) {
				return
			}
			// The escaped path: a package name with "/" comes as %2F.
			parts := strings.Split(strings.TrimPrefix(req.URL.EscapedPath(), "/"), "/")
			if len(parts) == 6 {
				parts[4], _ = url.PathUnescape(parts[4])
			}
			if len(parts) != 6 || parts[2] != "packages" || parts[3] != "container" || parts[5] != "versions" ||
				(parts[0] == "users") != slices.Contains(users, parts[1]) || (parts[0] != "users" && parts[0] != "orgs") {
				writeJSON(w, http.StatusNotFound, map[string]string{"message": "Package not found."})
				return
			}
			tags := s.tagsOf(parts[1] + "/" + parts[4])
			if len(tags) == 0 {
				writeJSON(w, http.StatusNotFound, map[string]string{"message": "Package not found."})
				return
			}
			names := make([]string, 0, len(tags))
			for tag := range tags {
				names = append(names, tag)
			}
			slices.SortFunc(names, func(a, b string) int { return tags[b].Compare(tags[a]) })
			perPage, _ := strconv.Atoi(req.URL.Query().Get("per_page"))
			page, _ := strconv.Atoi(req.URL.Query().Get("page"))
			perPage, page = max(min(perPage, 100), 1), max(page, 1)
			versions := []map[string]any{}
			for i := (page - 1) * perPage; i < min(page*perPage, len(names)); i++ {
				versions = append(versions, map[string]any{
					"id": i + 1, "name": fmt.Sprintf("sha256:%064d", i+1), "created_at": tags[names[i]].UTC().Format(time.RFC3339),
					"metadata": map[string]any{"package_type": "container", "container": map[string]any{"tags": []string{names[i]}}},
				})
			}
			writeJSON(w, http.StatusOK, versions)
		})
	})
}
