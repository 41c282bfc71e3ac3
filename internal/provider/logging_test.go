package provider

import (
	"maps"
	"testing"
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
