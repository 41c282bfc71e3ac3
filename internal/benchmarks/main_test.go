package benchmarks

import (
	"fmt"
	"os"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

// workDir holds what is built once per run of the benchmarks: the provider
// and crane binaries.
var workDir string

func TestMain(m *testing.M) {
	// Terraform starts this binary in place of the provider when a benchmark
	// measures the provider's memory; see providerWrapper.
	if code, ok := runProviderWrapper(); ok {
		os.Exit(code)
	}
	registrytest.BlockInternet()
	dir, err := os.MkdirTemp("", "registry-benchmarks-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	workDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}
