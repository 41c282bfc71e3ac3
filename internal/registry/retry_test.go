package registry

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// server answers /v2/ with 200 and /v2/x/tags/list with h.

func server(t *testing.T, h http.HandlerFunc) names.Repository {
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
