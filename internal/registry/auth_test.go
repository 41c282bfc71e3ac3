package registry

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

func TestCredentialsFromEnv(t *testing.T) {
	t.Parallel()
	got, err := CredentialsFromEnv([]string{
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
		DockerHub:                 {Username: "me", Password: "pw"},
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
		_, err := CredentialsFromEnv(tt.env)
		if err == nil {
			t.Errorf("CredentialsFromEnv(%v) succeeded", tt.env)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("CredentialsFromEnv(%v) = %q, want it to say %q", tt.env, err, w)
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

// TestOneTokenPerRepository: however many reads, the token server is asked
// once per repository, and the registry is pinged once.
func TestOneTokenPerRepository(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewDistribution(t, registrytest.WithTokenAuth(map[string]string{"alice": "pw"}))
	reg.PushTags(t, "team/a", "1.0", "2.0")
	reg.PushTags(t, "team/b", "1.0")
	c, err := New(Options{Auth: map[string]Credential{reg.Host: {Username: "alice", Password: "pw"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, repo := range []string{"team/a", "team/b"} {
		img := mustImage(t, reg.Host+"/"+repo)
		if _, err := c.ListTags(t.Context(), img); err != nil {
			t.Fatal(err)
		}
		for _, tag := range []string{"1.0", "1.0"} {
			if _, err := c.Digest(t.Context(), img, tag); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := reg.Token.Requests.Load(); got != 2 {
		t.Errorf("token requests = %d, want 2 (one per repository)", got)
	}
}

// TestPlainHTTPRefused: a plain-HTTP request to a host that is neither
// loopback nor listed fails in the transport, before any connection.
func TestPlainHTTPRefused(t *testing.T) {
	t.Parallel()
	rt := newHostTransport(map[string]bool{"registry.internal:5000": true}, nil)
	for _, u := range []string{"http://10.1.2.3:5000/v2/", "http://192.168.1.10/v2/", "http://registry.example.com/v2/"} {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := rt.RoundTrip(req)
		if resp != nil {
			_ = resp.Body.Close()
		}
		if !errors.Is(err, ErrPlainHTTP) || !strings.Contains(err.Error(), "listed as insecure") {
			t.Errorf("GET %s: %v, want ErrPlainHTTP saying which hosts may use it", u, err)
		}
	}
}

// dockerConfigFile writes a Docker or Podman config file and loads it.
func dockerConfigFile(t *testing.T, content string) *DockerConfig {
	t.Helper()
	path := filepath.Join(t.TempDir(), "auth.json")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := LoadDockerConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// basicAuth is the "auth" value of a config entry for user, whose password
// is user-pw.
func basicAuth(user string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + user + "-pw"))
}

// TestDockerConfigKeys: keys are found however Docker or Podman wrote
// them, Docker Hub under any alias, and Podman's namespace keys by the
// longest that holds the repository, the same way every time.
func TestDockerConfigKeys(t *testing.T) {
	t.Parallel()
	d := dockerConfigFile(t, fmt.Sprintf(`{"auths":{
		"docker.io":{"auth":%q},
		"quay.io":{"auth":%q},
		"quay.io/org1":{"auth":%q},
		"quay.io/org1/team":{"auth":%q},
		"https://Registry.Example:5000/v2/":{"auth":%q}
	}}`, basicAuth("hub"), basicAuth("quay"), basicAuth("org1"), basicAuth("team"), basicAuth("example")))
	for _, tt := range []struct{ host, repository, user string }{
		{DockerHub, "library/nginx", "hub"},
		{"quay.io", "org2/app", "quay"},
		{"quay.io", "org1/app", "org1"},
		{"quay.io", "org1/team/app", "team"},
		{"quay.io", "org10/app", "quay"},
		{"registry.example:5000", "x", "example"},
	} {
		for range 20 { // map order must not matter
			cred, _, found, err := d.lookup(t.Context(), tt.host, tt.repository)
			if err != nil || !found || cred.Username != tt.user {
				t.Fatalf("lookup(%s, %s) = %q, %v, %v; want %q", tt.host, tt.repository, cred.Username, found, err, tt.user)
			}
		}
	}
	if _, _, found, _ := d.lookup(t.Context(), "ghcr.io", "x"); found {
		t.Error("found credentials for a host the config does not name")
	}
	for _, key := range []string{"registry-1.docker.io", "index.docker.io", "https://index.docker.io/v1/"} {
		d := dockerConfigFile(t, fmt.Sprintf(`{"auths":{%q:{"auth":%q}}}`, key, basicAuth("hub")))
		if cred, _, found, err := d.lookup(t.Context(), DockerHub, "library/nginx"); err != nil || !found || cred.Username != "hub" {
			t.Errorf("Docker Hub under %q: %q, %v, %v", key, cred.Username, found, err)
		}
	}
}

// TestCredentialHelperBoundedByTimeout: a credential helper that hangs
// (waiting on a keychain prompt) is killed when the read's time is up.
func TestCredentialHelperBoundedByTimeout(t *testing.T) {
	registrytest.CredentialHelper(t, "hanging", "sleep 60\n")
	d := dockerConfigFile(t, `{"credsStore":"hanging"}`)
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, _, err := d.lookup(ctx, "registry.example", "x")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("lookup = %v, want the deadline", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the hanging helper held the read for %s", took)
	}
}
