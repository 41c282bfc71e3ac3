package provider

import (
	"os"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

// testProxy is the proxy every request to a host that is not on loopback
// goes through; it refuses all but the test registries routed to it.
var testProxy *registrytest.Proxy

func TestMain(m *testing.M) {
	testProxy = registrytest.BlockInternet()
	os.Exit(m.Run())
}
