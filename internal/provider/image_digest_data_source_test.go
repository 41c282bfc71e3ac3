package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

func TestImageDigestDefaultTag(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	latest := reg.PushImage(t, "acme/app", "latest").String()
	stable := reg.PushImage(t, "acme/app", "stable").String()
	unitTest(t, resource.TestStep{
		Config: fmt.Sprintf(`
data "registry_image_digest" "latest" { image = "%[1]s/acme/app" }
data "registry_image_digest" "stable" {
  registry = "%[1]s"
  image    = "acme/app"
  tag      = "stable"
}
`, reg.Host),
		ConfigStateChecks: []statecheck.StateCheck{
			expect("data.registry_image_digest.latest", "digest", knownvalue.StringExact(latest)),
			expect("data.registry_image_digest.latest", "tag", knownvalue.Null()),
			expect("data.registry_image_digest.latest", "image_ref", knownvalue.StringExact(reg.Host+"/acme/app:latest")),
			expect("data.registry_image_digest.latest", "pinned_ref", knownvalue.StringExact(reg.Host+"/acme/app:latest@"+latest)),
			expect("data.registry_image_digest.stable", "digest", knownvalue.StringExact(stable)),
			expect("data.registry_image_digest.stable", "image_ref", knownvalue.StringExact(reg.Host+"/acme/app:stable")),
		},
	})
}

// TestAccImageDigestMovingTag shows a tag that moves between two plans: the
// digest in state changes with it.
func TestAccImageDigestMovingTag(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewDistribution(t)
	first := reg.PushImage(t, "acme/app", "stable").String()
	var second string
	cfg := fmt.Sprintf(`data "registry_image_digest" "app" {
  image = "%s/acme/app"
  tag   = "stable"
}`, reg.Host)
	accTest(t,
		resource.TestStep{
			Config:            cfg,
			ConfigStateChecks: []statecheck.StateCheck{expect("data.registry_image_digest.app", "digest", knownvalue.StringExact(first))},
		},
		resource.TestStep{
			PreConfig: func() { second = reg.PushImage(t, "acme/app", "stable").String() },
			Config:    cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				expect("data.registry_image_digest.app", "digest", knownvalue.StringFunc(func(got string) error {
					if got == first || got != second {
						return fmt.Errorf("digest %s: want the moved tag's %s, not the first %s", got, second, first)
					}
					return nil
				})),
			},
		},
	)
}

func TestAccImageDigestPlatforms(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewDistribution(t)
	index, per := reg.PushIndex(t, "pihole/pihole", "2024.07.0", "linux/amd64", "linux/arm64/v8", "linux/arm/v7", "linux/arm/v6")
	single := reg.PushImage(t, "acme/tool", "1.0", registrytest.WithPlatform("linux/arm64")).String()
	img := reg.Host + "/pihole/pihole"
	accTest(t,
		resource.TestStep{
			Config: fmt.Sprintf(`
data "registry_image_digest" "index" {
  image = %[1]q
  tag   = "2024.07.0"
}
locals {
  platforms = ["linux/arm64", "linux/aarch64/v8", "linux/arm/v6", "linux/amd64"]
}
data "registry_image_digest" "platform" {
  count    = length(local.platforms)
  image    = %[1]q
  tag      = "2024.07.0"
  platform = local.platforms[count.index]
}
data "registry_image_digest" "single" {
  image    = "%[2]s/acme/tool"
  tag      = "1.0"
  platform = "linux/arm64/v8"
}
data "registry_latest_tag" "index" { image = %[1]q }
output "platform" {
  value = [for d in data.registry_image_digest.platform : [d.digest, d.pinned_ref]]
}
`, img, reg.Host),
			ConfigStateChecks: []statecheck.StateCheck{
				expect("data.registry_image_digest.index", "digest", knownvalue.StringExact(index.String())),
				expect("data.registry_latest_tag.index", "digest", knownvalue.StringExact(index.String())),
				statecheck.ExpectKnownOutputValue("platform", knownvalue.ListExact([]knownvalue.Check{
					platformDigest(img, per["linux/arm64/v8"].String()),
					platformDigest(img, per["linux/arm64/v8"].String()),
					platformDigest(img, per["linux/arm/v6"].String()),
					platformDigest(img, per["linux/amd64"].String()),
				})),
				expect("data.registry_image_digest.single", "digest", knownvalue.StringExact(single)),
			},
		},
		resource.TestStep{
			Config: fmt.Sprintf(`data "registry_image_digest" "x" {
  image    = %q
  tag      = "2024.07.0"
  platform = "linux/s390x"
}`, img),
			ExpectError: errorContaining("Cannot Read Digest", "no manifest for platform linux/s390x", "linux/amd64, linux/arm64/v8, linux/arm/v7, linux/arm/v6"),
		},
		resource.TestStep{
			Config: fmt.Sprintf(`data "registry_image_digest" "x" {
  image    = "%s/acme/tool"
  tag      = "1.0"
  platform = "linux/amd64"
}`, reg.Host),
			ExpectError: errorContaining("Cannot Read Digest", "single-platform", "linux/arm64", "not linux/amd64"),
		},
	)
}

// platformDigest checks a [digest, pinned_ref] pair of img's 2024.07.0 tag.
func platformDigest(img, digest string) knownvalue.Check {
	return strings_(digest, img+":2024.07.0@"+digest)
}

func TestImageDigestErrors(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	reg.PushImage(t, "acme/app", "1.0")
	unitTest(t, resource.TestStep{
		Config: fmt.Sprintf(`data "registry_image_digest" "x" {
  image = "%s/acme/app"
  tag   = "2.0"
}`, reg.Host),
		ExpectError: errorContaining("Cannot Read Digest", "tag 2.0", reg.Host+"/acme/app", "HTTP 404"),
	})
	planRefuses(t, "registry_image_digest",
		refused{`image = "127.0.0.1:1/acme/app:1.0"`, []string{"Invalid Image", "holds a tag", "use the tag argument"}},
		refused{`image    = "127.0.0.1:1/acme/app"
platform = "linux"`, []string{"Invalid Platform", `platform "linux" is not of the form os/arch`}},
		refused{`image = "127.0.0.1:1/acme/app"
tag   = "-bad"`, []string{"Invalid Tag", `tag "-bad" is not a valid tag`}},
	)
}
