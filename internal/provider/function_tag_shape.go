package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

// tagShapeFunction is provider::registry::tag_shape.
var tagShapeFunction = tagFunction{
	name: "tag_shape",
	definition: function.Definition{
		Summary: "A tag's shape",
		MarkdownDescription: "Returns the tag with every run of digits replaced by `#` (`1.27.3-alpine3.21` → " +
			"`#.#.#-alpine#.#`): the shape that `registry_latest_tag` follows when `current` is set.",
		Parameters: []function.Parameter{function.StringParameter{Name: "tag", MarkdownDescription: "A tag."}},
		Return:     function.StringReturn{},
	},
	run: func(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
		var tag string
		if resp.Error = req.Arguments.Get(ctx, &tag); resp.Error != nil {
			return
		}
		if resp.Error = tagArg(0, "tag", tag); resp.Error != nil {
			return
		}
		resp.Error = resp.Result.Set(ctx, tagfilter.Shape(tag))
	},
}
