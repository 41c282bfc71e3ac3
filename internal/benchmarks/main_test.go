package benchmarks

import (
	"fmt"
	"os"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

// provider is the provider, built once per run of the benchmarks into a
// work directory removed at the end.
var provider *registrytest.ProviderBuild

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
	provider = registrytest.NewProviderBuild(dir)
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}
