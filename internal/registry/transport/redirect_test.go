package transport

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRedirectKeepsBodiesHome: a 307 re-sends a request's body, and Go
// drops only the Authorization header across hosts, so a POST (a Hub login
// holds a password in its body) is not followed to another host; a GET is,
// without credentials.
func TestRedirectKeepsBodiesHome(t *testing.T) {
	t.Parallel()
	var leaked atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodPost {
			leaked.Add(1)
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(other.Close)
	// The same host:port spelled another way is another host to the client.
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		http.Redirect(w, req, otherURL+"/elsewhere", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(first.Close)

	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, first.URL+"/v2/auth/token", strings.NewReader(`{"secret":"s3cret"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := Send(http.DefaultTransport, req)
	if err == nil {
		_ = resp.Body.Close()
	}
	if !errors.Is(err, errRedirect) || leaked.Load() != 0 {
		t.Errorf("POST redirected to another host: %v, %d bodies received there; want the redirect refused", err, leaked.Load())
	}
	get, err := http.NewRequestWithContext(t.Context(), http.MethodGet, first.URL+"/v2/", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err = Send(http.DefaultTransport, get)
	if err != nil {
		t.Fatalf("GET redirected to another host: %v, want it followed", err)
	}
	_ = resp.Body.Close()
}
