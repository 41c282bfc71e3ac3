package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// imageRefTypes are the attributes of parse_image_ref's object.
var imageRefTypes = map[string]attr.Type{
	"registry": types.StringType, "repository": types.StringType, "tag": types.StringType, "digest": types.StringType,
}

type imageRefModel struct {
	Registry   types.String `tfsdk:"registry"`
	Repository types.String `tfsdk:"repository"`
	Tag        types.String `tfsdk:"tag"`
	Digest     types.String `tfsdk:"digest"`
}

// parseImageRefFunction is provider::registry::parse_image_ref.
var parseImageRefFunction = tagFunction{
	name: "parse_image_ref",
	definition: function.Definition{
		Summary: "The parts of an image reference",
		MarkdownDescription: "Parses an image reference such as `nginx:1.27.3@sha256:…` into an object " +
			"`{ registry, repository, tag, digest }`, with Docker Hub's defaults filled in (`docker.io`, `library/nginx`; " +
			"`index.docker.io` and `registry-1.docker.io` fold to `docker.io`). `tag` and `digest` are null when the " +
			"reference has none: no `latest` is assumed.",
		Parameters: []function.Parameter{function.StringParameter{Name: "ref", MarkdownDescription: "An image reference, as in `docker pull`."}},
		Return:     function.ObjectReturn{AttributeTypes: imageRefTypes},
	},
	run: func(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
		var ref string
		if resp.Error = req.Arguments.Get(ctx, &ref); resp.Error != nil {
			return
		}
		r, err := names.ParseReference(ref)
		if err != nil {
			resp.Error = function.NewArgumentFuncError(0, err.Error())
			return
		}
		nullIfEmpty := func(s string) types.String {
			if s == "" {
				return types.StringNull()
			}
			return types.StringValue(s)
		}
		resp.Error = resp.Result.Set(ctx, imageRefModel{
			Registry: types.StringValue(r.Registry), Repository: types.StringValue(r.Repository),
			Tag: nullIfEmpty(r.Tag), Digest: nullIfEmpty(r.Digest),
		})
	},
}
