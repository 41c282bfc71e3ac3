package benchmarks

import (
	"fmt"
	"strings"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/tfrun"
)

// providerBlock returns the terraform block and a provider block, with
// credentials for host unless username is empty.
func providerBlock(host, username, password string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "terraform {\n  required_providers {\n    registry = {\n      source = %q\n    }\n  }\n}\n\nprovider \"registry\" {\n", tfrun.ProviderSource)
	if username != "" {
		fmt.Fprintf(&b, "  auth {\n    registry = %q\n    username = %q\n    password = %q\n  }\n", host, username, password)
	}
	b.WriteString("}\n")
	return b.String()
}
