package pushapi

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// NewDockerHub emulates Docker Hub's API
// (https://docs.docker.com/reference/api/hub/latest/): POST /v2/auth/token
// takes {"identifier","secret"} and gives {"access_token"}, which
// Require can then ask for as "Bearer hub-token-<identifier>"; GET
// /v2/namespaces/{namespace}/repositories/{repository}/tags/{tag} gives
// the tag with tag_last_pushed.
func NewDockerHub(t testing.TB, users map[string]string) *Server {
	return newServer(t, func(s *Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if req.Method == http.MethodPost && req.URL.Path == "/v2/auth/token" {
				var in struct{ Identifier, Secret string }
				if err := json.NewDecoder(req.Body).Decode(&in); err != nil || users[in.Identifier] == "" || users[in.Identifier] != in.Secret {
					writeJSON(w, http.StatusUnauthorized, map[string]string{"detail": "Incorrect authentication credentials"})
					return
				}
				writeJSON(w, http.StatusOK, map[string]string{"access_token": "hub-token-" + in.Identifier})
				return
			}
			if !s.admit(w, req) {
				return
			}
			rest, ok := strings.CutPrefix(req.URL.Path, "/v2/namespaces/")
			parts := strings.Split(rest, "/")
			if !ok || len(parts) != 5 || parts[1] != "repositories" || parts[3] != "tags" {
				writeJSON(w, http.StatusNotFound, map[string]string{"message": "not found"})
				return
			}
			at, found := s.lookup(parts[0]+"/"+parts[2], parts[4])
			if !found {
				writeJSON(w, http.StatusNotFound, map[string]string{"message": "httperror 404: tag '" + parts[4] + "' not found"})
				return
			}
			writeJSON(w, http.StatusOK, map[string]any{"name": parts[4], "tag_last_pushed": at.UTC().Format(time.RFC3339Nano), "tag_status": "active"})
		})
	})
}
