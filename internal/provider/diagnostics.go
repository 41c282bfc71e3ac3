package provider

import (
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
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

// warnMirror warns that an image was read from a mirror, which may hold a
// partial or stale tag list (goharbor/harbor#15513).
func warnMirror(diags *diag.Diagnostics, img registry.Image, mirror string) {
	if mirror == "" {
		return
	}
	diags.AddWarning("Read From A Mirror",
		fmt.Sprintf("Registry %s could not answer for %s, so it was read from the mirror %s. A mirror or pull-through cache may hold a partial or stale tag list, so a newer tag may exist; plan again once %s answers.", img.Registry, img.Name, mirror, img.Registry))
}

// warnMayBeCut warns that a registry ignored paging and sent a list that
// may end at its own page size.
func warnMayBeCut(diags *diag.Diagnostics, img registry.Image, tags int) {
	diags.AddWarning("Tag List May Be Incomplete",
		fmt.Sprintf("Registry %s ignores the paging parameters of its tag list, and its whole list for %s held exactly %d tags, as many as one page: the registry may have cut it at its page size, so newer tags may exist beyond it.", img.Registry, img.Name, tags))
}

// recoverRead turns a panic in a data source's Read into an error of that
// read, so that one bug does not crash the provider and every data source
// of the plan with it.
func recoverRead(resp *datasource.ReadResponse) {
	if r := recover(); r != nil {
		resp.Diagnostics.AddError("Internal Error",
			fmt.Sprintf("The read failed with an internal error: %v. This is a bug in the provider: please report it, with this message.", r))
	}
}
