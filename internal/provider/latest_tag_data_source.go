package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/signature"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

// candidatesShown is how many of the newest kept tags are logged and named
// in errors, so that a surprising answer can be explained.
const candidatesShown = 5

func newLatestTagDataSource() datasource.DataSource {
	return &latestTagDataSource{dataSourceBase{name: "latest_tag"}}
}

type latestTagDataSource struct {
	dataSourceBase
}

type latestTagModel struct {
	imageArgs
	ruleArgs
	pinnedImage
	Current         types.String `tfsdk:"current"`
	Variant         types.String `tfsdk:"variant"`
	Platform        types.String `tfsdk:"platform"`
	MinAge          types.String `tfsdk:"min_age"`
	AgeFrom         types.String `tfsdk:"age_from"`
	Tag             types.String `tfsdk:"tag"`
	UpdateAvailable types.Bool   `tfsdk:"update_available"`
	UpdateKind      types.String `tfsdk:"update_kind"`
	Created         types.String `tfsdk:"created"`
	Pushed          types.String `tfsdk:"pushed"`
	AgeSource       types.String `tfsdk:"age_source"`
	Signature       types.Object `tfsdk:"signature"`
	SignedBy        types.String `tfsdk:"signed_by"`
}

func (d *latestTagDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = imageSchema(tagRulesHint,
		"Lists an image's tags and returns the newest one that `filter` and `constraint` keep, with its digest. "+
			"Pin the tag you run in `current` to see `update_available` and `update_kind` in the plan.\n\n"+
			"Signature, attestation and SBOM tags written by cosign (`sha256-<hex>.sig`, `.att`, `.sbom`) are never versions.",
		map[string]schema.Attribute{
			"filter":     filterAttribute(),
			"constraint": constraintAttribute(),
			"exclude":    excludeAttribute(),
			"current": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The tag in use now. When set, `update_available` and `update_kind` compare `tag` with it, and " +
					"(with `variant = \"same\"`, the default) only tags of its shape are candidates. It must be a tag the filter keeps " +
					"(with an `-alpine` filter, `1.27.3-alpine`, not `1.27.3`), else the read fails; `exclude`, `constraint`, " +
					"`platform` and `min_age` do not apply to it, and it need not exist in the registry any more.",
			},
			"variant": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "`same` (the default) or `any`. With `same` and `current` set, only tags of `current`'s shape are " +
					"candidates: the shape is the tag with every run of digits replaced by `#` (`1.27.3-alpine3.21` → " +
					"`#.#.#-alpine#.#`), so a pin keeps its precision (`1.27` moves to `1.28`, not `1.28.0`), its `v`, its variant " +
					"words and its separators, while every number may move (`1.27.3-alpine3.21` → `1.28.0-alpine3.22`). The " +
					"constraint then sees only the numeric part of each version text: the suffix is a variant, not a pre-release, " +
					"so `current = \"16.4-alpine\"` with `constraint = \"~16\"` keeps `16.5-alpine`. When no tag of the shape is " +
					"newer than `current` but a tag of another shape opens a new major or minor line, the read warns and names it. " +
					"`any` drops the rule. Without `current`, `variant` has no effect.",
				Validators: []validator.String{stringvalidator.OneOf("same", "any")},
			},
			"platform": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "`os/arch` or `os/arch/variant` (`linux/arm64`): only tags with an image for that platform are " +
					"chosen (matched as in `registry_image_digest`: an unset variant matches any, `arm64` means `arm64/v8`), and " +
					"`digest` is that platform's manifest digest. The newest candidates are read one by one (one manifest GET " +
					"each, and for a single-platform image its config) until one has the platform, at most 20. On Docker Hub each " +
					"manifest GET counts as a pull.",
				Validators: []validator.String{parsedBy("platform", names.ParsePlatform)},
			},
			"min_age": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only tags at least this old: decimal numbers, each with a unit `d` (24 h), `h`, `m` or `s`, " +
					"such as `7d`, `36h`, `1d12h` or `1.5d`; `0` means no age rule. The age counts from the tag's push time where the " +
					"registry reports one, else from the image's creation time (see `age_from` and the Release age section); a time " +
					"that is missing, does not parse or is before 2000 (reproducible builds write 1970) counts as too new. The newest " +
					"candidates are read one by one, at most 20: a push time from the registry's API, or a manifest GET (plus the " +
					"image's manifest for an index and its config when no annotation says). On Docker Hub each manifest GET counts " +
					"as a pull; a read of Hub's API does not.",
				Validators: []validator.String{parsedBy("minimum age", parseMinAge)},
			},
			"age_from": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "What `min_age` counts from: `auto` (the default) the tag's push time where the registry " +
					"reports one (through its API, or `registry_api`), else the image's creation time; `push` the push time only (a " +
					"registry that reports none is an error, and a tag without one counts as too new); `created` the creation time " +
					"only: the `org.opencontainers.image.created` annotation of the index, else of the image's manifest, else the " +
					"image config's `created`, which whoever built the image sets.",
				Validators: []validator.String{stringvalidator.OneOf(ageAuto, agePush, ageCreated)},
			},
			"signature": signatureAttribute("Only tags whose image is signed by this signer are chosen; unsigned and otherwise " +
				"signed candidates are skipped and counted under `signature` when no tag is kept. Finding an image's signatures " +
				"costs at most three requests, and each signature verified its manifest and its blob."),
			"signed_by": schema.StringAttribute{Computed: true, MarkdownDescription: signedByDescription},
			"tag": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The newest tag that every rule keeps, in this order: not a cosign tag; kept by `filter`; not " +
					"matched by `exclude`; of `current`'s shape (see `variant`); its version text satisfies `constraint`; and, " +
					"walking the rest from the newest, the first with an image for `platform` that is at least `min_age` old and " +
					"carries a valid `signature`. When " +
					"no tag is kept, the read fails naming each rule and how many tags it rejected, and the newest tags the filter kept.",
			},
			"digest": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The manifest digest of `tag` (`sha256:…`); for a multi-platform image, the digest of its index; " +
					"with `platform`, that platform's manifest digest. Read with a HEAD request, which Docker Hub does not count as a " +
					"pull, unless `platform` or `min_age` read the manifest already.",
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
			"created": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The chosen image's creation time, RFC 3339 in UTC with whole seconds (`2026-11-20T08:15:00Z`), " +
					"when a `min_age` rule applies and the age was measured from it; null otherwise.",
			},
			"pushed": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "When the registry received the chosen tag, RFC 3339 as `created`, when a `min_age` rule " +
					"applies and the age was measured from it; null otherwise.",
			},
			"age_source": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`push` or `created`: what the chosen tag's age was measured from; null without a `min_age` rule.",
			},
		})
}

func (d *latestTagDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{imageRegistryValidator, currentKeptValidator}
}

func (d *latestTagDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer recoverRead(resp)
	var m latestTagModel
	ctx, cancel, img, ok := d.beginRead(ctx, req, resp, &m, tagRulesHint)
	defer cancel()
	if !ok {
		return
	}
	a, diags := m.args(ctx)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	list, ok := d.listTags(ctx, img, resp)
	if !ok {
		return
	}
	if list.Listed() == 0 {
		resp.Diagnostics.Append(noTagsListed(img, list.Mirror))
		return
	}
	sel := a.filter.SelectWith(list.Tags, a.rules, a.shown())
	tflog.Debug(ctx, "selected the newest tags", map[string]any{
		"image": img.Name, "filter": a.filter.String(), "constraint": a.rules.Constraint.String(), "shape": a.rules.Shape,
		"tags_listed": list.Listed(), "tags_invalid": list.Invalid, "tags_kept": sel.Kept,
		"rejected_by_cosign": sel.RejectedByCosign, "rejected_by_filter": sel.RejectedByFilter, "rejected_by_exclude": sel.RejectedByExclude,
		"rejected_by_variant": sel.RejectedByVariant, "rejected_by_constraint": sel.RejectedByConstraint,
		"top_candidates": sel.Candidates,
	})
	if !sel.Found() {
		resp.Diagnostics.Append(noTagMatches(noMatchDetail(img, a, list, sel, walkCounts{})))
		return
	}
	chosen, err := d.data.choose(ctx, img, list, sel, a)
	resp.Diagnostics.Append(chosen.warnings...)
	if err != nil {
		resp.Diagnostics.Append(walkError(err, img, a))
		return
	}
	if chosen.tag == "" {
		resp.Diagnostics.Append(noTagMatches(noMatchDetail(img, a, list, sel, chosen.walked)))
		return
	}
	d.warn(img, list, sel, a, resp)
	if resp.Diagnostics.Append(m.fill(img, a, chosen)...); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// latestTagArgs are a read's arguments, parsed.
type latestTagArgs struct {
	selection
	current  string
	platform *names.Platform
	minAge   time.Duration
	ageFrom  string
	// signature is nil without a signature rule.
	signature *signature.Policy
}

// walks reports whether the rules need the candidates' images.
func (a latestTagArgs) walks() bool {
	return a.platform != nil || a.minAge > 0 || a.signature != nil
}

// shown is how many of the newest kept tags a selection keeps: those the
// walk may read, else those logged and named in errors.
func (a latestTagArgs) shown() int {
	if a.walks() {
		return maxWalked
	}
	return candidatesShown
}

// args parses the model's arguments, reporting each error at its attribute.
func (m *latestTagModel) args(ctx context.Context) (latestTagArgs, diag.Diagnostics) {
	sel, diags := m.ruleArgs.parse(ctx)
	a := latestTagArgs{selection: sel}
	var err error
	a.current = m.Current.ValueString()
	if !m.Current.IsNull() && m.Variant.ValueString() != "any" {
		a.rules.Shape, a.rules.Current = tagfilter.Shape(a.current), a.current
	}
	a.platform = platformArg(m.Platform, &diags)
	if !m.MinAge.IsNull() {
		if a.minAge, err = parseMinAge(m.MinAge.ValueString()); err != nil {
			diags.Append(invalidValue(path.Root("min_age"), "minimum age", err))
		}
	}
	a.ageFrom = ageAuto
	if !m.AgeFrom.IsNull() {
		a.ageFrom = m.AgeFrom.ValueString()
	}
	a.signature = signatureArg(ctx, m.Signature, path.Root("signature"), &diags)
	if !diags.HasError() && !m.Current.IsNull() && !a.filter.Keep(a.current) {
		diags.Append(currentNotKept(a.current, a.filter.String()))
	}
	return a, diags
}

// warn adds the read's warnings: those of the tag list, a new line in
// another shape, a rate limit nearly reached.
func (d *latestTagDataSource) warn(img names.Repository, list *registry.TagList, sel tagfilter.Selection, a latestTagArgs, resp *datasource.ReadResponse) {
	d.warnList(img, list, resp)
	if a.leftBehind(sel) {
		resp.Diagnostics.Append(newLineInAnotherShape(img, a.current, sel.OtherShape, a.filter.IsPrerelease(a.current)))
	}
	d.warnRateLimit(img, resp)
}

// leftBehind reports whether the tag in use is at the end of its shape
// (no tag of its shape is newer than it) while a tag of another shape that
// the other rules keep leaves it behind (tagfilter's OtherShape: a new
// major or minor line, or the final release of a pre-release pin). The
// tags compared are those that the filter, exclude and constraint keep,
// before platform and min_age, which would cost reads of tags of another
// shape.
func (a latestTagArgs) leftBehind(sel tagfilter.Selection) bool {
	return a.rules.Shape != "" && sel.OtherShape != "" && a.filter.Compare(sel.Tag, a.current) <= 0
}

// fill sets the computed attributes.
func (m *latestTagModel) fill(img names.Repository, a latestTagArgs, chosen chosenTag) diag.Diagnostics {
	m.Tag = types.StringValue(chosen.tag)
	m.pin(img, chosen.tag, chosen.digest)
	m.UpdateAvailable = types.BoolValue(false)
	m.UpdateKind = types.StringNull()
	m.Created, m.Pushed, m.AgeSource = types.StringNull(), types.StringNull(), types.StringNull()
	m.SignedBy = types.StringNull()
	if chosen.signedBy != "" {
		m.SignedBy = types.StringValue(chosen.signedBy)
	}
	if chosen.ageSource != "" {
		at := types.StringValue(chosen.age.UTC().Truncate(time.Second).Format(time.RFC3339))
		if chosen.ageSource == agePush {
			m.Pushed = at
		} else {
			m.Created = at
		}
		m.AgeSource = types.StringValue(chosen.ageSource)
	}
	if m.Current.IsNull() {
		return nil
	}
	kind, err := a.filter.Update(a.current, chosen.tag)
	if err != nil {
		return diag.Diagnostics{currentNotKept(a.current, a.filter.String())}
	}
	m.UpdateKind = types.StringValue(string(kind))
	m.UpdateAvailable = types.BoolValue(kind != tagfilter.UpdateNone)
	return nil
}

// noMatchDetail explains a read where no tag was kept: the image, the
// filter, how many tags each rule rejected, and the newest tags the filter
// kept (or, when it kept none, a few of the tags listed).
func noMatchDetail(img names.Repository, a latestTagArgs, list *registry.TagList, sel tagfilter.Selection, walked walkCounts) string {
	var b strings.Builder
	fmt.Fprintf(&b, "No tag of %s on registry %s is kept by filter \"%s\"", img.Name, img.Registry, a.filter.String())
	if a.rules.Constraint != nil {
		fmt.Fprintf(&b, " with constraint %q", a.rules.Constraint.String())
	}
	fmt.Fprintf(&b, " and the other rules. The image has %d tags", list.Listed())
	sample, what := a.filter.Select(list.Tags, nil, candidatesShown).Candidates, "the newest the filter kept"
	if len(sample) == 0 {
		sample, what = list.Tags[:min(10, len(list.Tags))], "for example"
	}
	if len(sample) > 0 {
		fmt.Fprintf(&b, "; %s: %s", what, strings.Join(sample, ", "))
	}
	b.WriteString(". Rejected by each rule:")
	var rejected []string
	for _, r := range []struct {
		name  string
		count int
	}{
		{"invalid tags", list.Invalid}, {"cosign tags", sel.RejectedByCosign}, {"filter", sel.RejectedByFilter},
		{"exclude", sel.RejectedByExclude}, {fmt.Sprintf("variant (the shape %q of current)", a.rules.Shape), sel.RejectedByVariant},
		{"constraint", sel.RejectedByConstraint}, {"platform", walked.platform}, {"min_age", walked.age},
		{"signature", walked.signature},
		{"deleted since the list was read", walked.gone},
	} {
		if r.count > 0 {
			rejected = append(rejected, fmt.Sprintf(" %s %d", r.name, r.count))
		}
	}
	b.WriteString(strings.Join(rejected, ",") + ".")
	b.WriteString(walked.ageDetail(a.minAge))
	if walked.unsigned != "" {
		fmt.Fprintf(&b, " signature rejected %d candidates as not signed by %s; the newest, %s, has %s.", walked.signature, a.signature, walked.unsigned, walked.unsignedWhy)
	}
	if walked.capped {
		fmt.Fprintf(&b, " Only the newest %d candidates were read for platform, min_age and signature.", maxWalked)
	}
	if a.rules.Constraint != nil && sel.RejectedByConstraint > 0 && sel.Kept == 0 && sel.RejectedByExclude == 0 && a.rules.Shape == "" {
		fmt.Fprintf(&b, " The filter kept %d tags, and the constraint rejected all of them (a pre-release such as 1.2.3-rc1 or 1.2.3-alpine only satisfies a constraint that names a pre-release).", sel.RejectedByConstraint)
	}
	if sel.RejectedByVariant > 0 {
		b.WriteString(" Set variant = \"any\" to take tags of another shape than current's.")
	}
	b.WriteString("\n\nChange the filter or the other rules to match the tags the image has; run with TF_LOG=debug to see how each read sorted them.")
	return b.String()
}

// currentKeptValidator checks, once filter and current are known, that the
// filter keeps current.
var currentKeptValidator = filterKeepsValidator("current", currentNotKept)

// filterKeepsValidator checks, once filter and the tag argument attr are
// known, that the filter keeps the tag; notKept reports it when not.
func filterKeepsValidator(attr string, notKept func(tag, filter string) diag.Diagnostic) pairValidator {
	return pairValidator{
		description: attr + " must be a tag that the filter keeps",
		first:       "filter",
		second:      attr,
		check: func(filterV, tag types.String) diag.Diagnostics {
			if filterV.IsUnknown() || !known(tag) {
				return nil
			}
			filter, err := filterOf(filterV)
			if err != nil || filter.Keep(tag.ValueString()) {
				return nil // a bad filter is reported by its own validator
			}
			return diag.Diagnostics{notKept(tag.ValueString(), filter.String())}
		},
	}
}
