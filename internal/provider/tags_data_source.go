package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

func newTagsDataSource() datasource.DataSource { return &tagsDataSource{dataSourceBase{name: "tags"}} }

type tagsDataSource struct {
	dataSourceBase
}

type tagsModel struct {
	imageArgs
	ruleArgs
	Limit      types.Int64 `tfsdk:"limit"`
	Tags       types.List  `tfsdk:"tags"`
	TagsListed types.Int64 `tfsdk:"tags_listed"`
	Rejected   types.Map   `tfsdk:"rejected"`
}

func (d *tagsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = imageSchema(tagRulesHint,
		"Every tag of an image that `filter`, `constraint` and `exclude` keep, newest first, with how many "+
			"tags each rule rejected: to check a pin against what exists, to show the candidates `registry_latest_tag` chooses "+
			"from, or to drive `for_each`. It reads the tag list only (no digests), from the same per-run cache as the other "+
			"data sources.",
		map[string]schema.Attribute{
			"filter":     filterAttribute(),
			"constraint": constraintAttribute(),
			"exclude":    excludeAttribute(),
			"limit": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "The most tags returned: the newest. At least 1; all of them when unset.",
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"tags": schema.ListAttribute{
				ElementType: types.StringType,
				Computed:    true,
				MarkdownDescription: "The tags that every rule keeps, newest first, in the order `registry_latest_tag` uses. " +
					"Empty, not an error, when no tag is kept.",
			},
			"tags_listed": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "How many distinct tags the registry listed, tags that are not valid tags included.",
			},
			"rejected": schema.MapAttribute{
				ElementType: types.Int64Type,
				Computed:    true,
				MarkdownDescription: "How many tags each rule rejected, by rule: `invalid` (not a valid tag), `cosign` (signature, " +
					"attestation and SBOM tags), `filter`, `exclude` and `constraint`. Every key is present, 0 when none; each tag " +
					"counts once, under the first rule that rejects it, so the kept tags (before `limit`) and the rejected ones " +
					"add up to `tags_listed`.",
			},
		})
}

func (d *tagsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer recoverRead(resp)
	var m tagsModel
	ctx, cancel, img, ok := d.beginRead(ctx, req, resp, &m, tagRulesHint)
	defer cancel()
	if !ok {
		return
	}
	a, diags := m.ruleArgs.parse(ctx)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	list, ok := d.listTags(ctx, img, resp)
	if !ok {
		return
	}
	n := len(list.Tags)
	if !m.Limit.IsNull() {
		n = min(n, int(m.Limit.ValueInt64()))
	}
	// SelectWith keeps the n newest, in order, and counts every rejection.
	sel := a.filter.SelectWith(list.Tags, a.rules, n)
	kept := sel.Candidates
	if kept == nil {
		kept = []string{}
	}
	tflog.Debug(ctx, "listed the kept tags", map[string]any{"image": img.Name, "tags_listed": list.Listed(), "tags_kept": sel.Kept})
	var d1, d2 diag.Diagnostics
	m.Tags, d1 = types.ListValueFrom(ctx, types.StringType, kept)
	m.Rejected, d2 = types.MapValueFrom(ctx, types.Int64Type, map[string]int64{
		"invalid":    int64(list.Invalid),
		"cosign":     int64(sel.RejectedByCosign),
		"filter":     int64(sel.RejectedByFilter),
		"exclude":    int64(sel.RejectedByExclude),
		"constraint": int64(sel.RejectedByConstraint),
	})
	m.TagsListed = types.Int64Value(int64(list.Listed()))
	resp.Diagnostics.Append(d1...)
	resp.Diagnostics.Append(d2...)
	d.warnList(img, list, resp)
	if list.Listed() == 0 {
		resp.Diagnostics.Append(emptyTagList(img, list.Mirror))
	}
	d.warnRateLimit(img, resp)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
