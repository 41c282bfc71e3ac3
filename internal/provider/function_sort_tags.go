package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// tagType is the element type of a list of tags.
var tagType = types.StringType

var _ function.Function = (*sortTagsFunction)(nil)

func newSortTagsFunction() function.Function { return &sortTagsFunction{} }

// sortTagsFunction is provider::registry::sort_tags.
type sortTagsFunction struct{}

func (f *sortTagsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "sort_tags"
}

func (f *sortTagsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The tags a filter keeps, newest first",
		MarkdownDescription: "Returns the tags that `filter` keeps, newest first, in the order `registry_latest_tag` uses. " +
			"Try a filter on a pasted tag list in `terraform console`, with no registry.",
		Parameters: []function.Parameter{tagsParameter, filterParameter},
		Return:     function.ListReturn{ElementType: tagType},
	}
}

func (f *sortTagsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
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
}
