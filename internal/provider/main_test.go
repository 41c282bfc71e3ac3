package provider

import (
	"fmt"
	"os"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

// testProxy is the proxy every request to a host that is not on loopback
// goes through; it refuses all but the test registries routed to it.
var testProxy *registrytest.Proxy

// testProvider is the provider binary, for the tests that run it under
// Terraform: built once, into a directory removed at the end.
var testProvider *registrytest.ProviderBuild

func TestMain(m *testing.M) {
	testProxy = registrytest.BlockInternet()
	dir, err := os.MkdirTemp("", "registry-provider-tests-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testProvider = registrytest.NewProviderBuild(dir)
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}
