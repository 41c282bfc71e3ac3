package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

// A pin is a lockfile entry kept in Terraform's state. Terraform plans a
// resource again at apply and refuses a final plan whose known values
// differ from the first, so the registry is read only where Terraform
// expects a provider to learn something: at refresh (Read), which records
// the newest tag and the newest within each move level, and at create,
// import and apply. Planning (ModifyPlan) is a function of the state, its
// private part and the configuration.

// The move levels, from the narrowest; moveNone never moves.
const (
	moveNone  = "none"
	movePatch = "patch"
	moveMinor = "minor"
	moveMajor = "major"
	moveAny   = "any"
)

// moveLevels are the levels a refresh records, narrowest first.
var moveLevels = []string{movePatch, moveMinor, moveMajor, moveAny}

// updateDigest is update_kind when only the pinned tag's digest changed.
const updateDigest = "digest"

// pinPrivateKey is the key of what a refresh records in private state.
const pinPrivateKey = "refresh"

func newPinResource() resource.Resource { return &pinResource{} }

type pinResource struct {
	data *providerData
}

var (
	_ resource.ResourceWithConfigure        = (*pinResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*pinResource)(nil)
	_ resource.ResourceWithImportState      = (*pinResource)(nil)
	_ resource.ResourceWithUpgradeState     = (*pinResource)(nil)
	_ resource.ResourceWithConfigValidators = (*pinResource)(nil)
)

type pinModel struct {
	ID types.String `tfsdk:"id"`
	imageArgs
	ruleArgs
	pinnedImage
	Variant         types.String `tfsdk:"variant"`
	Platform        types.String `tfsdk:"platform"`
	MinAge          types.String `tfsdk:"min_age"`
	AgeFrom         types.String `tfsdk:"age_from"`
	Signature       types.Object `tfsdk:"signature"`
	Initial         types.String `tfsdk:"initial"`
	Move            types.String `tfsdk:"move"`
	Tag             types.String `tfsdk:"tag"`
	PinnedAt        types.String `tfsdk:"pinned_at"`
	NewestTag       types.String `tfsdk:"newest_tag"`
	NewestDigest    types.String `tfsdk:"newest_digest"`
	UpdateAvailable types.Bool   `tfsdk:"update_available"`
	UpdateKind      types.String `tfsdk:"update_kind"`
	SignedBy        types.String `tfsdk:"signed_by"`
	Created         types.String `tfsdk:"created"`
	Pushed          types.String `tfsdk:"pushed"`
	AgeSource       types.String `tfsdk:"age_source"`
}

func (r *pinResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pin"
}

func (r *pinResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (r *pinResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{imageRegistryValidator, initialKeptValidator}
}

// initialKeptValidator checks, once filter and initial are known, that the
// filter keeps initial.
var initialKeptValidator = filterKeepsValidator("initial", func(tag, filter string) diag.Diagnostic {
	return initialNotKept(fmt.Sprintf("initial tag %q is not one that filter \"%s\" keeps. "+
		"Set initial to a tag the filter keeps, or change the filter.", tag, filter))
})

func (r *pinResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	// The rule arguments are the data source's, word for word.
	var dsResp datasource.SchemaResponse
	(&latestTagDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &dsResp)
	rule := func(name string) string { return dsResp.Schema.Attributes[name].GetMarkdownDescription() }
	computed := func(description string) rschema.StringAttribute {
		return rschema.StringAttribute{Computed: true, MarkdownDescription: description}
	}
	replace := []planmodifier.String{sameImageOrReplace{}}
	resp.Schema = rschema.Schema{
		Version: 0,
		MarkdownDescription: "A lockfile entry kept in Terraform's state: the tag and digest a configuration deploys, " +
			"which move only when a plan says so and the user applies it. Each refresh reads the registry as " +
			"`registry_latest_tag` would, with the pinned tag as `current` and the rules recorded in the state, and records " +
			"the newest tag; the plan then moves the pin in place as far as `move` allows, and warns naming a newer tag that " +
			"`move` holds. Planning reads nothing; an apply reads the planned tag's digest once and fails, recording nothing, " +
			"when the tag moved since the plan. Destroying a pin forgets it; nothing changes in the registry. See the guide " +
			"[Pin images in state](../guides/pin-images-in-state.md).",
		Attributes: map[string]rschema.Attribute{
			"id": computed("`<name>:<tag>@<digest>` of the pin, as `pinned_ref`."),
			"image": rschema.StringAttribute{
				Required: true,
				MarkdownDescription: dsResp.Schema.Attributes["image"].GetMarkdownDescription() + " Changing the image replaces " +
					"the pin (a change of spelling only, such as `nginx` to `docker.io/library/nginx`, does not).",
				Validators:    []validator.String{parsed{what: "image", parse: func(s string) error { _, err := parseImageArg(s, "", pinTagHint); return err }}},
				PlanModifiers: replace,
			},
			"registry": rschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: dsResp.Schema.Attributes["registry"].GetMarkdownDescription() + " Changing it replaces the pin.",
				Validators:          []validator.String{registryHost},
				PlanModifiers:       replace,
			},
			"filter":     rschema.StringAttribute{Optional: true, MarkdownDescription: rule("filter"), Validators: []validator.String{parsedBy("filter", tagfilter.Parse)}},
			"constraint": rschema.StringAttribute{Optional: true, MarkdownDescription: rule("constraint"), Validators: []validator.String{parsedBy("constraint", tagfilter.ParseConstraint)}},
			"exclude": rschema.ListAttribute{
				ElementType: types.StringType, Optional: true, MarkdownDescription: rule("exclude"),
				Validators: excludeAttribute().Validators,
			},
			"variant": rschema.StringAttribute{
				Optional: true,
				MarkdownDescription: "`same` (the default) or `any`, as in `registry_latest_tag` with the pinned tag as " +
					"`current`: with `same`, the pin only moves to tags of its shape.",
				Validators: []validator.String{stringvalidator.OneOf("same", "any")},
			},
			"platform":  rschema.StringAttribute{Optional: true, MarkdownDescription: rule("platform"), Validators: []validator.String{parsedBy("platform", names.ParsePlatform)}},
			"min_age":   rschema.StringAttribute{Optional: true, MarkdownDescription: rule("min_age"), Validators: []validator.String{parsedBy("minimum age", parseMinAge)}},
			"age_from":  rschema.StringAttribute{Optional: true, MarkdownDescription: rule("age_from"), Validators: []validator.String{stringvalidator.OneOf(ageAuto, agePush, ageCreated)}},
			"signature": signatureResourceAttribute("Only tags whose image is signed by this signer are pinned or moved to."),
			"initial": rschema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The tag to pin when the pin is created (and at `-replace`). It must exist and pass every " +
					"rule (`signature`, `platform`, `min_age` included), else creating the pin fails naming the rule. Without it " +
					"the pin starts at the newest tag the rules keep that is not a pre-release (the newest, if all are). Later " +
					"changes to it are recorded and move nothing.",
				Validators: []validator.String{parsed{what: "initial tag", parse: func(s string) error {
					if !names.ValidTag(s) {
						return fmt.Errorf("initial %q is not a valid tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'", s)
					}
					return nil
				}}},
			},
			"move": rschema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(movePatch),
				MarkdownDescription: "How far the pin moves on its own: `none`, `patch` (the default), `minor`, `major` or `any`, by " +
					"`update_kind` of the newer tag against the pinned one. `patch` also takes a tag of the pin's shape with the same " +
					"numeric part (a rebuild or revision such as `-r10` → `-r11`, `update_kind` `other`); `any` takes every newer " +
					"tag. A moved tag (the pinned tag with a new digest) moves with anything but `none`. A newer tag beyond `move` " +
					"is held: the plan warns naming it.",
				Validators: []validator.String{stringvalidator.OneOf(moveNone, movePatch, moveMinor, moveMajor, moveAny)},
			},
			"tag": computed("The pinned tag."),
			"digest": computed("The digest recorded when the tag was pinned: the manifest digest (for a multi-platform " +
				"image, its index's; with `platform`, that platform's manifest's)."),
			"image_ref":  computed(imageRefAttribute().MarkdownDescription),
			"pinned_ref": computed("`<name>:<tag>@<digest>` of the pin: deploy this, and the image changes only when the pin moves."),
			"pinned_at":  computed("When the pin last moved (created, moved by an apply, imported), RFC 3339 in UTC."),
			"newest_tag": computed("The newest tag that the rules keep, whatever `move` allows, as read at the last refresh; " +
				"null when no tag is kept."),
			"newest_digest": computed("The digest of `newest_tag`, as read at the last refresh."),
			"update_available": rschema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "`true` when `newest_tag` is newer than the pinned tag, or is the pinned tag with another digest.",
			},
			"update_kind": computed("How `newest_tag` is newer than the pinned tag, as in `registry_latest_tag`: `major`, `minor`, " +
				"`patch`, `other`, or `none`; `digest` when only the pinned tag's digest changed."),
			"signed_by":  computed("With `signature`: who signed the pinned image. " + signedByDescription),
			"created":    computed("The pinned image's creation time, when `min_age` measured its age from it; null otherwise."),
			"pushed":     computed("When the registry received the pinned tag, when `min_age` measured its age from it; null otherwise."),
			"age_source": computed("`push` or `created`: what the pinned tag's age was measured from; null without `min_age`."),
		},
	}
}

// pinTagHint says where a tag written into a pin's image goes.
const pinTagHint = "the rules choose the tag, and initial sets the first one"

// sameImageOrReplace replaces the pin when its image changes; a change of
// spelling of the same repository (a registry argument folded into image,
// an alias of Docker Hub) is an update in place.
type sameImageOrReplace struct{}

func (sameImageOrReplace) Description(context.Context) string {
	return "a change of image or registry replaces the pin, unless both name the same repository"
}

func (m sameImageOrReplace) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (sameImageOrReplace) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || req.PlanValue.Equal(req.StateValue) {
		return
	}
	var before, after imageArgs
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("image"), &before.Image)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("registry"), &before.Registry)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("image"), &after.Image)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("registry"), &after.Registry)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if after.Image.IsUnknown() || after.Registry.IsUnknown() {
		resp.RequiresReplace = true
		return
	}
	a, errA := names.Parse(before.Image.ValueString(), before.Registry.ValueString())
	b, errB := names.Parse(after.Image.ValueString(), after.Registry.ValueString())
	resp.RequiresReplace = errA != nil || errB != nil || a.Key() != b.Key()
}

// pinTarget is a tag a pin may move to, with the facts of its image.
type pinTarget struct {
	Tag       string `json:"tag"`
	Digest    string `json:"digest"`
	SignedBy  string `json:"signed_by,omitempty"`
	Created   string `json:"created,omitempty"`
	Pushed    string `json:"pushed,omitempty"`
	AgeSource string `json:"age_source,omitempty"`
}

// targetOf is the target of a chosen tag.
func targetOf(c chosenTag) pinTarget {
	t := pinTarget{Tag: c.tag, Digest: c.digest, SignedBy: c.signedBy, AgeSource: c.ageSource}
	if c.ageSource != "" {
		at := c.age.UTC().Truncate(time.Second).Format(time.RFC3339)
		if c.ageSource == agePush {
			t.Pushed = at
		} else {
			t.Created = at
		}
	}
	return t
}

// pinRefresh is what a refresh learned, kept in private state for the
// plans that follow it: the newest tag within each move level (absent
// when the level keeps the pin where it is), and a newer tag of another
// shape that the shape rule leaves out.
type pinRefresh struct {
	Levels     map[string]pinTarget `json:"levels,omitempty"`
	OtherShape string               `json:"other_shape,omitempty"`
	Prerelease bool                 `json:"prerelease,omitempty"`
}

// privateState reads a resource's private state; privateWriter writes it.
type (
	privateState interface {
		GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	}
	privateWriter interface {
		SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
	}
)

// readRefresh reads what the last refresh recorded; empty when none did.
func readRefresh(ctx context.Context, p privateState) (pinRefresh, diag.Diagnostics) {
	var out pinRefresh
	if p == nil {
		return out, nil
	}
	b, diags := p.GetKey(ctx, pinPrivateKey)
	if diags.HasError() || len(b) == 0 {
		return out, diags
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return pinRefresh{}, nil // a record this version cannot read: as if none
	}
	return out, diags
}

// args parses the pin's rule arguments, with the pinned tag (when known)
// as current.
func (m *pinModel) args(ctx context.Context) (latestTagArgs, diag.Diagnostics) {
	lm := latestTagModel{
		imageArgs: m.imageArgs, ruleArgs: m.ruleArgs, Current: types.StringNull(), Variant: m.Variant,
		Platform: m.Platform, MinAge: m.MinAge, AgeFrom: m.AgeFrom, Signature: m.Signature,
	}
	a, diags := lm.args(ctx)
	if known(m.Tag) {
		a.followCurrent(m.Tag.ValueString(), m.Variant.ValueString() != "any")
	}
	return a, diags
}

// followCurrent makes tag the tag in use; with shape, the rules follow its
// shape.
func (a *latestTagArgs) followCurrent(tag string, shape bool) {
	a.current = tag
	if shape {
		a.rules.Shape, a.rules.Current = tagfilter.Shape(tag), tag
	}
}

// move returns the pin's move, "patch" when it is not set (an imported pin).
func (m *pinModel) move() string {
	if m.Move.IsNull() || m.Move.IsUnknown() {
		return movePatch
	}
	return m.Move.ValueString()
}

// image parses the pin's image and registry.
func (m *pinModel) image() (names.Repository, error) {
	return parseImageArg(m.Image.ValueString(), m.Registry.ValueString(), pinTagHint)
}

// setPin sets the pinned tag and digest, and the references to them.
func (m *pinModel) setPin(img names.Repository, t pinTarget) {
	m.Tag = types.StringValue(t.Tag)
	m.pin(img, t.Tag, t.Digest)
	m.ID = m.PinnedRef
	m.SignedBy, m.Created, m.Pushed, m.AgeSource = nullIfEmpty(t.SignedBy), nullIfEmpty(t.Created), nullIfEmpty(t.Pushed), nullIfEmpty(t.AgeSource)
}

// pinned returns the pin as a target.
func (m *pinModel) pinned() pinTarget {
	return pinTarget{
		Tag: m.Tag.ValueString(), Digest: m.Digest.ValueString(), SignedBy: m.SignedBy.ValueString(),
		Created: m.Created.ValueString(), Pushed: m.Pushed.ValueString(), AgeSource: m.AgeSource.ValueString(),
	}
}

// compare sets update_available and update_kind: the newest tag against
// the pinned one.
func (m *pinModel) compare(filter *tagfilter.Filter) {
	m.UpdateAvailable, m.UpdateKind = types.BoolValue(false), types.StringValue(string(tagfilter.UpdateNone))
	if m.NewestTag.IsNull() {
		return
	}
	newest, tag := m.NewestTag.ValueString(), m.Tag.ValueString()
	if newest == tag {
		if m.NewestDigest.ValueString() != m.Digest.ValueString() {
			m.UpdateAvailable, m.UpdateKind = types.BoolValue(true), types.StringValue(updateDigest)
		}
		return
	}
	kind, err := filter.Update(tag, newest)
	if err != nil || kind == tagfilter.UpdateNone {
		return
	}
	m.UpdateAvailable, m.UpdateKind = types.BoolValue(true), types.StringValue(string(kind))
}

func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// begin bounds ctx by the provider's timeout and masks its secrets; ok is
// false, with the reason in diags, when the provider is not configured.
func (r *pinResource) begin(ctx context.Context, diags *diag.Diagnostics) (context.Context, context.CancelFunc, bool) {
	if r.data == nil {
		diags.Append(providerNotConfigured())
		return ctx, func() {}, false
	}
	ctx = tflog.MaskMessageStrings(ctx, r.data.secrets...)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, r.data.secrets...)
	ctx, cancel := context.WithTimeout(ctx, r.data.timeout)
	return ctx, cancel, true
}

// within reports whether a move of kind is within level; sameShape says
// whether the newer tag has the pinned tag's shape.
func within(level string, kind tagfilter.UpdateKind, sameShape bool) bool {
	switch level {
	case movePatch:
		return kind == tagfilter.UpdatePatch || (kind == tagfilter.UpdateOther && sameShape)
	case moveMinor:
		return within(movePatch, kind, sameShape) || kind == tagfilter.UpdateMinor
	case moveMajor:
		return within(moveMinor, kind, sameShape) || kind == tagfilter.UpdateMajor
	case moveAny:
		return kind != tagfilter.UpdateNone
	}
	return false
}

// refresh reads the registry for a pin at pinned: the newest tag that the
// rules keep, and the newest within each move level. It never moves the
// pin. An error is a registry that could not be read.
func (r *pinResource) refresh(ctx context.Context, img names.Repository, a latestTagArgs, pinned pinTarget) (newest *pinTarget, rec pinRefresh, warnings diag.Diagnostics, err error) {
	list, err := r.data.client.ListTags(ctx, img)
	if err != nil {
		return nil, rec, nil, err
	}
	choose := func(a latestTagArgs) (*pinTarget, tagfilter.Selection, error) {
		chosen, sel, err := r.data.newestOf(ctx, img, list, a)
		warnings.Append(chosen.warnings...)
		if err != nil || chosen.tag == "" {
			return nil, sel, err
		}
		t := targetOf(chosen)
		return &t, sel, nil
	}
	newest, sel, err := choose(a)
	if err != nil {
		return nil, rec, warnings, err
	}
	if a.leftBehind(sel) {
		rec.OtherShape, rec.Prerelease = sel.OtherShape, a.filter.IsPrerelease(a.current)
	}
	if !a.filter.Keep(pinned.Tag) {
		return newest, rec, warnings, nil // no level can be measured from it
	}
	pinnedShape := tagfilter.Shape(pinned.Tag)
	keep := func(level string) func(string) bool {
		return func(tag string) bool {
			if tag == pinned.Tag {
				return true
			}
			kind, err := a.filter.Update(pinned.Tag, tag)
			return err == nil && within(level, kind, tagfilter.Shape(tag) == pinnedShape)
		}
	}
	rec.Levels = map[string]pinTarget{}
	for _, level := range moveLevels {
		var t *pinTarget
		if newest != nil && keep(level)(newest.Tag) {
			t = newest // the newest of all is the newest within the level
		} else {
			within := a
			within.rules.Keep = keep(level)
			if t, _, err = choose(within); err != nil {
				return nil, pinRefresh{}, warnings, err
			}
		}
		if t != nil && (t.Tag != pinned.Tag || t.Digest != pinned.Digest) {
			rec.Levels[level] = *t
		}
	}
	return newest, rec, warnings, nil
}

// target is where the plan moves the pin under move: the newest within
// the level that the last refresh recorded; the pin itself when none.
func (rec pinRefresh) target(move string, pinned pinTarget) (pinTarget, bool) {
	if t, ok := rec.Levels[move]; ok && move != moveNone {
		return t, true
	}
	return pinned, false
}

func (r *pinResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer recoverResource(&resp.Diagnostics)
	var m pinModel
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := r.begin(ctx, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	img, err := m.image()
	if err != nil {
		resp.Diagnostics.Append(invalidValue(path.Root("image"), "image", err))
		return
	}
	m.Tag = types.StringNull()
	a, diags := m.args(ctx)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	list, err := r.data.client.ListTags(ctx, img)
	if err != nil {
		resp.Diagnostics.Append(cannotListTags(err))
		return
	}
	if list.Listed() == 0 {
		resp.Diagnostics.Append(noTagsListed(img, list.Mirror))
		return
	}
	chosen, ok := r.first(ctx, img, list, a, m.Initial, m.Variant.ValueString() != "any", &resp.Diagnostics)
	if !ok {
		return
	}
	pinned := targetOf(chosen)
	m.setPin(img, pinned)
	m.PinnedAt = types.StringValue(time.Now().UTC().Truncate(time.Second).Format(time.RFC3339))
	a.followCurrent(pinned.Tag, m.Variant.ValueString() != "any")
	newest, rec, warnings, err := r.refresh(ctx, img, a, pinned)
	resp.Diagnostics.Append(warnings...)
	if err != nil {
		resp.Diagnostics.Append(pinNotRefreshed(img, err))
		newest = &pinned
	}
	m.observe(newest, a.filter)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	resp.Diagnostics.Append(writeRefresh(ctx, resp.Private, rec)...)
}

// first chooses the tag a new pin starts at: initial, which must pass
// every rule, else the newest tag that is not a pre-release, else the
// newest.
func (r *pinResource) first(ctx context.Context, img names.Repository, list *registry.TagList, a latestTagArgs, initial types.String, shape bool, diags *diag.Diagnostics) (chosenTag, bool) {
	try := func(a latestTagArgs) (chosenTag, tagfilter.Selection, bool) {
		chosen, sel, err := r.data.newestOf(ctx, img, list, a)
		diags.Append(chosen.warnings...)
		if err != nil {
			diags.Append(walkError(err, img, a))
			return chosenTag{}, sel, false
		}
		return chosen, sel, true
	}
	if known(initial) {
		tag := initial.ValueString()
		b := a
		b.followCurrent(tag, shape)
		b.rules.Keep = func(t string) bool { return t == tag }
		chosen, sel, ok := try(b)
		if !ok {
			return chosenTag{}, false
		}
		if chosen.tag == "" {
			diags.Append(initialNotKept(initialDetail(img, b, list, sel, chosen.walked, tag)))
			return chosenTag{}, false
		}
		return chosen, true
	}
	b := a
	b.rules.Keep = func(t string) bool { return !a.filter.IsPrerelease(t) }
	chosen, _, ok := try(b)
	if !ok {
		return chosenTag{}, false
	}
	if chosen.tag != "" {
		return chosen, true
	}
	chosen, sel, ok := try(a)
	if !ok {
		return chosenTag{}, false
	}
	if chosen.tag == "" {
		diags.Append(noTagMatches(noMatchDetail(img, a, list, sel, chosen.walked)))
		return chosenTag{}, false
	}
	return chosen, true
}

// initialDetail explains why initial cannot be pinned.
func initialDetail(img names.Repository, a latestTagArgs, list *registry.TagList, sel tagfilter.Selection, walked walkCounts, tag string) string {
	if !slices.Contains(list.Tags, tag) {
		return fmt.Sprintf("initial tag %q is not among the %d tags that %s lists. Set initial to a tag the image has.", tag, list.Listed(), img.Name)
	}
	detail := noMatchDetail(img, a, list, sel, walked)
	return fmt.Sprintf("initial tag %q of %s does not pass every rule. %s", tag, img.Name, detail)
}

// observe sets the newest tag and how the pin compares with it.
func (m *pinModel) observe(newest *pinTarget, filter *tagfilter.Filter) {
	m.NewestTag, m.NewestDigest = types.StringNull(), types.StringNull()
	if newest != nil {
		m.NewestTag, m.NewestDigest = types.StringValue(newest.Tag), types.StringValue(newest.Digest)
	}
	m.compare(filter)
}

// writeRefresh records what a refresh learned in private state.
func writeRefresh(ctx context.Context, p privateWriter, rec pinRefresh) diag.Diagnostics {
	b, err := json.Marshal(rec)
	if err != nil {
		return diag.Diagnostics{diag.NewErrorDiagnostic("Internal Error", err.Error())}
	}
	return p.SetKey(ctx, pinPrivateKey, b)
}

func (r *pinResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer recoverResource(&resp.Diagnostics)
	var m pinModel
	if resp.Diagnostics.Append(req.State.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := r.begin(ctx, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	img, err := m.image()
	if err != nil {
		resp.Diagnostics.Append(invalidValue(path.Root("image"), "image", err))
		return
	}
	if m.Move.IsNull() {
		m.Move = types.StringValue(movePatch)
	}
	a, diags := m.args(ctx)
	if diags.HasError() {
		resp.Diagnostics.Append(pinNotRefreshed(img, errors.New(errorsOf(diags))))
		return
	}
	if m.Digest.IsNull() { // imported without a digest: the tag's now
		facts, err := r.digestOf(ctx, img, m.Tag.ValueString(), a.platform)
		if err != nil {
			resp.Diagnostics.Append(cannotReadDigest(err))
			return
		}
		m.setPin(img, pinTarget{Tag: m.Tag.ValueString(), Digest: facts.Digest})
	}
	if m.PinnedAt.IsNull() {
		m.PinnedAt = types.StringValue(time.Now().UTC().Truncate(time.Second).Format(time.RFC3339))
	}
	pinned := m.pinned()
	newest, rec, warnings, err := r.refresh(ctx, img, a, pinned)
	resp.Diagnostics.Append(warnings...)
	if err != nil {
		resp.Diagnostics.Append(pinNotRefreshed(img, err))
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
		return
	}
	m.observe(newest, a.filter)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	resp.Diagnostics.Append(writeRefresh(ctx, resp.Private, rec)...)
}

// digestOf reads the digest of img:tag, that of platform's manifest when
// platform is set, from the registry or its mirrors.
func (r *pinResource) digestOf(ctx context.Context, img names.Repository, tag string, platform *names.Platform) (*registry.ImageFacts, error) {
	if platform != nil {
		return r.data.client.PlatformDigest(ctx, img, tag, *platform)
	}
	return r.data.client.Digest(ctx, img, tag)
}

// errorsOf joins the details of the errors among diags.
func errorsOf(diags diag.Diagnostics) string {
	var out []string
	for _, d := range diags.Errors() {
		out = append(out, d.Summary()+": "+d.Detail())
	}
	return strings.Join(out, "; ")
}

func (r *pinResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	defer recoverResource(&resp.Diagnostics)
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return // destroy, or create: pinned at apply
	}
	var plan, state pinModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	rec, diags := readRefresh(ctx, req.Private)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	img, err := plan.image()
	if plan.Image.IsUnknown() || plan.Registry.IsUnknown() || err != nil {
		return // replaced, or reported by the validators
	}
	if before, err := state.image(); err != nil || before.Key() != img.Key() {
		return // another image: replaced, and the create pins at apply
	}
	if plan.Move.IsUnknown() {
		// Where the pin goes is known at apply only.
		plan.Tag, plan.Digest, plan.ImageRef, plan.PinnedRef, plan.ID = types.StringUnknown(), types.StringUnknown(), types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
		plan.PinnedAt = types.StringUnknown()
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	// The filter of the last refresh, which the levels were measured by;
	// only the filter: planning verifies no signature policy.
	filter, filterErr := filterOf(state.Filter)
	pinned := state.pinned()
	target, moves := rec.target(plan.move(), pinned)
	plan.setPin(img, target)
	plan.PinnedAt = state.PinnedAt
	if moves {
		plan.PinnedAt = types.StringUnknown()
	}
	plan.NewestTag, plan.NewestDigest = state.NewestTag, state.NewestDigest
	if filterErr == nil {
		plan.compare(filter)
	} else {
		plan.UpdateAvailable, plan.UpdateKind = state.UpdateAvailable, state.UpdateKind
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)

	if plan.UpdateAvailable.ValueBool() {
		resp.Diagnostics.Append(pinHeld(img, target.Tag, plan.NewestTag.ValueString(), plan.UpdateKind.ValueString(), plan.move()))
	}
	if rec.OtherShape != "" && !moves {
		resp.Diagnostics.Append(pinLeftBehind(img, pinned.Tag, rec.OtherShape, rec.Prerelease))
	}
	if known(plan.Filter) || plan.Filter.IsNull() {
		if f, err := filterOf(plan.Filter); err == nil && !f.Keep(pinned.Tag) && !moves {
			resp.Diagnostics.Append(pinnedNotKept(pinned.Tag, f.String()))
		}
	}
}

func (r *pinResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer recoverResource(&resp.Diagnostics)
	var plan, state pinModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := r.begin(ctx, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	img, err := plan.image()
	if err != nil {
		resp.Diagnostics.Append(invalidValue(path.Root("image"), "image", err))
		return
	}
	if plan.Tag.IsUnknown() { // move was unknown in the plan
		rec, diags := readRefresh(ctx, req.Private)
		resp.Diagnostics.Append(diags...)
		t, _ := rec.target(plan.move(), state.pinned())
		plan.setPin(img, t)
		plan.NewestTag, plan.NewestDigest = state.NewestTag, state.NewestDigest
		if filter, err := filterOf(state.Filter); err == nil {
			plan.compare(filter)
		}
	}
	moved := plan.Tag.ValueString() != state.Tag.ValueString() || plan.Digest.ValueString() != state.Digest.ValueString()
	if !moved {
		plan.PinnedAt = state.PinnedAt
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	// What was reviewed is what is deployed: the planned tag must still
	// have the planned digest.
	var ignored diag.Diagnostics // a platform the last refresh could parse
	facts, err := r.digestOf(ctx, img, plan.Tag.ValueString(), platformArg(state.Platform, &ignored))
	if err != nil {
		resp.Diagnostics.Append(cannotReadDigest(err))
		return
	}
	if facts.Digest != plan.Digest.ValueString() {
		resp.Diagnostics.Append(tagMovedSincePlan(img, plan.Tag.ValueString(), plan.Digest.ValueString(), facts.Digest))
		return
	}
	plan.PinnedAt = types.StringValue(time.Now().UTC().Truncate(time.Second).Format(time.RFC3339))
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	// The levels were measured from the old pin; the next refresh measures
	// them again.
	resp.Diagnostics.Append(writeRefresh(ctx, resp.Private, pinRefresh{})...)
}

// Delete forgets the pin: nothing changes in the registry.
func (r *pinResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// ImportState takes an id `<name>:<tag>[@<digest>]`, where name is the
// image as image_ref spells it.
func (r *pinResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	name, tag, digest, err := parsePinID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("image"), name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("tag"), tag)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("move"), movePatch)...)
	if digest != "" {
		img, _ := names.Parse(name, "")
		var m pinnedImage
		m.pin(img, tag, digest)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("digest"), digest)...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("image_ref"), m.ImageRef)...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("pinned_ref"), m.PinnedRef)...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), m.PinnedRef)...)
	} else {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	}
}

// parsePinID parses an import id: `<name>:<tag>` or `<name>:<tag>@<digest>`.
func parsePinID(id string) (name, tag, digest string, err error) {
	ref, err := names.ParseReference(id)
	if err != nil {
		return "", "", "", fmt.Errorf("%w. Import a pin as <image>:<tag>@<digest> (or <image>:<tag>), with the image as image_ref spells it: nginx:1.27.3@sha256:…", err)
	}
	if ref.Tag == "" {
		return "", "", "", fmt.Errorf("import id %q has no tag: import a pin as <image>:<tag>@<digest> (or <image>:<tag>), such as nginx:1.27.3", id)
	}
	rest := id
	if i := strings.IndexByte(rest, '@'); i >= 0 {
		rest = rest[:i]
	}
	name = rest[:strings.LastIndexByte(rest, ':')]
	return name, ref.Tag, ref.Digest, nil
}

// UpgradeState: no earlier version of the schema exists yet. A state of
// version 0 is read as it is; the next schema change adds its upgrader
// here, keyed by the version it upgrades from.
func (r *pinResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{}
}

// recoverResource turns a panic in a resource operation into an error of
// that operation, so that one bug does not crash the provider.
func recoverResource(diags *diag.Diagnostics) {
	if r := recover(); r != nil {
		diags.AddError("Internal Error",
			fmt.Sprintf("The operation failed with an internal error: %v. This is a bug in the provider: please report it, with this message.", r))
	}
}
