package pushapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/faults"
)

// ACR is an emulated Azure Container Registry: a registry whose host also
// serves ACR's tag API, GET /acr/v1/{repository}/_tags/{tag}
// (https://learn.microsoft.com/en-us/rest/api/containerregistry/tag/get-properties),
// behind a bearer challenge for the scope repository:{repository}:metadata_read,
// whose token comes from the registry's /oauth2/token
// (https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md).
type ACR struct {
	*Server
	// Host is the registry's host:port, to use in image names.
	Host string
	// Scopes are the scopes tokens were asked for.
	Scopes []string
}

// NewACR puts ACR's API in front of upstream, a registry without auth.
func NewACR(t testing.TB, upstream *registrytest.Registry) *ACR {
	t.Helper()
	a := &ACR{Server: &Server{pushed: map[string]time.Time{}}}
	proxy := faults.NewFaultProxy(t, upstream)
	a.Host = proxy.Host
	a.URL = "http://" + proxy.Host
	realm := a.URL + "/oauth2/token"
	proxy.Inject(faults.Fault{Path: "/oauth2/token", Serve: func(w http.ResponseWriter, req *http.Request, _ faults.Upstream) {
		scope := req.URL.Query().Get("scope")
		a.mu.Lock()
		a.Scopes = append(a.Scopes, scope)
		a.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]string{"access_token": "acr-token:" + scope})
	}})
	proxy.Inject(faults.Fault{Path: "/acr/v1/", Serve: func(w http.ResponseWriter, req *http.Request, _ faults.Upstream) {
		rest := strings.TrimPrefix(req.URL.Path, "/acr/v1/")
		repository, tag, ok := strings.Cut(rest, "/_tags/")
		scope := "repository:" + repository + ":metadata_read"
		if req.Header.Get("Authorization") != "Bearer acr-token:"+scope {
			w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm=%q,service=%q,scope=%q`, realm, a.Host, scope))
			writeJSON(w, http.StatusUnauthorized, map[string]any{"errors": []map[string]string{{"code": "UNAUTHORIZED", "message": "authentication required"}}})
			return
		}
		if !a.admit(w, req) {
			return
		}
		at, found := a.lookup(repository, tag)
		if !ok || !found {
			writeJSON(w, http.StatusNotFound, map[string]any{"errors": []map[string]string{{"code": "TAG_UNKNOWN", "message": "the specified tag does not exist"}}})
			return
		}
		ts := at.UTC().Format(time.RFC3339Nano)
		writeJSON(w, http.StatusOK, map[string]any{"registry": a.Host, "imageName": repository,
			"tag": map[string]any{"name": tag, "digest": "sha256:0000000000000000000000000000000000000000000000000000000000000000", "createdTime": ts, "lastUpdateTime": ts}})
	}})
	return a
}
