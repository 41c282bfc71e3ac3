package transport

import (
	"context"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// DefaultMaxConcurrentRequests is how many requests may be in flight to one
// registry at once when Options.MaxConcurrentRequests is 0. Registries limit
// requests by count over time, not by concurrency: Docker Hub counts pulls
// (manifest GETs) per 6 hours and all requests per IP "in the order of
// thousands of requests per minute" (Docker's usage docs, as quoted in
// https://www.augmentedmind.de/2024/12/15/docker-hub-rate-limit-head-request/),
// which a plan's burst of a hundred requests stays far below whatever its
// concurrency. 32 is a third of the streams that one HTTP/2 connection is
// asked to allow (RFC 9113, section 6.5.2: SETTINGS_MAX_CONCURRENT_STREAMS
// "no smaller than 100"), so a registry that speaks HTTP/2 (Docker Hub, GHCR,
// Quay do) serves them on one connection. With 8, a plan of 12 repositories
// 40 ms away waited on the bound (the benchmark's timeline showed 8 in
// flight throughout).
const DefaultMaxConcurrentRequests = 32

// limitTransport bounds the requests in flight to each registry host, so
// that a plan with many data sources does not trip a registry's rate
// limits. A request holds its slot until its body is closed; a request
// waiting for a slot gives up when its context ends.
type limitTransport struct {
	next http.RoundTripper
	max  int

	mu    sync.Mutex
	slots map[string]chan struct{}
}

var _ http.RoundTripper = (*limitTransport)(nil)

func newLimitTransport(next http.RoundTripper, maxInFlight int) *limitTransport {
	return &limitTransport{next: next, max: maxInFlight}
}

func (t *limitTransport) slot(host string) chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.slots == nil {
		t.slots = map[string]chan struct{}{}
	}
	s := t.slots[host]
	if s == nil {
		s = make(chan struct{}, t.max)
		t.slots[host] = s
	}
	return s
}

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	s := t.slot(names.CanonicalHost(req.URL.Host))
	queued := time.Now()
	select {
	case s <- struct{}{}:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	req = req.WithContext(context.WithValue(req.Context(), slotWaitKey{}, time.Since(queued)))
	release := sync.OnceFunc(func() { <-s })
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// slotWaitKey keys, in a request's context, how long it waited for a slot.
type slotWaitKey struct{}

// slotWait returns how long the request of ctx waited for a slot.
func slotWait(ctx context.Context) time.Duration {
	d, _ := ctx.Value(slotWaitKey{}).(time.Duration)
	return d
}

type releasingBody struct {
	io.ReadCloser
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}
