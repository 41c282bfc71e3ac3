package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

// candidatesShown is how many of the newest kept tags are logged and named
// in errors, so that a surprising answer can be explained.
const candidatesShown = 5

var (
	_ datasource.DataSource                     = (*latestTagDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*latestTagDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*latestTagDataSource)(nil)
)

func newLatestTagDataSource() datasource.DataSource { return &latestTagDataSource{} }

type latestTagDataSource struct {
	dataSourceBase
}

type latestTagModel struct {
	Image           types.String `tfsdk:"image"`
	Registry        types.String `tfsdk:"registry"`
	Filter          types.String `tfsdk:"filter"`
	Constraint      types.String `tfsdk:"constraint"`
	Current         types.String `tfsdk:"current"`
	Tag             types.String `tfsdk:"tag"`
	Digest          types.String `tfsdk:"digest"`
	ImageRef        types.String `tfsdk:"image_ref"`
	PinnedRef       types.String `tfsdk:"pinned_ref"`
	UpdateAvailable types.Bool   `tfsdk:"update_available"`
	UpdateKind      types.String `tfsdk:"update_kind"`
}

func (d *latestTagDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_latest_tag"
}

func (d *latestTagDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists an image's tags and returns the newest one that `filter` and `constraint` keep, with its digest. " +
			"Pin the tag you run in `current` to see `update_available` and `update_kind` in the plan.\n\n" +
			"Signature, attestation and SBOM tags written by cosign (`sha256-<hex>.sig`, `.att`, `.sbom`) are never versions.",
		Attributes: map[string]schema.Attribute{
			"image":    imageAttribute(),
			"registry": registryAttribute(),
			"filter": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Which tags are versions, and how they are ordered; ties are broken by the tag itself, so the " +
					"answer never depends on the registry's order. Defaults to `semver()`. One of:\n" +
					"  - `semver()`: tags that start with a digit, or `v` then a digit, in loose version order " +
					"(`1.10` > `1.9`, `1.0` > `1.0-rc2` > `1.0-rc1`); `semver(allow_no_nums=true)` keeps every tag.\n" +
					"  - `number()`: tags made only of digits, by value, any length (build numbers, timestamps).\n" +
					"  - `prefix('master-', suffix=number())`: tags that start with the literal text, ordered by the rest " +
					"(`suffix` defaults to `semver()`).\n" +
					"  - `regex('(?P<version>\\d+\\.\\d+\\.\\d+)-alpine')`: tags that match the whole RE2 pattern, ordered by the " +
					"`version` group when there is one, else by the tag. In HCL, write each `\\` as `\\\\`.",
				Validators: []validator.String{parsed{what: "filter", parse: func(s string) error {
					_, err := tagfilter.Parse(s)
					return err
				}}},
			},
			"constraint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "A [Masterminds/semver v3](https://github.com/Masterminds/semver#checking-version-constraints) " +
					"constraint on each kept tag's version text: `~1.25`, `^2`, `>= 1.2, < 2.0`, `1.2.x`. The version text is the tag " +
					"less a leading `v` (for `semver()`, and for `regex()` without a `version` group), the tag (for `number()`), the " +
					"version text of the rest after the prefix (for `prefix()`), or the `version` group (for `regex()`). " +
					"Tags whose version text is not semver (such as the four-part `2.0.7.1`) are left out. A pre-release (`1.2.3-rc1`, " +
					"and also `1.2.3-alpine` or `16.1.0-debian-12-r10`) only satisfies a constraint that names one, so `>= 0` means " +
					"stable releases only, and `~16.1.0-0` keeps 16.1 releases and pre-releases alike.",
				Validators: []validator.String{parsed{what: "constraint", parse: func(s string) error {
					_, err := tagfilter.ParseConstraint(s)
					return err
				}}},
			},
			"current": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The tag in use now. When set, `update_available` and `update_kind` compare `tag` with it. " +
					"It must be a tag the filter keeps (with an `-alpine` filter, `1.27.3-alpine`, not `1.27.3`), else validation " +
					"fails; the constraint does not apply to it, and it need not exist in the registry any more.",
			},
			"tag": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The newest tag that `filter` and `constraint` keep. When they keep none, the read fails with an " +
					"error that names the image, the filter, the constraint and some of the image's tags.",
			},
			"digest": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The manifest digest of `tag` (`sha256:…`); for a multi-platform image, the digest of its index. " +
					"Read with a HEAD request, which Docker Hub does not count as a pull.",
			},
			"image_ref":  imageRefAttribute(),
			"pinned_ref": pinnedRefAttribute(),
			"update_available": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "`true` when `current` is set and `tag` is newer than it; `false` otherwise.",
			},
			"update_kind": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "How `tag` is newer than `current`, by the first numeric component of their version texts that " +
					"differs: `major`, `minor`, `patch`, or `other` (a later component, or only the suffix: `-ls171` to `-ls172`); `none` " +
					"when it is not newer. With `number()` the number is the only component, so every newer build is `major`. " +
					"Null when `current` is unset.",
			},
		},
	}
}

func (d *latestTagDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{imageRegistryValidator, currentKeptValidator}
}

// filterOf returns the configured filter, or the default one.
func filterOf(v types.String) (*tagfilter.Filter, error) {
	if v.IsNull() {
		return tagfilter.Default(), nil
	}
	return tagfilter.Parse(v.ValueString())
}

func (d *latestTagDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer recoverRead(resp)
	var m latestTagModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := d.readContext(ctx, resp)
	defer cancel()
	if !ok {
		return
	}
	img, ok := parseImage(m.Image, m.Registry, resp)
	if !ok {
		return
	}
	filter, err := filterOf(m.Filter)
	if err != nil {
		resp.Diagnostics.Append(invalidValue(path.Root("filter"), "filter", err))
		return
	}
	var constraint *tagfilter.Constraint
	if !m.Constraint.IsNull() {
		constraint, err = tagfilter.ParseConstraint(m.Constraint.ValueString())
		if err != nil {
			resp.Diagnostics.Append(invalidValue(path.Root("constraint"), "constraint", err))
			return
		}
	}

	list, err := d.data.client.ListTags(ctx, img)
	if err != nil {
		resp.Diagnostics.Append(cannotListTags(err))
		return
	}
	tags := list.Tags
	sel := filter.Select(tags, constraint, candidatesShown)
	tflog.Debug(ctx, "selected the newest tag", map[string]any{
		"image":                  img.Name,
		"filter":                 filter.String(),
		"constraint":             constraintText(constraint),
		"tags_listed":            list.Listed,
		"tags_invalid":           list.Invalid,
		"tags_kept":              sel.Kept,
		"rejected_by_filter":     sel.RejectedByFilter,
		"rejected_by_constraint": sel.RejectedByConstraint,
		"top_candidates":         sel.Candidates,
		"tag":                    sel.Tag,
	})
	if !sel.Found() {
		resp.Diagnostics.Append(noTagMatches(noMatchDetail(img.Name, img.Registry, filter, constraint, tags, sel)))
		return
	}

	read, err := d.data.client.ListedDigest(ctx, img, list, sel.Tag)
	if err != nil {
		resp.Diagnostics.Append(cannotReadDigest(err))
		return
	}
	digest := read.Digest
	if read.Mirror != "" {
		resp.Diagnostics.Append(readFromMirror(img, read.Mirror))
	}
	if list.MayBeCut {
		resp.Diagnostics.Append(tagListMayBeCut(img, list.Listed))
	}

	m.Tag = types.StringValue(sel.Tag)
	m.Digest = types.StringValue(digest)
	m.ImageRef = types.StringValue(img.Name + ":" + sel.Tag)
	m.PinnedRef = types.StringValue(img.Name + ":" + sel.Tag + "@" + digest)
	m.UpdateAvailable = types.BoolValue(false)
	m.UpdateKind = types.StringNull()
	if !m.Current.IsNull() {
		kind, err := filter.Update(m.Current.ValueString(), sel.Tag)
		if err != nil {
			resp.Diagnostics.Append(currentNotKept(m.Current.ValueString(), filter.String()))
			return
		}
		m.UpdateKind = types.StringValue(string(kind))
		m.UpdateAvailable = types.BoolValue(kind != tagfilter.UpdateNone)
	}
	d.warnRateLimit(img, resp)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func constraintText(c *tagfilter.Constraint) string {
	if c == nil {
		return ""
	}
	return c.String()
}

// noMatchDetail explains a read where no tag was kept: the image, the
// filter, the constraint, how many tags the image has and a few of them.
func noMatchDetail(image, reg string, f *tagfilter.Filter, c *tagfilter.Constraint, tags []string, sel tagfilter.Selection) string {
	var b strings.Builder
	fmt.Fprintf(&b, "No tag of %s on registry %s is kept by filter %q", image, reg, f.String())
	if c != nil {
		fmt.Fprintf(&b, " with constraint %q", c.String())
	}
	fmt.Fprintf(&b, ". The image has %d tags", len(tags))
	if len(tags) > 0 {
		const shown = 10
		sample := tags
		if len(sample) > shown {
			sample = sample[:shown]
		}
		fmt.Fprintf(&b, ", for example: %s", strings.Join(sample, ", "))
		if len(tags) > shown {
			b.WriteString(", …")
		}
	}
	b.WriteString(".")
	if c != nil && sel.RejectedByConstraint > 0 {
		fmt.Fprintf(&b, " The filter kept %d tags, and the constraint rejected all of them (a pre-release such as 1.2.3-rc1 or 1.2.3-alpine only satisfies a constraint that names a pre-release).", sel.RejectedByConstraint)
	}
	b.WriteString("\n\nChange the filter or the constraint to match the tags the image has; run with TF_LOG=debug to see how each read sorted them.")
	return b.String()
}

// currentKeptValidator checks, once filter and current are known, that the
// filter keeps current.
var currentKeptValidator = pairValidator{
	description: "current must be a tag that the filter keeps",
	first:       "filter",
	second:      "current",
	check: func(filterV, current types.String) diag.Diagnostics {
		if filterV.IsUnknown() || !known(current) {
			return nil
		}
		filter, err := filterOf(filterV)
		if err != nil || filter.Keep(current.ValueString()) {
			return nil // a bad filter is reported by its own validator
		}
		return diag.Diagnostics{currentNotKept(current.ValueString(), filter.String())}
	},
}
