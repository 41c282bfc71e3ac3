package transport

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// TestPlainHTTPRefused: a plain-HTTP request to a host that is neither
// loopback nor listed fails in the transport, before any connection.
func TestPlainHTTPRefused(t *testing.T) {
	t.Parallel()
	rt := newHostTransport(map[string]bool{"registry.internal:5000": true}, nil)
	for _, u := range []string{"http://10.1.2.3:5000/v2/", "http://192.168.1.10/v2/", "http://registry.example.com/v2/"} {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := rt.RoundTrip(req)
		if resp != nil {
			_ = resp.Body.Close()
		}
		if !errors.Is(err, ErrPlainHTTP) || !strings.Contains(err.Error(), "listed as insecure") {
			t.Errorf("GET %s: %v, want ErrPlainHTTP saying which hosts may use it", u, err)
		}
	}
}
