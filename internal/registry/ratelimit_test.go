package registry

import (
	"net/http"
	"testing"
)

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
	low := c.LowRateLimits(img)
	if len(low) != 1 || low[0] != (RateLimit{Registry: img.Registry, Remaining: 4, Limit: "100 pulls per 6h0m0s"}) {
		t.Errorf("LowRateLimits = %+v, want 4 left of 100 pulls per 6h0m0s on %s", low, img.Registry)
	}
	if again := c.LowRateLimits(img); len(again) != 0 {
		t.Errorf("second LowRateLimits = %+v, want none", again)
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
	if low := c.LowRateLimits(img); len(low) != 0 {
		t.Errorf("LowRateLimits = %+v with 80 of 100 left", low)
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
