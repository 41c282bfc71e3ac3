package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

// tagFunction is a provider function made of its name, its definition
// and its run: the five functions differ in nothing else.
type tagFunction struct {
	name       string
	definition function.Definition
	run        func(ctx context.Context, req function.RunRequest, resp *function.RunResponse)
}

var _ function.Function = tagFunction{}

func (f tagFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = f.name
}

func (f tagFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = f.definition
}

func (f tagFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	f.run(ctx, req, resp)
}

// The provider's functions run the filter language with no registry at
// all. They share the filter package, the shape and the image parser with
// the data sources, so a function and a data source never disagree.

// tagsParameter is a list of tags, as pasted from `crane ls` or a
// registry's web page.
var tagsParameter = function.ListParameter{
	ElementType:         tagType,
	Name:                "tags",
	MarkdownDescription: "A list of tags, such as `crane ls` prints them. An element that is not a valid tag is left out, as the data sources leave it out.",
}

// filterParameter is a filter expression, as the data sources' filter
// argument takes it.
var filterParameter = function.StringParameter{
	Name:                "filter",
	MarkdownDescription: "A filter expression, such as `semver()` or `prefix('master-', suffix=number())`, as `registry_latest_tag`'s `filter` takes it ([The filter language](../guides/filter-language.md)). It may not be empty.",
}

// filterArg parses the filter argument at index.
func filterArg(index int64, s string) (*tagfilter.Filter, *function.FuncError) {
	if strings.TrimSpace(s) == "" {
		return nil, function.NewArgumentFuncError(index, `filter is empty: give a filter expression, such as "semver()"`)
	}
	f, err := tagfilter.Parse(s)
	if err != nil {
		return nil, function.NewArgumentFuncError(index, err.Error())
	}
	return f, nil
}

// validTags returns the tags that are valid tags, in order.
func validTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		if names.ValidTag(t) {
			out = append(out, t)
		}
	}
	return out
}

// tagArg checks a tag argument at index.
func tagArg(index int64, name, tag string) *function.FuncError {
	if err := names.CheckTag(name, tag); err != nil {
		return function.NewArgumentFuncError(index, err.Error())
	}
	return nil
}
