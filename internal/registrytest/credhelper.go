package registrytest

import (
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
