package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/tfrun"
)

// TestShapeWarnings plans, through Terraform, the spec's cases of the
// warning "Newer Tags In Another Shape" against a registry seeded with
// real tag sets, and reads the plan's output: a release candidate of
// another shape never warns a plain pin; the final release of a
// pre-release pin always does, naming it; a new minor line warns; and a
// regex() version group that keeps its "v" satisfies a constraint on its
// numeric part.
func TestShapeWarnings(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	reg.PushTags(t, "acme/rc", "1.27", "1.27.5", "1.28.0-rc.1")
	reg.PushTags(t, "acme/k8s", "v1.29.1", "v1.30.0-rc.1", "v1.30.0-rc.2", "v1.30.0", "v1.30.1", "v1.31.0-alpha.0")
	reg.PushTags(t, "acme/scheme", "2023.11", "2023.12", "2024.07.0")
	reg.PushTags(t, "acme/v", "v1.2.3-alpine", "v1.2.4-alpine", "v1.3.0-alpine")
	ds := func(name, repo, body string) string {
		return fmt.Sprintf("data \"registry_latest_tag\" %q {\n  image = \"%s/%s\"\n%s\n}\noutput %q {\n  value = data.registry_latest_tag.%s.tag\n}\n", name, reg.Host, repo, body, name, name)
	}
	config := fmt.Sprintf("terraform {\n  required_providers {\n    registry = { source = %q }\n  }\n}\n", tfrun.ProviderSource) +
		ds("rc", "acme/rc", `current = "1.27"`) +
		ds("k8s", "acme/k8s", `current = "v1.30.0-rc.2"`) +
		ds("scheme", "acme/scheme", `current = "2023.12"`) +
		ds("v", "acme/v", "filter = \"regex('(?P<version>v\\\\d+\\\\.\\\\d+\\\\.\\\\d+)-alpine')\"\n  current = \"v1.2.3-alpine\"\n  constraint = \"~1.2\"")
	ws := tfrun.NewWorkspace(t, tfrun.TerraformPath(t), testProviderDir(t))
	dir := ws.Config(t, "shapes", config)
	// -json: Terraform's human output folds warnings of one summary into
	// the first ("and one more similar warning elsewhere").
	out, _, err := ws.TryPlan(dir, "-json")
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	for _, line := range strings.Split(string(out), "\n") {
		var msg struct {
			Type       string `json:"type"`
			Diagnostic struct {
				Severity, Summary, Detail string
			} `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(line), &msg) == nil && msg.Type == "diagnostic" && msg.Diagnostic.Summary == "Newer Tags In Another Shape" {
			warnings = append(warnings, msg.Diagnostic.Detail)
		}
	}
	all := strings.Join(warnings, "\n")
	for _, want := range []string{
		`but v1.30.1, of another shape, is the final release of the pre-release "v1.30.0-rc.2"`,
		`Set current = "v1.30.1" to move to it`,
		`but 2024.07.0, of another shape, opens a new major or minor line`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no warning says %q:\n%s", want, all)
		}
	}
	if len(warnings) != 2 {
		t.Errorf("%d warnings, want 2 (none of 1.28.0-rc.1 for 1.27):\n%s", len(warnings), all)
	}
	outputs := ws.Outputs(t, dir)
	for name, want := range map[string]string{"rc": "1.27", "k8s": "v1.30.0-rc.2", "scheme": "2023.12", "v": "v1.2.4-alpine"} {
		if got := string(outputs[name]); got != `"`+want+`"` {
			t.Errorf("%s = %s, want %q", name, got, want)
		}
	}
}

// testProviderDir returns the directory of the provider binary built for
// the tests, for a dev_overrides entry.
func testProviderDir(t *testing.T) string {
	t.Helper()
	p := testProvider.Path(t)
	return p[:strings.LastIndex(p, "/")]
}
