package provider

import (
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/tfrun"
)

// testProvider is the provider binary, for the tests that run it under
// Terraform: built once, on first use.
var testProvider *tfrun.ProviderBuild

func TestMain(m *testing.M) {
	registrytest.Main(m, &testProvider)
}
