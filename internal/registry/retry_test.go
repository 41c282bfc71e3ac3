package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
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

func TestDescribeLimit(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"100;w=21600": "100 pulls per 6h0m0s", "200": "200 pulls", "": ""} {
		if got := describeLimit(in); got != want {
			t.Errorf("describeLimit(%q) = %q, want %q", in, got, want)
		}
	}
}

// server answers /v2/ with 200 and /v2/x/tags/list with h.
func server(t *testing.T, h http.HandlerFunc) Image {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/v2/" {
			return
		}
		h(w, req)
	}))
	t.Cleanup(srv.Close)
	return mustImage(t, strings.TrimPrefix(srv.URL, "http://")+"/team/x")
}

// TestCancelStopsRetries: a cancelled read (Ctrl-C) stops waiting at once,
// even in a long Retry-After.
func TestCancelStopsRetries(t *testing.T) {
	t.Parallel()
	img := server(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c := newClient(t)
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.ListTags(ctx, img)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ListTags = %v, want context.Canceled", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the cancelled read took %s", took)
	}
}

// TestPageCap: a registry whose Link never ends stops at MaxPages with an
// error that names the cap.
func TestPageCap(t *testing.T) {
	t.Parallel()
	var pages atomic.Int64
	img := server(t, func(w http.ResponseWriter, req *http.Request) {
		n := pages.Add(1)
		w.Header().Set("Link", fmt.Sprintf(`</v2/team/x/tags/list?page=%d>; rel="next"`, n))
		_, _ = fmt.Fprintf(w, `{"name":"team/x","tags":["%d"]}`, n)
	})
	_, err := newClient(t).ListTags(t.Context(), img)
	if err == nil || !strings.Contains(err.Error(), "safety cap of 10000 pages") {
		t.Fatalf("ListTags = %v, want the page cap named", err)
	}
	if got := pages.Load(); got != MaxPages {
		t.Errorf("read %d pages, want %d", got, MaxPages)
	}
}

// TestResponseCap: a response past MaxResponseBytes is an error that names
// the cap, not a truncated list.
func TestResponseCap(t *testing.T) {
	t.Parallel()
	img := server(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"name":"team/x","tags":["`))
		chunk := []byte(strings.Repeat("a", 1<<20))
		for range 65 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		_, _ = w.Write([]byte(`"]}`))
	})
	_, err := newClient(t).ListTags(t.Context(), img)
	if err == nil || !strings.Contains(err.Error(), "safety cap of 64 MiB") {
		t.Fatalf("ListTags = %v, want the response cap named", err)
	}
}

// TestRateLimitWarning: a registry that reports few requests left gives one
// warning per run.
func TestRateLimitWarning(t *testing.T) {
	t.Parallel()
	img := server(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Ratelimit-Limit", "100;w=21600")
		w.Header().Set("Ratelimit-Remaining", "4;w=21600")
		_, _ = w.Write([]byte(`{"name":"team/x","tags":["1.0"]}`))
	})
	c := newClient(t)
	if _, err := c.ListTags(t.Context(), img); err != nil {
		t.Fatal(err)
	}
	w := c.RateLimitWarning(img)
	for _, want := range []string{img.Registry, "4 requests left of 100 pulls per 6h0m0s", "Log in", "mirror"} {
		if !strings.Contains(w, want) {
			t.Errorf("warning %q does not say %q", w, want)
		}
	}
	if again := c.RateLimitWarning(img); again != "" {
		t.Errorf("second warning %q, want none", again)
	}
}

// TestNoWarningWithRoomLeft: plenty of requests left gives no warning.
func TestNoWarningWithRoomLeft(t *testing.T) {
	t.Parallel()
	img := server(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Ratelimit-Limit", "100;w=21600")
		w.Header().Set("Ratelimit-Remaining", "80;w=21600")
		_, _ = w.Write([]byte(`{"name":"team/x","tags":["1.0"]}`))
	})
	c := newClient(t)
	if _, err := c.ListTags(t.Context(), img); err != nil {
		t.Fatal(err)
	}
	if w := c.RateLimitWarning(img); w != "" {
		t.Errorf("warning %q with 80 of 100 left", w)
	}
}

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

// TestRegistryIgnoringPageSize: a registry that ignores n and sends every
// tag in one answer, without a Link, is read in one request.
func TestRegistryIgnoringPageSize(t *testing.T) {
	t.Parallel()
	var requests atomic.Int64
	img := server(t, func(w http.ResponseWriter, req *http.Request) {
		requests.Add(1)
		if req.URL.Query().Get("n") != "1000" {
			t.Errorf("asked for page size %q, want 1000", req.URL.Query().Get("n"))
		}
		tags := make([]string, 2500)
		for i := range tags {
			tags[i] = fmt.Sprintf(`"1.%d"`, i)
		}
		_, _ = fmt.Fprintf(w, `{"name":"team/x","tags":[%s]}`, strings.Join(tags, ","))
	})
	list, err := newClient(t).ListTags(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tags) != 2500 || requests.Load() != 1 {
		t.Errorf("got %d tags in %d requests, want 2500 in 1", len(list.Tags), requests.Load())
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
