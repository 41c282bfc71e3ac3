package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

// configuredDataSource is what each data source is: configured with the
// provider's data, and validated as a whole configuration too.
type configuredDataSource interface {
	datasource.DataSourceWithConfigure
	datasource.DataSourceWithConfigValidators
}

var (
	_ configuredDataSource = (*imageDigestDataSource)(nil)
	_ configuredDataSource = (*latestTagDataSource)(nil)
	_ configuredDataSource = (*tagsDataSource)(nil)
)

// dataSourceBase holds what the data sources share: their type name, less
// the provider's, and the provider's data.
type dataSourceBase struct {
	name string
	data *providerData
}

func (b *dataSourceBase) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + b.name
}

// ConfigValidators checks, for every data source, that image and registry
// do not both name a host; a data source with more checks has its own.
func (b *dataSourceBase) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{imageRegistryValidator}
}

// imageSchema is the schema of a data source that reads an image: the
// data source's own attributes, to which it adds the image and registry
// arguments (those two names are its), with tagHint saying where a tag
// written into image goes.
func imageSchema(tagHint, description string, attributes map[string]schema.Attribute) schema.Schema {
	attributes["image"] = imageAttribute(tagHint)
	attributes["registry"] = registryAttribute()
	return schema.Schema{MarkdownDescription: description, Attributes: attributes}
}

func (b *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	b.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

// providerDataOf is the provider's data as Configure hands it to a data
// source or resource: nil before the provider is configured, and an error
// in diags when it is not the provider's.
func providerDataOf(given any, diags *diag.Diagnostics) *providerData {
	if given == nil {
		return nil
	}
	data, ok := given.(*providerData)
	if !ok {
		diags.Append(unexpectedProviderData(given))
	}
	return data
}

// imageAttribute is the image argument; tagHint says where a tag written
// into image goes instead.
func imageAttribute(tagHint string) schema.StringAttribute {
	return schema.StringAttribute{
		Required: true,
		MarkdownDescription: "The repository, written as in `docker pull` but without tag or digest: `nginx`, `pihole/pihole`, " +
			"`ghcr.io/acme/app`, `127.0.0.1:5000/team/app`. A first path part that holds a `.` or a `:`, or is `localhost`, " +
			"is the registry host; without one the image is on Docker Hub, where a one-part name such as `nginx` means `library/nginx`.",
		Validators: []validator.String{parsed{what: "image", parse: func(s string) error {
			_, err := parseImageArg(s, "", tagHint)
			return err
		}}},
	}
}

func registryAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		MarkdownDescription: "The registry host (`ghcr.io`, `quay.io`, `127.0.0.1:5000`), for configurations that keep it apart from " +
			"`image`. Setting both `registry` and a host inside `image` is an error. Outputs then name the image `<registry>/<image>`.",
		Validators: []validator.String{registryHost},
	}
}

// pinnedImage is what the data sources that resolve one tag give: the digest
// the tag points to, and the references to deploy it by.
type pinnedImage struct {
	Digest    types.String `tfsdk:"digest"`
	ImageRef  types.String `tfsdk:"image_ref"`
	PinnedRef types.String `tfsdk:"pinned_ref"`
}

// pin sets the digest of img:tag and its references.
func (p *pinnedImage) pin(img names.Repository, tag, digest string) {
	p.Digest = types.StringValue(digest)
	p.ImageRef = types.StringValue(img.Name + ":" + tag)
	p.PinnedRef = types.StringValue(img.Name + ":" + tag + "@" + digest)
}

func imageRefAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: "`<name>:<tag>`, where `<name>` is the image as written (`<registry>/<image>` when `registry` is set).",
	}
}

func pinnedRefAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Computed: true,
		MarkdownDescription: "`<name>:<tag>@<digest>`: a reference that pulls exactly the image read, and changes " +
			"whenever the tag moves to another image.",
	}
}

// beginRead is how each Read begins: it reads the configuration into model
// (a pointer to the data source's model), masks the provider's secrets in
// the log, bounds ctx by the provider's timeout, and parses the image and
// registry arguments, with tagHint saying where a tag written into image
// goes. When ok is false the reason is in resp. The caller defers cancel.
func (b *dataSourceBase) beginRead(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse, model imageModel, tagHint string) (context.Context, context.CancelFunc, names.Repository, bool) {
	noop := func() {}
	if resp.Diagnostics.Append(req.Config.Get(ctx, model)...); resp.Diagnostics.HasError() {
		return ctx, noop, names.Repository{}, false
	}
	if b.data == nil {
		resp.Diagnostics.Append(providerNotConfigured())
		return ctx, noop, names.Repository{}, false
	}
	ctx = tflog.MaskMessageStrings(ctx, b.data.secrets...)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, b.data.secrets...)
	ctx, cancel := context.WithTimeout(ctx, b.data.timeout)
	img, ok := model.image().parse(tagHint, resp)
	return ctx, cancel, img, ok
}

// listTags reads the image's tag list; ok is false when it could not, the
// reason in resp.
func (b *dataSourceBase) listTags(ctx context.Context, img names.Repository, resp *datasource.ReadResponse) (*registry.TagList, bool) {
	list, err := b.data.client.ListTags(ctx, img)
	if err != nil {
		resp.Diagnostics.Append(cannotListTags(err))
		return nil, false
	}
	return list, true
}

// warnList adds the warnings of a tag list: that a mirror gave it, and that
// it may be cut at the registry's page size.
func (b *dataSourceBase) warnList(img names.Repository, list *registry.TagList, resp *datasource.ReadResponse) {
	if list.Mirror != "" {
		resp.Diagnostics.Append(readFromMirror(img, list.Mirror))
	}
	if list.MayBeCut {
		resp.Diagnostics.Append(tagListMayBeCut(img, list.Listed()))
	}
}

// platformArg parses a platform argument into diags' attribute error; nil
// when the argument is not set.
func platformArg(v types.String, diags *diag.Diagnostics) *names.Platform {
	if v.IsNull() {
		return nil
	}
	p, err := names.ParsePlatform(v.ValueString())
	if err != nil {
		diags.Append(invalidValue(path.Root("platform"), "platform", err))
	}
	return &p
}

// warnRateLimit adds a warning to the plan when a registry the image was
// read from reported that few requests remain before its rate limit.
func (b *dataSourceBase) warnRateLimit(img names.Repository, resp *datasource.ReadResponse) {
	for _, rl := range b.data.client.LowRateLimits(img) {
		resp.Diagnostics.Append(rateLimitNearlyReached(rl))
	}
}

// imageArgs are the image and registry arguments that every data source
// takes, embedded in its model.
type imageArgs struct {
	Image    types.String `tfsdk:"image"`
	Registry types.String `tfsdk:"registry"`
}

// imageModel is a pointer to a data source's model, which embeds imageArgs.
type imageModel interface {
	image() *imageArgs
}

func (a *imageArgs) image() *imageArgs { return a }

// parse parses the image and registry arguments, reporting an error at the
// attribute.
func (a *imageArgs) parse(tagHint string, resp *datasource.ReadResponse) (names.Repository, bool) {
	img, err := parseImageArg(a.Image.ValueString(), a.Registry.ValueString(), tagHint)
	if err != nil {
		resp.Diagnostics.Append(invalidValue(path.Root("image"), "image", err))
		return names.Repository{}, false
	}
	return img, true
}

// filterAttribute is the filter argument of the data sources that select tags.
func filterAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		MarkdownDescription: "Which tags are versions, and how they are ordered; ties are broken by the tag itself, so the " +
			"answer never depends on the registry's order. Defaults to `semver()`. One of:\n" +
			"  - `semver()`: tags that start with a digit, or `v` then a digit, in loose version order " +
			"(`1.10` > `1.9`, `1.0` > `1.0-rc2` > `1.0-rc1`); `semver(allow_no_nums=true)` keeps every tag.\n" +
			"  - `number()`: tags made only of digits, by value, any length (build numbers, timestamps).\n" +
			"  - `prefix('master-', suffix=number())`: tags that start with the literal text, ordered by the rest " +
			"(`suffix` defaults to `semver()`).\n" +
			"  - `regex('(?P<version>\\d+\\.\\d+\\.\\d+)-alpine')`: tags that match the whole RE2 pattern, ordered by the " +
			"`version` group when there is one, else by the tag. In HCL, write each `\\` as `\\\\`.\n\n" +
			"The whole language, with the order rules and examples: the guide " +
			"[The filter language](../guides/filter-language.md).",
		Validators: []validator.String{parsedBy("filter", tagfilter.Parse)},
	}
}

// constraintAttribute is the constraint argument of the data sources that select tags.
func constraintAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		MarkdownDescription: "A [Masterminds/semver v3](https://github.com/Masterminds/semver#checking-version-constraints) " +
			"constraint on each kept tag's version text: `~1.25`, `^2`, `>= 1.2, < 2.0`, `1.2.x`. The version text is the tag " +
			"less a leading `v` (for `semver()`, and for `regex()` without a `version` group), the tag (for `number()`), the " +
			"version text of the rest after the prefix (for `prefix()`), or the `version` group (for `regex()`). " +
			"Tags whose version text is not semver (such as the four-part `2.0.7.1`) are left out. A pre-release (`1.2.3-rc1`, " +
			"and also `1.2.3-alpine` or `16.1.0-debian-12-r10`) only satisfies a constraint that names one, so `>= 0` means " +
			"stable releases only, and `~16.1.0-0` keeps 16.1 releases and pre-releases alike. When `registry_latest_tag` " +
			"follows the shape of `current`, the constraint sees only the numeric part of each tag (`16.5` of `16.5-alpine`, after a leading `v`, its first three numbers: `2.0.7` of `v2.0.7.1-ls171`).",
		Validators: []validator.String{parsedBy("constraint", tagfilter.ParseConstraint)},
	}
}

// excludeAttribute is the exclude argument of the data sources that select tags.
func excludeAttribute() schema.ListAttribute {
	return schema.ListAttribute{
		ElementType: types.StringType,
		Optional:    true,
		MarkdownDescription: "RE2 patterns of tags never to choose, each matched against the whole tag: " +
			"`[\"1\\\\.27\\\\.4\", \".*-rc.*\"]` (in HCL, write each `\\` as `\\\\`). For a broken release, or what a filter " +
			"cannot say: RE2 has no negative look-ahead.",
		Validators: []validator.List{listvalidator.ValueStringsAre(parsed{what: "exclude pattern", parse: func(s string) error {
			_, err := tagfilter.ParseExclude([]string{s})
			return err
		}})},
	}
}

// ruleArgs are the filter, constraint and exclude arguments of the data
// sources that select tags, embedded in their models.
type ruleArgs struct {
	Filter     types.String `tfsdk:"filter"`
	Constraint types.String `tfsdk:"constraint"`
	Exclude    types.List   `tfsdk:"exclude"`
}

// selection is what ruleArgs give, parsed: the filter and the rules that
// choose among the tags it keeps.
type selection struct {
	filter *tagfilter.Filter
	rules  tagfilter.Rules
}

// parse parses the filter, constraint and exclude arguments, each error at
// its attribute.
func (r ruleArgs) parse(ctx context.Context) (selection, diag.Diagnostics) {
	var a selection
	var diags diag.Diagnostics
	var err error
	if a.filter, err = filterOf(r.Filter); err != nil {
		diags.Append(invalidValue(path.Root("filter"), "filter", err))
	}
	if !r.Constraint.IsNull() {
		if a.rules.Constraint, err = tagfilter.ParseConstraint(r.Constraint.ValueString()); err != nil {
			diags.Append(invalidValue(path.Root("constraint"), "constraint", err))
		}
	}
	var patterns []string
	diags.Append(r.Exclude.ElementsAs(ctx, &patterns, false)...)
	if a.rules.Exclude, err = tagfilter.ParseExclude(patterns); err != nil {
		diags.Append(invalidValue(path.Root("exclude"), "exclude pattern", err))
	}
	return a, diags
}

// filterOf returns the configured filter, or the default one.
func filterOf(v types.String) (*tagfilter.Filter, error) {
	if v.IsNull() {
		return tagfilter.Default(), nil
	}
	return tagfilter.Parse(v.ValueString())
}

// The tag hints of the data sources: where a tag written into image goes.
const (
	tagArgumentHint = "use the tag argument instead"
	tagRulesHint    = "the filter and the other rules choose the tag"
)

// parseImageArg parses image and registry, saying where a tag written into
// image goes instead.
func parseImageArg(image, reg, tagHint string) (names.Repository, error) {
	img, err := names.Parse(image, reg)
	var tagErr *names.TagInImageError
	if errors.As(err, &tagErr) {
		return img, fmt.Errorf("%w; %s", err, tagHint)
	}
	return img, err
}
