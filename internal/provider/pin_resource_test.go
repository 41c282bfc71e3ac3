package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/faults"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/tfrun"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

// lazy is a knownvalue check of a string known only when the step runs: a
// digest pushed by the step's PreConfig.
type lazy func() string

func (l lazy) CheckValue(v any) error {
	if s, ok := v.(string); !ok || s != l() {
		return fmt.Errorf("value %v, want %q", v, l())
	}
	return nil
}

func (l lazy) String() string { return l() }

// pinRegistry is a registry that publishes releases between the steps of a
// pin's test, and remembers each tag's digest.
type pinRegistry struct {
	t       *testing.T
	reg     *registrytest.Registry
	proxy   *faults.FaultProxy
	repo    string
	digests map[string]string
}

func newPinRegistry(t *testing.T, reg *registrytest.Registry, tags ...string) *pinRegistry {
	p := &pinRegistry{t: t, reg: reg, proxy: faults.NewFaultProxy(t, reg), repo: "team/app", digests: map[string]string{}}
	p.publish(tags...)()
	return p
}

// publish returns a PreConfig that pushes tags, each a new image (a tag
// already there moves to it).
func (p *pinRegistry) publish(tags ...string) func() {
	return func() {
		for _, tag := range tags {
			p.digests[tag] = p.reg.PushImage(p.t, p.repo, tag).String()
		}
	}
}

// digest checks the digest that tag has when the step runs.
func (p *pinRegistry) digest(tag string) knownvalue.Check {
	return lazy(func() string { return p.digests[tag] })
}

// config is a pin of the registry's image with more arguments; the
// provider's timeout is short, for the steps where the registry is down.
func (p *pinRegistry) config(args ...string) string {
	return providerBlock(`timeout = "3s"`) + fmt.Sprintf("resource \"registry_pin\" \"app\" {\n image = \"%s/%s\"\n %s\n}\n",
		p.proxy.Host, p.repo, strings.Join(args, "\n "))
}

// down makes the registry unreachable (every connection reset) until up.
func (p *pinRegistry) down() { p.proxy.Inject(faults.Fault{Reset: true}) }

func (p *pinRegistry) up() { p.proxy.Clear() }

const pinAddr = "registry_pin.app"

// pinAt checks the pinned tag and digest, and what the last refresh saw.
func (p *pinRegistry) pinAt(tag, newest, kind string) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		expect(pinAddr, "tag", knownvalue.StringExact(tag)),
		expect(pinAddr, "digest", p.digest(tag)),
		expect(pinAddr, "pinned_ref", lazy(func() string { return p.proxy.Host + "/" + p.repo + ":" + tag + "@" + p.digests[tag] })),
		expect(pinAddr, "id", lazy(func() string { return p.proxy.Host + "/" + p.repo + ":" + tag + "@" + p.digests[tag] })),
		expect(pinAddr, "newest_tag", knownvalue.StringExact(newest)),
		expect(pinAddr, "newest_digest", p.digest(newest)),
		expect(pinAddr, "update_kind", knownvalue.StringExact(kind)),
		expect(pinAddr, "update_available", knownvalue.Bool(kind != "none")),
		expect(pinAddr, "pinned_at", knownvalue.NotNull()),
	}
}

func planned(action plancheck.ResourceActionType, checks ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: append([]plancheck.PlanCheck{plancheck.ExpectResourceAction(pinAddr, action)}, checks...)}
}

// TestPin follows a pin through its life against distribution, publishing
// releases between the steps: created at the newest release that is not a
// pre-release (unknown in the plan); a patch planned as an in-place update;
// a major held (the plan a no-op, newest_tag and update_kind say it);
// move = "major" lets it go; a moved tag's new digest is an update; a rule
// argument changed takes effect at the next refresh; a registry down at
// refresh moves nothing; import with and without a digest; -replace pins
// initial; and destroy works with the registry down.
func TestPin(t *testing.T) {
	t.Parallel()
	p := newPinRegistry(t, registrytest.NewDistribution(t), "1.0.0", "1.1.0", "1.2.0-rc.1")
	accTest(t,
		resource.TestStep{
			Config:            p.config(),
			ConfigPlanChecks:  planned(plancheck.ResourceActionCreate, plancheck.ExpectUnknownValue(pinAddr, tfjsonpath.New("tag")), plancheck.ExpectUnknownValue(pinAddr, tfjsonpath.New("digest"))),
			ConfigStateChecks: append(p.pinAt("1.1.0", "1.1.0", "none"), expect(pinAddr, "move", knownvalue.StringExact("patch"))),
		},
		resource.TestStep{
			PreConfig:         p.publish("1.1.1"),
			Config:            p.config(),
			ConfigPlanChecks:  planned(plancheck.ResourceActionUpdate, plancheck.ExpectKnownValue(pinAddr, tfjsonpath.New("tag"), knownvalue.StringExact("1.1.1"))),
			ConfigStateChecks: p.pinAt("1.1.1", "1.1.1", "none"),
		},
		resource.TestStep{
			PreConfig:         p.publish("2.0.0"),
			Config:            p.config(),
			ConfigPlanChecks:  planned(plancheck.ResourceActionNoop),
			ConfigStateChecks: p.pinAt("1.1.1", "2.0.0", "major"),
		},
		resource.TestStep{
			Config:            p.config(`move = "major"`),
			ConfigPlanChecks:  planned(plancheck.ResourceActionUpdate),
			ConfigStateChecks: p.pinAt("2.0.0", "2.0.0", "none"),
		},
		resource.TestStep{
			PreConfig:         p.publish("2.0.0"), // the tag moves to a new image
			Config:            p.config(`move = "major"`),
			ConfigPlanChecks:  planned(plancheck.ResourceActionUpdate),
			ConfigStateChecks: p.pinAt("2.0.0", "2.0.0", "none"),
		},
		resource.TestStep{
			Config:            p.config(`move = "major"`, `constraint = "~2.0"`),
			ConfigPlanChecks:  planned(plancheck.ResourceActionUpdate, plancheck.ExpectKnownValue(pinAddr, tfjsonpath.New("tag"), knownvalue.StringExact("2.0.0"))),
			ConfigStateChecks: p.pinAt("2.0.0", "2.0.0", "none"),
		},
		resource.TestStep{
			PreConfig:         p.publish("3.0.0"),
			Config:            p.config(`move = "major"`, `constraint = "~2.0"`),
			ConfigPlanChecks:  planned(plancheck.ResourceActionNoop),
			ConfigStateChecks: p.pinAt("2.0.0", "2.0.0", "none"),
		},
		resource.TestStep{
			PreConfig: func() { p.publish("2.0.1")(); p.down() },
			Config:    p.config(`move = "major"`, `constraint = "~2.0"`),
			PlanOnly:  true, // a warning, and nothing moves
		},
		resource.TestStep{
			PreConfig:     p.up,
			Config:        p.config(`move = "major"`, `constraint = "~2.0"`),
			ResourceName:  pinAddr,
			ImportState:   true,
			ImportStateId: p.proxy.Host + "/team/app:1.0.0@" + "sha256:" + strings.Repeat("ab", 32),
			ImportStateCheck: func(s []*terraform.InstanceState) error {
				if len(s) != 1 || s[0].Attributes["tag"] != "1.0.0" || s[0].Attributes["digest"] != "sha256:"+strings.Repeat("ab", 32) || s[0].Attributes["move"] != "patch" {
					return fmt.Errorf("imported %v, want 1.0.0 at the digest given", s)
				}
				return nil
			},
		},
		resource.TestStep{
			Config:        p.config(`move = "major"`, `constraint = "~2.0"`),
			ResourceName:  pinAddr,
			ImportState:   true,
			ImportStateId: p.proxy.Host + "/team/app:1.0.0",
			ImportStateCheck: func(s []*terraform.InstanceState) error {
				if len(s) != 1 || s[0].Attributes["digest"] != p.digests["1.0.0"] || s[0].Attributes["pinned_at"] == "" {
					return fmt.Errorf("imported %v, want 1.0.0 at %s", s, p.digests["1.0.0"])
				}
				return nil
			},
		},
		resource.TestStep{
			Config:            p.config(`move = "none"`, `constraint = "~2.0"`, `initial = "2.0.0"`),
			Taint:             []string{pinAddr}, // as -replace
			ConfigPlanChecks:  planned(plancheck.ResourceActionReplace),
			ConfigStateChecks: p.pinAt("2.0.0", "2.0.1", "patch"),
		},
		resource.TestStep{
			PreConfig: p.down, // and the test's destroy runs with it down
			Config:    p.config(`move = "none"`, `constraint = "~2.0"`, `initial = "2.0.0"`),
			PlanOnly:  true,
		},
	)
}

// TestPinImportBlock imports a pin with an import block, as Terraform 1.5
// and OpenTofu 1.5 write it.
func TestPinImportBlock(t *testing.T) {
	t.Parallel()
	p := newPinRegistry(t, registrytest.NewInProcess(t), "1.0.0", "1.0.1")
	unitTest(t, resource.TestStep{
		Config: p.config() + fmt.Sprintf("import {\n to = %s\n id = %q\n}\n", pinAddr, p.proxy.Host+"/team/app:1.0.0@"+p.digests["1.0.0"]),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectKnownValue(pinAddr, tfjsonpath.New("tag"), knownvalue.StringExact("1.0.1")),
		}},
		ConfigStateChecks: p.pinAt("1.0.1", "1.0.1", "none"),
	})
}

// TestPinInitial pins initial at create, and refuses one that does not
// exist or fails a rule, naming why; it validates move and initial.
func TestPinInitial(t *testing.T) {
	t.Parallel()
	p := newPinRegistry(t, registrytest.NewInProcess(t), "1.0.0", "1.1.0", "2.0.0-rc.1")
	unitTest(t,
		resource.TestStep{Config: p.config(`move = "sometimes"`), PlanOnly: true, ExpectError: errorContaining("move", "none", "patch", "minor", "major", "any")},
		resource.TestStep{Config: p.config(`initial = "-x"`), PlanOnly: true, ExpectError: errorContaining("Invalid Initial Tag", "not a valid tag")},
		resource.TestStep{Config: p.config(`filter = "number()"`, `initial = "1.0.0"`), PlanOnly: true, ExpectError: errorContaining("Initial Tag Not Kept", `filter "number()"`)},
		resource.TestStep{Config: p.config(`initial = "0.9.0"`), ExpectError: errorContaining("Initial Tag Not Kept", `initial tag "0.9.0" is not among the 3 tags`)},
		resource.TestStep{Config: p.config(`initial = "1.0.0"`, `constraint = ">= 1.1"`), ExpectError: errorContaining("Initial Tag Not Kept", "does not pass every rule", "constraint 1")},
		resource.TestStep{Config: p.config(`initial = "2.0.0-rc.1"`), ConfigStateChecks: p.pinAt("2.0.0-rc.1", "2.0.0-rc.1", "none")},
		resource.TestStep{Config: p.config(`initial = "1.0.0"`), ConfigPlanChecks: planned(plancheck.ResourceActionUpdate, plancheck.ExpectKnownValue(pinAddr, tfjsonpath.New("tag"), knownvalue.StringExact("2.0.0-rc.1")))},
	)
}

// TestPinPlanAndApply runs the commands a user runs, and reads what they
// print: a major held with the warning "Pin Held"; a plan with
// -refresh=false sends no request; a registry down at refresh warns "Pin
// Not Refreshed"; a tag that moves between a saved plan and its apply
// fails the apply with the provider's own message, and the state keeps the
// old pin; an apply of a moved pin reads one digest.
func TestPinPlanAndApply(t *testing.T) {
	t.Parallel()
	p := newPinRegistry(t, registrytest.NewInProcess(t), "1.0.0")
	ws := tfrun.NewWorkspace(t, tfrun.TerraformPath(t), testProviderDir(t))
	config := fmt.Sprintf("terraform {\n  required_providers {\n    registry = { source = %q }\n  }\n}\n", tfrun.ProviderSource) + p.config() +
		fmt.Sprintf("output \"ref\" {\n  value = %s.pinned_ref\n}\n", pinAddr)
	dir := ws.Config(t, "pin", config)
	run := func(args ...string) string {
		t.Helper()
		out, err := ws.TryRun(dir, args...)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	run("apply", "-auto-approve", "-input=false", "-no-color")
	p.publish("1.0.1", "2.0.0")()

	out := run("plan", "-input=false", "-no-color", "-json")
	held := diagnostics(out, "Pin Held")
	if len(held) != 1 || !strings.Contains(held[0], "2.0.0 is out (a major update)") || !strings.Contains(held[0], `move = "patch" holds it`) {
		t.Errorf("Pin Held warnings = %q, want one naming 2.0.0 and move \"patch\"", held)
	}
	if !strings.Contains(out, `"action":"update"`) || !strings.Contains(out, pinAddr) {
		t.Errorf("the plan does not update the pin:\n%s", out)
	}

	p.proxy.Requests.Take()
	run("plan", "-refresh=false", "-input=false", "-no-color")
	if got := p.proxy.Requests.Take(); got != (registrytest.Counts{}) {
		t.Errorf("a plan with -refresh=false sent %+v, want nothing", got)
	}

	p.down()
	out = run("plan", "-input=false", "-no-color", "-json")
	if w := diagnostics(out, "Pin Not Refreshed"); len(w) != 1 {
		t.Errorf("with the registry down, Pin Not Refreshed warnings = %q, want one", w)
	}
	if strings.Contains(out, `"action":"update"`) {
		t.Errorf("with the registry down, the plan moves the pin:\n%s", out)
	}
	p.up()

	// A saved plan, then the tag moves before the apply.
	run("plan", "-input=false", "-no-color", "-out=moved.tfplan")
	planned := p.digests["1.0.1"]
	p.publish("1.0.1")()
	out2, err := ws.TryRun(dir, "apply", "-input=false", "-no-color", "moved.tfplan")
	if err == nil {
		t.Fatalf("the apply of a plan whose tag moved succeeded:\n%s", out2)
	}
	text := strings.Join(strings.Fields(string(out2)), " ")
	for _, want := range []string{"Tag Moved Since The Plan", "team/app:1.0.1 at " + planned, "points to " + p.digests["1.0.1"], "Nothing was recorded"} {
		if !strings.Contains(text, want) {
			t.Errorf("the failed apply does not say %q:\n%s", want, out2)
		}
	}
	if strings.Contains(text, "inconsistent final plan") {
		t.Errorf("the apply failed in Terraform, not in the provider:\n%s", out2)
	}
	if state := run("show", "-json"); !strings.Contains(state, p.digests["1.0.0"]) || strings.Contains(state, `"tag":"1.0.1"`) {
		t.Errorf("the state moved after a failed apply:\n%s", state)
	}

	// Plan again, and the apply reads the one digest it moves to.
	run("plan", "-input=false", "-no-color", "-out=again.tfplan")
	p.proxy.Requests.Take()
	run("apply", "-input=false", "-no-color", "again.tfplan")
	got := p.proxy.Requests.Take()
	got.Ping = 0
	if got != (registrytest.Counts{ManifestHead: 1}) {
		t.Errorf("the apply of one moved pin sent %+v, want one digest read", got)
	}
	if state := run("show", "-json"); !strings.Contains(state, `"tag":"1.0.1"`) || !strings.Contains(state, p.digests["1.0.1"]) {
		t.Errorf("the pin did not move to 1.0.1 at its new digest:\n%s", state)
	}
}

// diagnostics returns the details of the diagnostics with summary in the
// output of a command run with -json.
func diagnostics(out, summary string) []string {
	var details []string
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Type       string `json:"type"`
			Diagnostic struct{ Summary, Detail string }
		}
		if json.Unmarshal([]byte(line), &msg) == nil && msg.Type == "diagnostic" && msg.Diagnostic.Summary == summary {
			details = append(details, strings.Join(strings.Fields(msg.Diagnostic.Detail), " "))
		}
	}
	return details
}

// TestPinRefreshCosts: a refresh of a pin costs what registry_latest_tag
// costs with current set to the pinned tag, plus one digest read for each
// other tag that is the newest within a move level: a newer tag that move
// may take, or the pinned tag itself, read to see whether it moved.
func TestPinRefreshCosts(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	digests := reg.PushTags(t, "team/app", "1.0.0", "1.0.1", "1.1.0", "2.0.0")
	proxy := faults.NewFaultProxy(t, reg)
	img, err := names.Parse(proxy.Host+"/team/app", "")
	if err != nil {
		t.Fatal(err)
	}
	fresh := func() *providerData {
		c, err := registry.New(t.Context(), registry.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return &providerData{client: c, timeout: time.Minute}
	}
	for _, tt := range []struct {
		pinned string
		extra  int64 // digests of the levels' own newest tags
		levels map[string]string
	}{
		{"2.0.0", 0, map[string]string{}},
		{"1.0.0", 2, map[string]string{movePatch: "1.0.1", moveMinor: "1.1.0", moveMajor: "2.0.0", moveAny: "2.0.0"}},
		{"1.1.0", 1, map[string]string{moveMajor: "2.0.0", moveAny: "2.0.0"}}, // is 1.1.0 still where it was?
	} {
		a := latestTagArgs{selection: selection{filter: tagfilter.Default()}}
		a.followCurrent(tt.pinned, true)

		// registry_latest_tag with current.
		d := fresh()
		proxy.Requests.Take()
		list, err := d.client.ListTags(t.Context(), img)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.choose(t.Context(), img, list, a.filter.SelectWith(list.Tags, a.rules, candidatesShown), a); err != nil {
			t.Fatal(err)
		}
		latest := proxy.Requests.Take()

		r := &pinResource{data: fresh()}
		newest, rec, _, err := r.refresh(t.Context(), img, a, pinTarget{Tag: tt.pinned, Digest: digests[tt.pinned].String()})
		if err != nil {
			t.Fatal(err)
		}
		pin := proxy.Requests.Take()
		want := latest
		want.ManifestHead += tt.extra
		if pin != want {
			t.Errorf("pin at %s: refresh sent %+v, want %+v (registry_latest_tag's %+v and %d)", tt.pinned, pin, want, latest, tt.extra)
		}
		if newest == nil || newest.Tag != "2.0.0" {
			t.Errorf("pin at %s: newest = %+v, want 2.0.0", tt.pinned, newest)
		}
		got := map[string]string{}
		for level, target := range rec.Levels {
			got[level] = target.Tag
			if target.Digest != digests[target.Tag].String() {
				t.Errorf("pin at %s: level %s at %s has digest %s, want %s", tt.pinned, level, target.Tag, target.Digest, digests[target.Tag])
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.levels) {
			t.Errorf("pin at %s: levels = %v, want %v", tt.pinned, got, tt.levels)
		}
	}
}

// TestPinStateUpgrade reads a state written by this schema version (0)
// through the provider's UpgradeResourceState, as Terraform does with a
// state from an earlier provider release: it must stay readable, and a
// later schema version adds its upgrader and a fixture beside this one.
func TestPinStateUpgrade(t *testing.T) {
	t.Parallel()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if schemas.ResourceSchemas["registry_pin"].Version != 0 {
		t.Fatalf("registry_pin's schema version is %d: add its upgrader and a fixture of the version before", schemas.ResourceSchemas["registry_pin"].Version)
	}
	const v0 = `{
  "id": "127.0.0.1:5000/team/app:1.2.3@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "image": "127.0.0.1:5000/team/app", "registry": null,
  "filter": null, "constraint": "~1.2", "exclude": null, "variant": null, "platform": null,
  "min_age": null, "age_from": null, "signature": null, "initial": null, "move": "minor",
  "tag": "1.2.3", "digest": "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "image_ref": "127.0.0.1:5000/team/app:1.2.3",
  "pinned_ref": "127.0.0.1:5000/team/app:1.2.3@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "pinned_at": "2026-12-05T06:00:00Z", "newest_tag": "1.3.0",
  "newest_digest": "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
  "update_available": true, "update_kind": "minor",
  "signed_by": null, "created": null, "pushed": null, "age_source": null
}`
	resp, err := server.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "registry_pin", Version: 0, RawState: &tfprotov6.RawState{JSON: []byte(v0)},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("upgrade: %s: %s", d.Summary, d.Detail)
	}
	if resp.UpgradedState == nil {
		t.Fatal("no upgraded state")
	}
	typ := schemas.ResourceSchemas["registry_pin"].ValueType()
	v, err := resp.UpgradedState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"tag": "1.2.3", "move": "minor", "constraint": "~1.2", "newest_tag": "1.3.0"} {
		var got string
		if err := attrs[name].As(&got); err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", name, got, err, want)
		}
	}
}

// TestPinImageChange: the same repository spelled another way (registry
// split from image) is an update in place; another repository replaces the
// pin.
func TestPinImageChange(t *testing.T) {
	t.Parallel()
	p := newPinRegistry(t, registrytest.NewInProcess(t), "1.0.0")
	p.reg.PushImage(t, "team/other", "5.0.0")
	other := strings.Replace(p.config(), "/team/app", "/team/other", 1)
	split := strings.Replace(p.config(), `image = "`+p.proxy.Host+`/team/app"`, `registry = "`+p.proxy.Host+`"`+"\n image = \"team/app\"", 1)
	unitTest(t,
		resource.TestStep{Config: p.config(), ConfigStateChecks: p.pinAt("1.0.0", "1.0.0", "none")},
		resource.TestStep{Config: split, ConfigPlanChecks: planned(plancheck.ResourceActionUpdate), ConfigStateChecks: p.pinAt("1.0.0", "1.0.0", "none")},
		resource.TestStep{
			Config:            other,
			ConfigPlanChecks:  planned(plancheck.ResourceActionReplace, plancheck.ExpectUnknownValue(pinAddr, tfjsonpath.New("tag"))),
			ConfigStateChecks: []statecheck.StateCheck{expect(pinAddr, "tag", knownvalue.StringExact("5.0.0"))},
		},
	)
}
