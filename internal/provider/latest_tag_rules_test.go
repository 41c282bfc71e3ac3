package provider

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/tfrun"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

// TestLatestTagPlatformAndAge pushes images with chosen platforms and
// creation times to the CNCF distribution registry and reads them with
// platform, min_age, exclude and variant, alone and together:
//
//	1.0.0  index linux/amd64 + linux/arm64, created 2021
//	1.1.0  linux/amd64 only, created 2021
//	1.2.0  index linux/amd64 + linux/arm64, created now
//	1.3.0  linux/arm64 only, created in 1970 (a reproducible build)
//	1.4.0  linux/amd64 only, no creation time
func TestLatestTagPlatformAndAge(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewDistribution(t)
	old := time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)
	at := func(when time.Time) func(*v1.ConfigFile) {
		return func(cf *v1.ConfigFile) { cf.Created = v1.Time{Time: when} }
	}
	image := func(platform string, edit func(*v1.ConfigFile)) v1.Image {
		img, err := registrytest.NewImage(platform, edit)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	index := func(edit func(*v1.ConfigFile)) (v1.ImageIndex, map[string]v1.Image) {
		idx, images, err := registrytest.NewIndex([]string{"linux/amd64", "linux/arm64"}, edit)
		if err != nil {
			t.Fatal(err)
		}
		return idx, images
	}
	idx100, images100 := index(at(old))
	reg.Push(t, "team/app", "1.0.0", idx100)
	reg.Push(t, "team/app", "1.1.0", image("linux/amd64", at(old)))
	idx120, images120 := index(at(time.Now()))
	reg.Push(t, "team/app", "1.2.0", idx120)
	d130 := reg.Push(t, "team/app", "1.3.0", image("linux/arm64", at(time.Unix(0, 0))))
	reg.Push(t, "team/app", "1.4.0", image("linux/amd64", nil))
	digestOf := func(img v1.Image) string {
		d, err := img.Digest()
		if err != nil {
			t.Fatal(err)
		}
		return d.String()
	}

	ds := func(name, body string) string {
		return fmt.Sprintf("data \"registry_latest_tag\" %q {\n  image = \"%s/team/app\"\n%s\n}\n", name, reg.Host, body)
	}
	tag := func(name, want string) statecheck.StateCheck {
		return expect("data.registry_latest_tag."+name, "tag", knownvalue.StringExact(want))
	}
	unitTest(t,
		resource.TestStep{
			Config: ds("arm", `platform = "linux/arm64"`) +
				ds("amd", `platform = "linux/amd64"`) +
				ds("aged", `min_age = "7d"`) +
				ds("arm_aged", "platform = \"linux/arm64/v8\"\n  min_age = \"1d12h\"") +
				ds("excluded", `exclude = ["1\\.4\\.0", "1\\.3.*"]`) +
				ds("no_age", `min_age = "0"`),
			ConfigStateChecks: []statecheck.StateCheck{
				tag("arm", "1.3.0"),
				expect("data.registry_latest_tag.arm", "digest", knownvalue.StringExact(d130.String())),
				expect("data.registry_latest_tag.arm", "created", knownvalue.Null()),
				tag("amd", "1.4.0"),
				tag("aged", "1.1.0"),
				expect("data.registry_latest_tag.aged", "created", knownvalue.StringExact("2021-03-04T05:06:07Z")),
				tag("arm_aged", "1.0.0"),
				expect("data.registry_latest_tag.arm_aged", "digest", knownvalue.StringExact(digestOf(images100["linux/arm64"]))),
				expect("data.registry_latest_tag.arm_aged", "pinned_ref", knownvalue.StringExact(reg.Host+"/team/app:1.0.0@"+digestOf(images100["linux/arm64"]))),
				tag("excluded", "1.2.0"),
				tag("no_age", "1.4.0"),
				expect("data.registry_latest_tag.no_age", "created", knownvalue.Null()),
			},
		},
		resource.TestStep{
			// The platform digest of an index is the one crane gives.
			Config: ds("amd_index", "platform = \"linux/amd64\"\n  exclude = [\"1\\\\.4\\\\.0\", \"1\\\\.3\\\\.0\"]"),
			ConfigStateChecks: []statecheck.StateCheck{
				tag("amd_index", "1.2.0"),
				expect("data.registry_latest_tag.amd_index", "digest", knownvalue.StringExact(craneDigest(t, reg.Host+"/team/app:1.2.0", "linux/amd64"))),
				expect("data.registry_latest_tag.amd_index", "digest", knownvalue.StringExact(digestOf(images120["linux/amd64"]))),
			},
		},
		resource.TestStep{
			Config:      ds("none", `platform = "linux/s390x"`),
			ExpectError: errorContaining("No Tag Matches", "platform 5"),
		},
		resource.TestStep{
			Config:      ds("too_new", `min_age = "36500d"`),
			ExpectError: errorContaining("No Tag Matches", "the newest the filter kept: 1.4.0, 1.3.0", "min_age 5"),
		},
	)
}

// TestLatestTagWalkCap: the walk for platform reads at most 20 candidates,
// then fails naming the rule, its count and the cap.
func TestLatestTagWalkCap(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	tags := make([]string, 25)
	for i := range tags {
		tags[i] = fmt.Sprintf("1.%d.0", i)
	}
	reg.PushTags(t, "team/app", tags...) // linux/amd64 only
	unitTest(t, resource.TestStep{
		Config: fmt.Sprintf(`data "registry_latest_tag" "x" {
  image    = "%s/team/app"
  platform = "linux/arm64"
}`, reg.Host),
		ExpectError: errorContaining("No Tag Matches", "platform 20", "Only the newest 20 candidates were read"),
	})
	// Terraform plans more than once; each read walks 20 candidates, one
	// manifest and one config each, and never more.
	if got := reg.Requests.ManifestGet.Load(); got%20 != 0 || got == 0 {
		t.Errorf("manifest GETs = %d, want a multiple of 20", got)
	}
}

// craneDigest runs crane digest --platform, the reference this provider's
// platform digests are held to.
func craneDigest(t *testing.T, ref, platform string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, tfrun.Tool(t, "crane"), "digest", "--insecure", "--platform", platform, ref).CombinedOutput()
	if err != nil {
		t.Fatalf("crane digest: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestLatestTagRulesValidation: each new argument is checked at plan time,
// at its attribute.
func TestLatestTagRulesValidation(t *testing.T) {
	t.Parallel()
	const image = `image = "127.0.0.1:1/nginx"` + "\n"
	planRefuses(t, "registry_latest_tag",
		refused{image + `variant = "other"`, []string{`value must be one of: ["same" "any"]`}},
		refused{image + `exclude = ["("]`, []string{`exclude pattern "(" is not a valid regular expression`}},
		refused{image + `min_age = "-1d"`, []string{`minimum age "-1d" is negative`}},
		refused{image + `min_age = "soon"`, []string{`minimum age "soon" is not an age`}},
		refused{image + `platform = "linux"`, []string{`platform "linux" is not of the form os/arch`}},
	)
}

// TestLeftBehind: the warning for a pin at the end of its shape comes for a
// new major or minor line in another shape, not for a variant a patch
// behind, and not while the pin's own shape moves.
func TestLeftBehind(t *testing.T) {
	t.Parallel()
	f := tagfilter.Default()
	for _, tt := range []struct {
		current string
		tags    []string
		want    bool
	}{
		{"2023.11", []string{"2023.10", "2023.11", "2024.07.0"}, true},                // a new scheme, a new year
		{"v1.9.0", []string{"v1.8.0", "v1.9.0", "1.10.0"}, true},                      // the v dropped
		{"1.27.3-alpine", []string{"1.27.3-alpine", "1.27.4"}, false},                 // the Debian image a patch ahead
		{"1.27.3-alpine", []string{"1.27.3-alpine", "1.28.0-alpine", "2.0.0"}, false}, // its own shape moves
		{"1.27.3-alpine", []string{"1.27.3-alpine", "1.28.0"}, true},
		{"1.27", []string{"1.27", "1.28.0-rc.1"}, false},                   // another shape's pre-release
		{"v1.30.0-rc.2", []string{"v1.30.0-rc.2", "v1.30.0"}, true},        // the final release
		{"16-alpine", []string{"16-alpine", "16.4-alpine", "16.4"}, false}, // a one-number pin: no new major
	} {
		a := latestTagArgs{selection: selection{filter: f, rules: tagfilter.Rules{Shape: tagfilter.Shape(tt.current), Current: tt.current}}, current: tt.current}
		sel := f.SelectWith(tt.tags, a.rules, 1)
		if got := a.leftBehind(sel); got != tt.want {
			t.Errorf("current %q among %q: left behind %v, want %v (%+v)", tt.current, tt.tags, got, tt.want, sel)
		}
	}
}
