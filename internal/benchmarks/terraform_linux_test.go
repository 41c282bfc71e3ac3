package benchmarks

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

// buildProvider builds the provider from this module once per run of the
// benchmarks, into a directory of its own that a dev_overrides entry can
// name.
var buildProvider = sync.OnceValues(func() (string, error) {
	dir := filepath.Join(workDir, "provider")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return registrytest.BuildProvider(dir)
})

// providerBinary returns the provider built by buildProvider.
func providerBinary(b *testing.B) string {
	b.Helper()
	path, err := buildProvider()
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// craneBinary returns crane at the version pinned in tools/go.mod.
func craneBinary(b *testing.B) string {
	b.Helper()
	return registrytest.Tool(b, "crane")
}

// providerBlock returns the terraform block and a provider block, with
// credentials for host unless username is empty.
func providerBlock(host, username, password string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "terraform {\n  required_providers {\n    registry = {\n      source = %q\n    }\n  }\n}\n\nprovider \"registry\" {\n", registrytest.ProviderSource)
	if username != "" {
		fmt.Fprintf(&b, "  auth {\n    registry = %q\n    username = %q\n    password = %q\n  }\n", host, username, password)
	}
	b.WriteString("}\n")
	return b.String()
}
