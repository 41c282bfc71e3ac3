package registrytest

import (
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/registry"
)

// NewInProcess starts go-containerregistry's in-memory registry
// (pkg/registry) on 127.0.0.1 with net/http/httptest, without TLS or auth,
// and stops it when the test ends. Its [Registry.Requests] counts the
// requests the code under test sends it. Its request log is printed if the
// test fails.
//
// Its tag lists are paged like distribution's, without a cap on n (see the
// package documentation).
func NewInProcess(t testing.TB) *Registry {
	t.Helper()

	logPath := filepath.Join(t.TempDir(), "registry.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatalf("registrytest: %v", err)
	}
	logOnFailure(t, "in-process registry", logPath)
	t.Cleanup(func() { _ = logFile.Close() })

	counts := &RequestCounts{}
	handler := registry.New(registry.Logger(log.New(logFile, "", log.LstdFlags|log.Lmicroseconds)), registry.WithReferrersSupport(true))
	srv := httptest.NewServer(counts.Wrap(paginate(handler)))

	r := &Registry{
		Host:      strings.TrimPrefix(srv.URL, "http://"),
		Requests:  counts,
		transport: newTransport(nil),
	}
	t.Cleanup(func() {
		r.transport.CloseIdleConnections()
		srv.Close()
	})
	return r
}
