package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// tagType is the element type of a list of tags.
var tagType = types.StringType

// sortTagsFunction is provider::registry::sort_tags.
var sortTagsFunction = tagFunction{
	name: "sort_tags",
	definition: function.Definition{
		Summary: "The tags a filter keeps, newest first",
		MarkdownDescription: "Returns the tags that `filter` keeps, newest first, in the order `registry_latest_tag` uses. " +
			"Try a filter on a pasted tag list in `terraform console`, with no registry.",
		Parameters: []function.Parameter{tagsParameter, filterParameter},
		Return:     function.ListReturn{ElementType: tagType},
	},
	run: func(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
		var tags []string
		var filter string
		if resp.Error = req.Arguments.Get(ctx, &tags, &filter); resp.Error != nil {
			return
		}
		flt, err := filterArg(1, filter)
		if err != nil {
			resp.Error = err
			return
		}
		resp.Error = resp.Result.Set(ctx, flt.Sort(validTags(tags)))
	},
}
