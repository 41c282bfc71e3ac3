package registry

import (
	"net/http"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// TestRateLimitWarning: a registry that reports few requests left gives one

// warning per run, and plenty of requests left gives none.

func TestRateLimitWarning(t *testing.T) {
	t.Parallel()
	low := listWithRemaining(t, "4;w=21600")
	want := RateLimit{Registry: low.img.Registry, Remaining: 4, Limit: "100 pulls per 6h0m0s"}
	if got := low.c.LowRateLimits(low.img); len(got) != 1 || got[0] != want {
		t.Errorf("LowRateLimits = %+v, want 4 left of 100 pulls per 6h0m0s on %s", got, low.img.Registry)
	}
	if again := low.c.LowRateLimits(low.img); len(again) != 0 {
		t.Errorf("second LowRateLimits = %+v, want none", again)
	}
	plenty := listWithRemaining(t, "80;w=21600")
	if got := plenty.c.LowRateLimits(plenty.img); len(got) != 0 {
		t.Errorf("LowRateLimits = %+v with 80 of 100 left", got)
	}
}

// listed is a client that has listed the tags of img.

type listed struct {
	c   *Client
	img names.Repository
}

// listWithRemaining lists the tags of a registry that answers with a limit

// of 100 pulls per 6 hours and the given Ratelimit-Remaining.

func listWithRemaining(t *testing.T, remaining string) listed {
	t.Helper()
	img := server(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Ratelimit-Limit", "100;w=21600")
		w.Header().Set("Ratelimit-Remaining", remaining)
		_, _ = w.Write([]byte(`{"name":"team/x","tags":["1.0"]}`))
	})
	c := newClient(t)
	if _, err := c.ListTags(t.Context(), img); err != nil {
		t.Fatal(err)
	}
	return listed{c, img}
}
