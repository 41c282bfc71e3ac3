package registrytest

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// CredentialHelper writes a Docker credential helper,
// docker-credential-<name>, that runs the shell script, into a directory of
// its own, and puts that directory first on PATH for the rest of the test,
// which therefore must not run in parallel. The script answers Docker's
// credential-helper protocol: for "get", it reads a server URL on standard
// input and prints {"ServerURL":…,"Username":…,"Secret":…}.
func CredentialHelper(t testing.TB, name, script string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "docker-credential-"+name), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatalf("registrytest: %v", err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// DockerConfig is what a test puts in a Docker config file.
type DockerConfig struct {
	// Auths maps a registry host to "user:password".
	Auths map[string]string
	// Helpers maps a registry host to a credential helper's name
	// (credHelpers).
	Helpers map[string]string
	// Store names the helper for every other host (credsStore).
	Store string
}

// Write writes c as dir/config.json, the file Docker reads from
// DOCKER_CONFIG, and returns its path.
func (c DockerConfig) Write(t testing.TB, dir string) string {
	t.Helper()
	cfg := map[string]any{}
	if len(c.Auths) > 0 {
		auths := map[string]any{}
		for host, userpass := range c.Auths {
			auths[host] = map[string]string{"auth": base64.StdEncoding.EncodeToString([]byte(userpass))}
		}
		cfg["auths"] = auths
	}
	if len(c.Helpers) > 0 {
		cfg["credHelpers"] = c.Helpers
	}
	if c.Store != "" {
		cfg["credsStore"] = c.Store
	}
	data, err := json.Marshal(cfg)
	if err != nil {
		t.Fatalf("registrytest: %v", err)
	}
	path := filepath.Join(dir, "config.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatalf("registrytest: %v", err)
	}
	return path
}
