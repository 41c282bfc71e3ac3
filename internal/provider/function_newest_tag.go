package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

// newestTagFunction is provider::registry::newest_tag.
var newestTagFunction = tagFunction{
	name: "newest_tag",
	definition: function.Definition{
		Summary: "The newest tag a filter and a constraint keep",
		MarkdownDescription: "Returns the newest of `tags` that `filter` and `constraint` keep, as `registry_latest_tag` " +
			"would choose it from the same list (without `current`, `exclude`, `platform` and `min_age`). Fails naming " +
			"the filter and the constraint when they keep none.",
		Parameters: []function.Parameter{tagsParameter, filterParameter, function.StringParameter{
			Name:           "constraint",
			AllowNullValue: true,
			MarkdownDescription: "A Masterminds/semver v3 constraint on each kept tag's version text, such as `~1.27` or " +
				"`>= 0`, as `registry_latest_tag`'s `constraint` takes it; `\"\"` or `null` for none (with OpenTofu, write `\"\"`: " +
				"OpenTofu 1.10 sends a null function argument that the provider cannot read).",
		}},
		Return: function.StringReturn{},
	},
	run: func(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
		var tags []string
		var filter string
		var constraint types.String
		if resp.Error = req.Arguments.Get(ctx, &tags, &filter, &constraint); resp.Error != nil {
			return
		}
		flt, ferr := filterArg(1, filter)
		if ferr != nil {
			resp.Error = ferr
			return
		}
		var c *tagfilter.Constraint
		if constraint.ValueString() != "" {
			var err error
			if c, err = tagfilter.ParseConstraint(constraint.ValueString()); err != nil {
				resp.Error = function.NewArgumentFuncError(2, err.Error())
				return
			}
		}
		valid := validTags(tags)
		sel := flt.Select(valid, c, 0)
		if !sel.Found() {
			resp.Error = function.NewFuncError(fmt.Sprintf("no tag of the %d given is kept by filter \"%s\" and constraint %q", len(valid), flt.String(), c.String()))
			return
		}
		resp.Error = resp.Result.Set(ctx, sel.Tag)
	},
}
