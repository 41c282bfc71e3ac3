package registry

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestConcurrencyBound: no more than MaxConcurrentRequests requests are in
// flight to one registry.
func TestConcurrencyBound(t *testing.T) {
	t.Parallel()
	var inFlight, peak atomic.Int64
	img := server(t, func(w http.ResponseWriter, req *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		w.Header().Set("Docker-Content-Digest", "sha256:"+strings.Repeat("0", 64))
	})
	c, err := New(Options{MaxConcurrentRequests: 3})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 30)
	for i := range 30 {
		go func() {
			_, err := c.Digest(t.Context(), img, fmt.Sprintf("t%d", i))
			errs <- err
		}()
	}
	for range 30 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if p := peak.Load(); p > 3 || p < 2 {
		t.Errorf("peak requests in flight = %d, want at most 3 (and more than 1)", p)
	}
}
