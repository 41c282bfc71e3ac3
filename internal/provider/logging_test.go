package provider

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/tfrun"
)

func TestQuietLogs(t *testing.T) {
	t.Parallel()
	quiet := map[string]string{"TF_LOG_SDK": "off", "TF_LOG_PROVIDER_REGISTRY": "off"}
	tests := []struct {
		name    string
		environ []string
		want    map[string]string
	}{
		{"nothing set", []string{"HOME=/root", "PATH=/bin"}, quiet},
		{"TF_LOG_PATH alone logs nothing", []string{"TF_LOG_PATH=plan.log"}, quiet},
		{"empty TF_LOG", []string{"TF_LOG="}, quiet},
		{"TF_LOG_CORE is Terraform's own", []string{"TF_LOG_CORE=trace"}, quiet},
		{"TF_LOG", []string{"TF_LOG=debug"}, nil},
		{"TF_LOG_PROVIDER", []string{"TF_LOG_PROVIDER=debug"}, nil},
		{"the provider's own level", []string{"TF_LOG_PROVIDER_REGISTRY=debug"}, nil},
		{"the SDK's level", []string{"TF_LOG_SDK_FRAMEWORK=trace"}, nil},
		{"Windows spelling", []string{"tf_log=debug"}, nil},
		{"Windows spelling, the provider's level", []string{"Tf_Log_Provider_Registry=debug"}, nil},
		{"a parent's trace log", []string{"TF_TEMP_LOG_PATH=/tmp/crash.log"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := QuietLogs(tt.environ); !maps.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Errorf("QuietLogs(%q) = %q, want %q", tt.environ, got, tt.want)
			}
		})
	}
}

// TestProviderLog runs the provider binary under Terraform with
// TF_LOG_PROVIDER=trace, which puts the provider's log in Terraform's:
// as the troubleshooting guide says, it holds each registry request and
// the selection. With the variables that QuietLogs sets added, it holds
// nothing of the provider or of the plugin SDK: the names are the ones
// terraform-plugin-go reads.
func TestProviderLog(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	reg.PushTags(t, "team/app", "1.0.0", "1.1.0")
	terraform := tfrun.TerraformPath(t)
	provider := testProvider.Path(t)
	config := fmt.Sprintf(`
terraform {
  required_providers {
    registry = { source = %q }
  }
}
data "registry_latest_tag" "app" {
  image = "%s/team/app"
}
`, tfrun.ProviderSource, reg.Host)
	lines := []string{"registry request", "selected the newest tags", "Received request"}
	var quiet []string
	for name, value := range QuietLogs(nil) {
		quiet = append(quiet, name+"="+value)
	}
	for _, tc := range []struct {
		name string
		env  []string
		want bool
	}{
		{"asked for", nil, true},
		{"quieted", quiet, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			logFile := filepath.Join(t.TempDir(), "plan.log")
			ws := tfrun.NewWorkspace(t, terraform, filepath.Dir(provider), append(tc.env, "TF_LOG_PROVIDER=trace", "TF_LOG_PATH="+logFile)...)
			ws.Plan(t, ws.Config(t, "log", config))
			log, err := os.ReadFile(logFile)
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range lines {
				if got := strings.Contains(string(log), line); got != tc.want {
					t.Errorf("the log holds %q: %v, want %v", line, got, tc.want)
				}
			}
		})
	}
}
