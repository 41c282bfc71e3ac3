package registry

import (
	"io"
	"net/http"
	"sync"
)

// DefaultMaxConcurrentRequests is how many requests may be in flight to one
// registry at once when Options.MaxConcurrentRequests is 0.
const DefaultMaxConcurrentRequests = 8

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
	s := t.slot(req.URL.Host)
	select {
	case s <- struct{}{}:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	release := sync.OnceFunc(func() { <-s })
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
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
