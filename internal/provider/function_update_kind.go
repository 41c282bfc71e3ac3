package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/function"
)

// updateKindFunction is provider::registry::update_kind.
var updateKindFunction = tagFunction{
	name: "update_kind",
	definition: function.Definition{
		Summary: "How a candidate tag is newer than the tag in use",
		MarkdownDescription: "Returns `major`, `minor`, `patch` or `other` (a later number, or only the suffix) by the first " +
			"number of the version texts that differs, or `none` when `candidate` is not newer than `current`: " +
			"`registry_latest_tag`'s `update_kind`. Both must be tags the filter keeps.",
		Parameters: []function.Parameter{
			function.StringParameter{Name: "current", MarkdownDescription: "The tag in use now."},
			function.StringParameter{Name: "candidate", MarkdownDescription: "The tag to compare with it."},
			filterParameter,
		},
		Return: function.StringReturn{},
	},
	run: func(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
		var current, candidate, filter string
		if resp.Error = req.Arguments.Get(ctx, &current, &candidate, &filter); resp.Error != nil {
			return
		}
		if resp.Error = function.ConcatFuncErrors(tagArg(0, "current", current), tagArg(1, "candidate", candidate)); resp.Error != nil {
			return
		}
		flt, ferr := filterArg(2, filter)
		if ferr != nil {
			resp.Error = ferr
			return
		}
		for i, tag := range []string{current, candidate} {
			if !flt.Keep(tag) {
				resp.Error = function.NewArgumentFuncError(int64(i), fmt.Sprintf("tag %q is not one that filter \"%s\" keeps, so it cannot be compared", tag, flt.String()))
				return
			}
		}
		kind, err := flt.Update(current, candidate)
		if err != nil {
			resp.Error = function.NewFuncError(err.Error())
			return
		}
		resp.Error = resp.Result.Set(ctx, string(kind))
	},
}
