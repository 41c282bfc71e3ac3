package transport

import (
	"net/http"
	"time"
)

// logTransport logs each request's method, host, path, status, when it
// started, how long it took and how long it waited for a slot of the
// registry's concurrency bound: with TF_LOG=debug, a timeline of the plan's
// requests.
// It never logs headers, so credentials and tokens stay out of the log; the
// token endpoint's query (service and scope) is dropped as well.
type logTransport struct {
	next http.RoundTripper
	log  LogFunc
}

var _ http.RoundTripper = (*logTransport)(nil)

func newLogTransport(next http.RoundTripper, log LogFunc) *logTransport {
	return &logTransport{next: next, log: log}
}

func (t *logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	fields := map[string]any{
		"method":       req.Method,
		"host":         req.URL.Host,
		"path":         req.URL.Path,
		"start":        start.UTC().Format(time.RFC3339Nano),
		"duration_ms":  time.Since(start).Milliseconds(),
		"slot_wait_ms": slotWait(req.Context()).Milliseconds(),
	}
	if err != nil {
		fields["error"] = err.Error()
		t.log(req.Context(), "registry request failed", fields)
		return resp, err
	}
	fields["status"] = resp.StatusCode
	t.log(req.Context(), "registry request", fields)
	return resp, nil
}
