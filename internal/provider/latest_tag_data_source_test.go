package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/faults"
)

// expect checks that a data source's attribute holds exactly want.
func expect(address, attr string, want knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(address, tfjsonpath.New(attr), want)
}

const cosignTag = "sha256-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.sig"

func TestLatestTagSemver(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	digests := reg.PushTags(t, "library/nginx", "1.9", "1.10", "1.2", "latest", "1.10-rc1", "1.10.0-alpine", "v", "vnext", cosignTag)
	want := digests["1.10"].String()
	image := reg.Host + "/library/nginx"

	unitTest(t, resource.TestStep{
		Config: hcl(providerBlock("max_concurrent_requests = 2"), fmt.Sprintf(`data "registry_latest_tag" "nginx" { image = %q }`, image)),
		ConfigStateChecks: []statecheck.StateCheck{
			expect("data.registry_latest_tag.nginx", "tag", knownvalue.StringExact("1.10")),
			expect("data.registry_latest_tag.nginx", "digest", knownvalue.StringExact(want)),
			expect("data.registry_latest_tag.nginx", "image_ref", knownvalue.StringExact(image+":1.10")),
			expect("data.registry_latest_tag.nginx", "pinned_ref", knownvalue.StringExact(image+":1.10@"+want)),
			expect("data.registry_latest_tag.nginx", "update_available", knownvalue.Bool(false)),
			expect("data.registry_latest_tag.nginx", "update_kind", knownvalue.Null()),
			expect("data.registry_latest_tag.nginx", "filter", knownvalue.Null()),
		},
	})
}

func TestLatestTagFiltersAndConstraints(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	reg.PushTags(t, "library/nginx",
		"1.26.2", "1.27.2", "1.27.3", "1.27.4-rc1", "1.28.0-alpine", "1.27.3-alpine", "1.27.10-alpine", "1.27.11", "2.0.0-beta", "mainline", "latest")
	reg.PushTags(t, "acme/app", "master-9", "master-10", "main-100", "feature-x-3", "master-abc")
	reg.PushTags(t, "pihole/pihole", "2022.12", "2022.12.1", "2022.11.30", "v5", "latest")

	cfg := fmt.Sprintf(`
data "registry_latest_tag" "stable" {
  image      = "%[1]s/library/nginx"
  constraint = ">= 0"
}
data "registry_latest_tag" "alpine_127" {
  image      = "%[1]s/library/nginx"
  filter     = "regex('(?P<version>\\d+\\.\\d+\\.\\d+)-alpine')"
  constraint = "~1.27"
}
data "registry_latest_tag" "any" {
  image = "%[1]s/library/nginx"
}
data "registry_latest_tag" "prerelease" {
  image      = "%[1]s/library/nginx"
  constraint = ">= 1.27.4-0, < 1.27.5"
}
data "registry_latest_tag" "builds" {
  registry = "%[1]s"
  image    = "acme/app"
  filter   = "prefix('master-', suffix=number())"
  current  = "master-9"
}
data "registry_latest_tag" "calver" {
  image   = "%[1]s/pihole/pihole"
  filter  = "semver()"
  current = "2022.12"
  variant = "any"
}
data "registry_latest_tag" "calver_same_shape" {
  image   = "%[1]s/pihole/pihole"
  current = "2022.12"
}
`, reg.Host)
	unitTest(t, resource.TestStep{
		Config: cfg,
		ConfigStateChecks: []statecheck.StateCheck{
			expect("data.registry_latest_tag.stable", "tag", knownvalue.StringExact("1.27.11")),
			expect("data.registry_latest_tag.alpine_127", "tag", knownvalue.StringExact("1.27.10-alpine")),
			// Without a constraint, 1.28.0-alpine beats 1.27.11 (numeric part first).
			expect("data.registry_latest_tag.any", "tag", knownvalue.StringExact("2.0.0-beta")),
			// A constraint that names a pre-release lets pre-releases in.
			expect("data.registry_latest_tag.prerelease", "tag", knownvalue.StringExact("1.27.4-rc1")),
			expect("data.registry_latest_tag.builds", "tag", knownvalue.StringExact("master-10")),
			expect("data.registry_latest_tag.builds", "image_ref", knownvalue.StringExact(reg.Host+"/acme/app:master-10")),
			expect("data.registry_latest_tag.builds", "update_available", knownvalue.Bool(true)),
			expect("data.registry_latest_tag.builds", "update_kind", knownvalue.StringExact("major")),
			expect("data.registry_latest_tag.calver", "tag", knownvalue.StringExact("2022.12.1")),
			expect("data.registry_latest_tag.calver", "update_available", knownvalue.Bool(true)),
			expect("data.registry_latest_tag.calver", "update_kind", knownvalue.StringExact("patch")),
			// A pin keeps its precision: 2022.12 is the newest of its shape.
			expect("data.registry_latest_tag.calver_same_shape", "tag", knownvalue.StringExact("2022.12")),
			expect("data.registry_latest_tag.calver_same_shape", "update_kind", knownvalue.StringExact("none")),
		},
	})
}

func TestLatestTagCurrent(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	reg.PushTags(t, "library/nginx", "1.26.2", "1.27.3", "v1.27.3")
	steps := []struct {
		current, kind string
		available     bool
	}{
		{"1.27.3", "other", true}, // v1.27.3 > 1.27.3 at step 5: the tag itself
		{"v1.27.3", "none", false},
		{"1.26.2", "minor", true},
		{"0.9", "major", true},
		{"1.27.2", "patch", true},
		{"1.27.3.1", "none", false}, // newer than anything there
	}
	var ts []resource.TestStep
	for _, s := range steps {
		ts = append(ts, resource.TestStep{
			// Update kinds across shapes: variant = "any".
			Config: fmt.Sprintf(`data "registry_latest_tag" "nginx" {
  image   = "%s/library/nginx"
  current = %q
  variant = "any"
}`, reg.Host, s.current),
			ConfigStateChecks: []statecheck.StateCheck{
				expect("data.registry_latest_tag.nginx", "tag", knownvalue.StringExact("v1.27.3")),
				expect("data.registry_latest_tag.nginx", "update_kind", knownvalue.StringExact(s.kind)),
				expect("data.registry_latest_tag.nginx", "update_available", knownvalue.Bool(s.available)),
			},
		})
	}
	unitTest(t, ts...)
}

func TestLatestTagNoMatch(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	reg.PushTags(t, "acme/app", "latest", "edge", "1.0.0-rc1", "1.0.0-rc2")
	unitTest(t,
		resource.TestStep{
			Config: fmt.Sprintf(`data "registry_latest_tag" "x" {
  image  = "%s/acme/app"
  filter = "number()"
}`, reg.Host),
			ExpectError: errorContaining("No Tag Matches", reg.Host+"/acme/app", `filter "number()"`, "has 4 tags", "1.0.0-rc1"),
		},
		resource.TestStep{
			Config: fmt.Sprintf(`data "registry_latest_tag" "x" {
  image      = "%s/acme/app"
  constraint = ">= 0"
}`, reg.Host),
			ExpectError: errorContaining("No Tag Matches", `constraint ">= 0"`, "has 4 tags", "constraint rejected all of them"),
		},
	)
}

func TestLatestTagRegistryErrors(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	unitTest(t, resource.TestStep{
		Config:      fmt.Sprintf(`data "registry_latest_tag" "x" { image = "%s/nobody/here" }`, reg.Host),
		ExpectError: errorContaining("Cannot List Tags", "nobody/here", "registry "+reg.Host, "HTTP 404", "no such repository"),
	})
}

// TestAccLatestTagManyPages reads a repository whose tag list spans many pages
// of the CNCF distribution registry, which pages with Link headers.
func TestAccLatestTagManyPages(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewDistribution(t, registrytest.WithMaxTags(100))
	tags := make([]string, 0, 1250)
	for i := range 1250 {
		tags = append(tags, fmt.Sprintf("1.%d.%d", i/50, i%50))
	}
	digests := reg.PushTags(t, "team/app", tags...)
	accTest(t, resource.TestStep{
		Config: fmt.Sprintf(`
data "registry_latest_tag" "app" { image = "%[1]s/team/app" }
data "registry_latest_tag" "in_range" {
  image      = "%[1]s/team/app"
  constraint = "~1.3"
}
`, reg.Host),
		ConfigStateChecks: []statecheck.StateCheck{
			expect("data.registry_latest_tag.app", "tag", knownvalue.StringExact("1.24.49")),
			expect("data.registry_latest_tag.app", "digest", knownvalue.StringExact(digests["1.24.49"].String())),
			expect("data.registry_latest_tag.in_range", "tag", knownvalue.StringExact("1.3.49")),
		},
	})
}

func TestLatestTagValidation(t *testing.T) {
	t.Parallel()
	planRefuses(t, "registry_latest_tag",
		refused{`image = "nginx:1.27"`, []string{"Invalid Image", `image "nginx:1.27" holds a tag (:1.27)`, "the filter and the other rules choose the tag"}},
		refused{`image = "nginx@sha256:0000"`, []string{"Invalid Image", "holds a digest"}},
		refused{`image = "Nginx"`, []string{"Invalid Image", "not a valid repository name"}},
		refused{`
  image    = "ghcr.io/acme/app"
  registry = "quay.io"`, []string{"Conflicting Registry", `already names the registry host "ghcr.io"`}},
		refused{`
  image    = "acme/app"
  registry = "https://ghcr.io"`, []string{"Invalid Registry", "URL scheme"}},
		refused{`
  image  = "127.0.0.1:1/nginx"
  filter = "prefix('a', suffix=number)"`, []string{"Invalid Filter", "column 26", `expected "("`}},
		refused{`
  image  = "127.0.0.1:1/nginx"
  filter = "foo()"`, []string{"Invalid Filter", "column 1", "unknown function foo"}},
		refused{`
  image  = "127.0.0.1:1/nginx"
  filter = "regex('[')"`, []string{"Invalid Filter", "invalid regular expression", "missing closing ]"}},
		refused{`
  image      = "127.0.0.1:1/nginx"
  constraint = ">= banana"`, []string{"Invalid Constraint", "banana"}},
		refused{`
  image   = "127.0.0.1:1/nginx"
  filter  = "number()"
  current = "1.2.3"`, []string{"Current Tag Not Kept By Filter", `"1.2.3"`, `"number()"`}},
	)
}

// TestLatestTagTimeout proves a read against a registry that never answers
// ends with the provider's timeout, naming it, instead of hanging.
func TestLatestTagTimeout(t *testing.T) {
	t.Parallel()
	host := faults.NewSilent(t)
	unitTest(t, resource.TestStep{
		Config: hcl(providerBlock(`timeout = "2s"`),
			fmt.Sprintf(`data "registry_latest_tag" "x" { image = "%s/slow/app" }`, host)),
		ExpectError: errorContaining("Cannot List Tags", "slow/app", "did not answer within the provider's timeout"),
	})
}
