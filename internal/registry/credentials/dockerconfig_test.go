package credentials

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

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
		{names.DockerHub, "library/nginx", "hub"},
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
		if cred, _, found, err := d.lookup(t.Context(), names.DockerHub, "library/nginx"); err != nil || !found || cred.Username != "hub" {
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
