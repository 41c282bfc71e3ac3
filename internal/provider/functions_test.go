package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// providerFunctions declares the provider, as a configuration that calls
// its functions must.
const providerFunctions = `terraform {
  required_providers {
    registry = { source = "hashicorp/registry" }
  }
}
`

func hex64() string { return strings.Repeat("0123456789abcdef", 4) }

// functionsTest runs steps against Terraform >= 1.8, which has
// provider-defined functions.
func functionsTest(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		Steps:                    steps,
	})
}

func strings_(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(values))
	for i, v := range values {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.ListExact(checks)
}

// TestFunctions calls each function as a user would in terraform console,
// on tags pasted from crane ls.
func TestFunctions(t *testing.T) {
	t.Parallel()
	digest := "sha256:" + hex64()
	functionsTest(t, resource.TestStep{
		Config: providerFunctions + fmt.Sprintf(`
locals {
  tags = ["1.9", "1.10", "1.2", "latest", "1.10-rc1", "3f2a1b9", "99.9.9#x", %[1]q]
}
output "sorted"        { value = provider::registry::sort_tags(local.tags, "semver()") }
output "builds"        { value = provider::registry::sort_tags(["master-9", "master-10", "main-100"], "prefix('master-', suffix=number())") }
output "newest"        { value = provider::registry::newest_tag(local.tags, "semver()", "") }
output "newest_stable" { value = provider::registry::newest_tag(["1.0", "1.1-rc1"], "semver()", ">= 0") }
output "kind"          { value = provider::registry::update_kind("1.27.3", "1.28.0", "semver()") }
output "kind_none"     { value = provider::registry::update_kind("1.28.0", "1.27.3", "semver()") }
output "kind_other"    { value = provider::registry::update_kind("v2.0.7.1-ls171", "v2.0.7.1-ls172", "semver()") }
output "shape"         { value = provider::registry::tag_shape("1.27.3-alpine3.21") }
output "ref"           { value = provider::registry::parse_image_ref("nginx:1.27.3@%[2]s") }
output "ref_bare"      { value = provider::registry::parse_image_ref("index.docker.io/pihole/pihole") }
`, cosignTag, digest),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("sorted", strings_("1.10", "1.10-rc1", "1.9", "1.2")),
			statecheck.ExpectKnownOutputValue("builds", strings_("master-10", "master-9")),
			statecheck.ExpectKnownOutputValue("newest", knownvalue.StringExact("1.10")),
			statecheck.ExpectKnownOutputValue("newest_stable", knownvalue.StringExact("1.0")),
			statecheck.ExpectKnownOutputValue("kind", knownvalue.StringExact("minor")),
			statecheck.ExpectKnownOutputValue("kind_none", knownvalue.StringExact("none")),
			statecheck.ExpectKnownOutputValue("kind_other", knownvalue.StringExact("other")),
			statecheck.ExpectKnownOutputValue("shape", knownvalue.StringExact("#.#.#-alpine#.#")),
			statecheck.ExpectKnownOutputValue("ref", knownvalue.ObjectExact(map[string]knownvalue.Check{
				"registry": knownvalue.StringExact("docker.io"), "repository": knownvalue.StringExact("library/nginx"),
				"tag": knownvalue.StringExact("1.27.3"), "digest": knownvalue.StringExact(digest),
			})),
			statecheck.ExpectKnownOutputValue("ref_bare", knownvalue.ObjectExact(map[string]knownvalue.Check{
				"registry": knownvalue.StringExact("docker.io"), "repository": knownvalue.StringExact("pihole/pihole"),
				"tag": knownvalue.Null(), "digest": knownvalue.Null(),
			})),
		},
	})
}

// TestFunctionErrors: a malformed argument is an error that names it and
// says what was expected.
func TestFunctionErrors(t *testing.T) {
	t.Parallel()
	var steps []resource.TestStep
	for _, c := range []struct{ call, want string }{
		{`sort_tags(["1.0"], "")`, `filter is empty`},
		{`sort_tags(["1.0"], "semver(")`, `filter "semver(" at column`},
		{`newest_tag(["latest"], "semver()", "")`, `no tag of the 1 given is kept by filter "semver()"`},
		{`newest_tag(["1.0"], "semver()", ">= banana")`, `invalid constraint ">= banana"`},
		{`update_kind("latest", "1.0", "semver()")`, `tag "latest" is not one that filter "semver()" keeps`},
		{`update_kind("1.0", "-x", "semver()")`, `candidate "-x" is not a valid tag`},
		{`tag_shape("a b")`, `tag "a b" is not a valid tag`},
		{`parse_image_ref("Nginx:1.0")`, `reference "Nginx:1.0"`},
		{`parse_image_ref("nginx@sha256:12")`, `malformed digest`},
	} {
		steps = append(steps, resource.TestStep{
			Config:      providerFunctions + "output \"x\" { value = provider::registry::" + c.call + " }",
			ExpectError: errorContaining(c.want),
		})
	}
	functionsTest(t, steps...)
}

// TestFunctionNullConstraint: null means no constraint, as "" does. OpenTofu
// (1.10.7 here) sends a null function argument with no data, which
// terraform-plugin-framework cannot read, so the test runs on Terraform only.
func TestFunctionNullConstraint(t *testing.T) {
	t.Parallel()
	if strings.Contains(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu") {
		t.Skip("OpenTofu sends a null function argument that the framework cannot read; use \"\"")
	}
	functionsTest(t,
		resource.TestStep{
			Config: providerFunctions + `output "newest" { value = provider::registry::newest_tag(["1.9", "1.10-rc1"], "semver()", null) }`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("newest", knownvalue.StringExact("1.10-rc1")),
			},
		},
		resource.TestStep{
			Config:      providerFunctions + `output "x" { value = provider::registry::newest_tag(["latest"], "semver()", null) }`,
			ExpectError: errorContaining(`no tag of the 1 given is kept by filter "semver()"`),
		})
}
