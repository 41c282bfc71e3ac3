package benchmarks

import (
	"os"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/tfrun"
)

// provider is the provider, built once per run of the benchmarks, on first
// use.
var provider *tfrun.ProviderBuild

func TestMain(m *testing.M) {
	// Terraform starts this binary in place of the provider when a benchmark
	// measures the provider's memory; see providerWrapper.
	if code, ok := runProviderWrapper(); ok {
		os.Exit(code)
	}
	registrytest.Main(m, &provider)
}
