package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// protoV6ProviderFactories serve the provider in-process to the Terraform CLI
// that terraform-plugin-testing runs.
var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"registry": providerserver.NewProtocol6WithError(New("test")()),
}

// unitTest runs steps against the provider under test, with or without
// TF_ACC.
func unitTest(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
}

// accTest runs steps against the provider under test when TF_ACC is set:
// the tests that start the CNCF distribution registry.
func accTest(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
}

// refused is the body of a data source that the plan must refuse, and the
// parts of the error it must give.
type refused struct {
	body string
	want []string
}

// planRefuses plans each body in a data source of type dataSource, and
// checks that the plan fails with the error the case wants.
func planRefuses(t *testing.T, dataSource string, cases ...refused) {
	t.Helper()
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      fmt.Sprintf("data %q \"x\" {\n%s\n}", dataSource, c.body),
			ExpectError: errorContaining(c.want...),
			PlanOnly:    true,
		})
	}
	unitTest(t, steps...)
}

// hcl joins HCL blocks into one configuration.
func hcl(blocks ...string) string {
	return strings.Join(blocks, "\n")
}

// providerBlock returns a provider block with the given arguments.
func providerBlock(args ...string) string {
	return fmt.Sprintf("provider \"registry\" {\n%s\n}\n", strings.Join(args, "\n"))
}

// authBlock returns a provider auth block with a user name and password.
func authBlock(registry, username, password string) string {
	return fmt.Sprintf("auth {\n registry = %q\n username = %q\n password = %s\n}", registry, username, password)
}

// errorContaining matches an error whose text holds every part, in order,
// whatever line breaks Terraform wraps the message with.
func errorContaining(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, `.*`))
}

func TestProviderValidation(t *testing.T) {
	t.Parallel()
	ds := `data "registry_image_digest" "x" { image = "127.0.0.1:1/x" }`
	unitTest(t,
		resource.TestStep{
			Config:      hcl(providerBlock(`timeout = "soon"`), ds),
			ExpectError: errorContaining("Invalid Timeout", `timeout "soon" is not a duration`),
		},
		resource.TestStep{
			Config:      hcl(providerBlock(`timeout = "-1s"`), ds),
			ExpectError: errorContaining("Invalid Timeout", "must be greater than zero"),
		},
		resource.TestStep{
			Config:      hcl(providerBlock(`max_concurrent_requests = 0`), ds),
			ExpectError: errorContaining("max_concurrent_requests", "between 1 and 256"),
		},
		resource.TestStep{
			Config:      hcl(providerBlock(`insecure_registries = ["https://registry.example"]`), ds),
			ExpectError: errorContaining("Invalid Registry Host", `registry "https://registry.example" holds a URL scheme`),
		},
	)
}
