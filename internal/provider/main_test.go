package provider

import (
	"os"
	"testing"
)

// TestMain sends every request to a host that is not on loopback through a
// proxy address where nothing listens, so that no test can reach the
// internet even by mistake (requests to loopback never use a proxy).
func TestMain(m *testing.M) {
	for _, v := range []string{"HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"} {
		_ = os.Setenv(v, "http://127.0.0.1:9")
	}
	for _, v := range []string{"NO_PROXY", "no_proxy"} {
		_ = os.Unsetenv(v)
	}
	os.Exit(m.Run())
}
