package transport

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                              0,
		"5":                             5 * time.Second,
		"0":                             0,
		"-3":                            0,
		"soon":                          0,
		"Mon, 23 Nov 2026 12:00:30 GMT": 30 * time.Second,
		"Mon, 23 Nov 2026 11:00:00 GMT": time.Millisecond,
		// Past time.Duration's range: once an overflow into a negative wait.
		"9223372037":           maxRetryAfter * time.Second,
		"99999999999999999999": 0, // not a number Go can hold: ignored
	} {
		if got := retryAfter(http.Header{"Retry-After": {v}}, now); got != want {
			t.Errorf("Retry-After %q = %s, want %s", v, got, want)
		}
	}
}

// TestXRetryAfter: Docker Hub's API says when to come back in
// X-Retry-After, a Unix time; Retry-After wins when both are sent.
func TestXRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		header http.Header
		want   time.Duration
	}{
		{http.Header{"X-Retry-After": {fmt.Sprint(now.Add(90 * time.Second).Unix())}}, 90 * time.Second},
		{http.Header{"X-Retry-After": {fmt.Sprint(now.Add(-time.Hour).Unix())}}, 0}, // past (clock skew): the backoff applies
		{http.Header{"X-Retry-After": {"later"}}, 0},
		{http.Header{"X-Retry-After": {fmt.Sprint(now.Add(time.Hour).Unix())}, "Retry-After": {"5"}}, 5 * time.Second},
	} {
		if got := retryAfter(c.header, now); got != c.want {
			t.Errorf("retryAfter(%v) = %s, want %s", c.header, got, c.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	for attempt := 1; attempt <= 12; attempt++ {
		full := retryBase << (attempt - 1)
		if full > retryMax {
			full = retryMax
		}
		for range 50 {
			d := backoff(attempt)
			if d < full/2 || d > full {
				t.Fatalf("backoff(%d) = %s, want within [%s, %s]", attempt, d, full/2, full)
			}
		}
	}
}

// TestThrottleIsNotAPullLimit: a 429 with the standard TOOMANYREQUESTS code
// and Retry-After (GHCR, Quay, Harbor) is retried; only Docker Hub's pull
// limit fails at once.
func TestThrottleIsNotAPullLimit(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		header http.Header
		body   string
		pull   bool
	}{
		{"throttle", http.Header{"Retry-After": {"1"}}, `{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}`, false},
		{"throttle without a body", nil, "", false},
		{"pull limit by its message", nil, `{"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit."}]}`, true},
		{"pull limit by its header", http.Header{"Ratelimit-Remaining": {"0;w=21600"}}, `{"errors":[{"code":"TOOMANYREQUESTS","message":"x"}]}`, true},
	} {
		resp := &http.Response{StatusCode: http.StatusTooManyRequests, Header: tt.header, Body: io.NopCloser(strings.NewReader(tt.body))}
		if resp.Header == nil {
			resp.Header = http.Header{}
		}
		req := httptest.NewRequest(http.MethodGet, "https://ghcr.io/v2/x/tags/list", nil)
		if got := pullLimit(req, resp) != nil; got != tt.pull {
			t.Errorf("%s: pull limit %v, want %v", tt.name, got, tt.pull)
		}
	}
}
