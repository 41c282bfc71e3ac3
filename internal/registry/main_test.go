package registry

import (
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

func TestMain(m *testing.M) {
	registrytest.Main(m, nil)
}
