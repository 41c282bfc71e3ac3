package provider

import (
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry"
)

// addRegistryError reports a failed registry call: the summary says what
// failed, the detail says what happened to which image on which registry,
// then what the user can do.
func addRegistryError(diags *diag.Diagnostics, summary string, err error) {
	detail := err.Error()
	var re *registry.Error
	if errors.As(err, &re) {
		detail += "\n\n" + re.Hint()
	}
	diags.AddError(summary, detail)
}
