package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/faults"
)

// TestTags reads every argument and attribute of registry_tags, through a
// proxy that adds tags no client can pull (registries list them).
func TestTags(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	reg.PushTags(t, "team/app", "1.0.0", "1.1.0", "1.2.0-rc1", "1.2.0", "2.0.0", "latest", cosignTag)
	proxy := faults.NewFaultProxy(t, reg)
	proxy.Inject(faults.QuirkTags(func(page []string) []string { return append(page, "9.9.9#x", "9.9.8?a=b") }))
	ds := func(name, body string) string {
		return fmt.Sprintf("data \"registry_tags\" %q {\n  image = \"%s/team/app\"\n%s\n}\n", name, proxy.Host, body)
	}
	rejected := func(name string, invalid, cosign, filter, exclude, constraint int64) statecheck.StateCheck {
		return expect("data.registry_tags."+name, "rejected", knownvalue.MapExact(map[string]knownvalue.Check{
			"invalid": knownvalue.Int64Exact(invalid), "cosign": knownvalue.Int64Exact(cosign), "filter": knownvalue.Int64Exact(filter),
			"exclude": knownvalue.Int64Exact(exclude), "constraint": knownvalue.Int64Exact(constraint),
		}))
	}
	unitTest(t,
		resource.TestStep{
			Config: ds("all", "") +
				ds("stable", `constraint = ">= 0"`) +
				ds("newest_two", "limit = 2") +
				ds("excluded", `exclude = ["2\\..*"]`) +
				ds("none", `filter = "number()"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect("data.registry_tags.all", "tags", strings_("2.0.0", "1.2.0", "1.2.0-rc1", "1.1.0", "1.0.0")),
				expect("data.registry_tags.all", "tags_listed", knownvalue.Int64Exact(9)),
				rejected("all", 2, 1, 1, 0, 0),
				expect("data.registry_tags.stable", "tags", strings_("2.0.0", "1.2.0", "1.1.0", "1.0.0")),
				rejected("stable", 2, 1, 1, 0, 1),
				expect("data.registry_tags.newest_two", "tags", strings_("2.0.0", "1.2.0")),
				rejected("newest_two", 2, 1, 1, 0, 0),
				expect("data.registry_tags.excluded", "tags", strings_("1.2.0", "1.2.0-rc1", "1.1.0", "1.0.0")),
				rejected("excluded", 2, 1, 1, 1, 0),
				expect("data.registry_tags.none", "tags", strings_()),
				rejected("none", 2, 1, 6, 0, 0),
			},
		},
		resource.TestStep{
			Config:      fmt.Sprintf(`data "registry_tags" "missing" { image = "%s/team/none" }`, proxy.Host),
			ExpectError: errorContaining("Cannot List Tags", "HTTP 404"),
		},
	)
}

// TestTagsValidation: limit and filter are checked at plan time.
func TestTagsValidation(t *testing.T) {
	t.Parallel()
	const image = `image = "127.0.0.1:1/team/app"` + "\n"
	planRefuses(t, "registry_tags",
		refused{image + "limit = 0", []string{`Attribute limit value must be at least 1`}},
		refused{image + `filter = "semver("`, []string{"Invalid Filter"}},
	)
}

// TestSameOrderEverywhere: registry_tags, sort_tags and newest_tag give
// the order and the answer registry_latest_tag gives, on the same tags.
func TestSameOrderEverywhere(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	reg.PushTags(t, "library/nginx", "1.26.3", "1.27.3", "1.27.4", "1.27", "1.28.0-rc.1", "1.27.3-alpine", "1.27.10-alpine", "mainline")
	cfg := providerFunctions + fmt.Sprintf(`
data "registry_tags" "x" {
  image      = "%[1]s/library/nginx"
  constraint = ">= 0"
}
data "registry_latest_tag" "x" {
  image      = "%[1]s/library/nginx"
  constraint = ">= 0"
}
output "same_order" {
  value = provider::registry::sort_tags(data.registry_tags.x.tags, "semver()") == data.registry_tags.x.tags
}
output "same_newest" {
  value = provider::registry::newest_tag(data.registry_tags.x.tags, "semver()", ">= 0") == data.registry_latest_tag.x.tag
}
output "newest" {
  value = data.registry_tags.x.tags[0]
}
`, reg.Host)
	functionsTest(t, resource.TestStep{
		Config: cfg,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("same_order", knownvalue.Bool(true)),
			statecheck.ExpectKnownOutputValue("same_newest", knownvalue.Bool(true)),
			statecheck.ExpectKnownOutputValue("newest", knownvalue.StringExact("1.27.4")),
		},
	})
}
