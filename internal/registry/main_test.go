package registry

import (
	"os"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

func TestMain(m *testing.M) {
	registrytest.BlockInternet()
	os.Exit(m.Run())
}
