package credentials

import (
	"strings"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

func TestFromEnv(t *testing.T) {
	t.Parallel()
	got, err := FromEnv([]string{
		"PATH=/bin",
		"REGISTRY_AUTH_REGISTRY=docker.io",
		"REGISTRY_AUTH_USERNAME=me",
		"REGISTRY_AUTH_PASSWORD=pw",
		"REGISTRY_AUTH_GHCR_REGISTRY=ghcr.io",
		"REGISTRY_AUTH_GHCR_TOKEN=tok",
		"REGISTRY_AUTH_MY_HARBOR_REGISTRY=harbor.example.com:8443",
		"REGISTRY_AUTH_MY_HARBOR_USERNAME=robot$ci",
		"REGISTRY_AUTH_MY_HARBOR_PASSWORD=a=b",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Credential{
		names.DockerHub:           {Username: "me", Password: "pw"},
		"ghcr.io":                 {Token: "tok"},
		"harbor.example.com:8443": {Username: "robot$ci", Password: "a=b"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d credentials, want %d: %v", len(got), len(want), got)
	}
	for host, w := range want {
		if got[host] != w {
			t.Errorf("credentials for %s = %+v, want %+v", host, got[host], w)
		}
	}
}

func TestCredentialsFromEnvErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env  []string
		want []string
	}{
		{[]string{"REGISTRY_AUTH_USERNAME=me", "REGISTRY_AUTH_PASSWORD=pw"}, []string{"REGISTRY_AUTH_REGISTRY is not"}},
		{[]string{"REGISTRY_AUTH_X_REGISTRY=ghcr.io", "REGISTRY_AUTH_X_USERNAME=me"}, []string{"incomplete", "REGISTRY_AUTH_X_PASSWORD"}},
		{[]string{"REGISTRY_AUTH_X_REGISTRY=ghcr.io", "REGISTRY_AUTH_X_USERNAME=me", "REGISTRY_AUTH_X_PASSWORD=p", "REGISTRY_AUTH_X_TOKEN=t"}, []string{"both", "set only one"}},
		{[]string{"REGISTRY_AUTH_X_REGISTRY=https://ghcr.io", "REGISTRY_AUTH_X_TOKEN=t"}, []string{"REGISTRY_AUTH_X_REGISTRY", "URL scheme"}},
		{[]string{"REGISTRY_AUTH_A_REGISTRY=docker.io", "REGISTRY_AUTH_A_TOKEN=t", "REGISTRY_AUTH_B_REGISTRY=index.docker.io", "REGISTRY_AUTH_B_TOKEN=u"}, []string{"more than once"}},
	}
	for _, tt := range tests {
		_, err := FromEnv(tt.env)
		if err == nil {
			t.Errorf("FromEnv(%v) succeeded", tt.env)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("FromEnv(%v) = %q, want it to say %q", tt.env, err, w)
			}
		}
		for _, kv := range tt.env {
			if _, v, _ := strings.Cut(kv, "="); strings.Contains(kv, "PASSWORD") || strings.Contains(kv, "TOKEN") {
				if strings.Contains(err.Error(), "="+v) || strings.Contains(err.Error(), `"`+v+`"`) {
					t.Errorf("error %q holds the secret %q", err, v)
				}
			}
		}
	}
}
