package registry

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"
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
	c := newClientWith(t, Options{MaxConcurrentRequests: 3})
	var g errgroup.Group
	for i := range 30 {
		g.Go(func() error {
			_, err := c.Digest(t.Context(), img, fmt.Sprintf("t%d", i))
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	if p := peak.Load(); p > 3 || p < 2 {
		t.Errorf("peak requests in flight = %d, want at most 3 (and more than 1)", p)
	}
}

// TestSlotWaitLogged: a request that waits for a slot says how long, in
// the request log, next to when it started.
func TestSlotWaitLogged(t *testing.T) {
	t.Parallel()
	img := server(t, func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(100 * time.Millisecond)
		w.Header().Set("Docker-Content-Digest", "sha256:"+strings.Repeat("0", 64))
	})
	var mu sync.Mutex
	var waits []int64
	c, err := New(t.Context(), Options{MaxConcurrentRequests: 1, Log: func(_ context.Context, msg string, fields map[string]any) {
		if msg == "registry request" && strings.Contains(fields["path"].(string), "/manifests/") { //nolint:forcetypeassert // the log's own field
			mu.Lock()
			waits = append(waits, fields["slot_wait_ms"].(int64)) //nolint:forcetypeassert // the log's own field
			mu.Unlock()
			if _, err := time.Parse(time.RFC3339Nano, fields["start"].(string)); err != nil { //nolint:forcetypeassert // the log's own field
				t.Errorf("start %v: %v", fields["start"], err)
			}
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			if _, err := c.Digest(t.Context(), img, fmt.Sprintf("t%d", i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	slices.Sort(waits)
	if len(waits) != 2 || waits[1] < 50 {
		t.Errorf("slot waits = %v ms, want one request to wait about 100 ms for the other", waits)
	}
}
