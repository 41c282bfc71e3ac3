package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// parsed is a string validator that runs the real parser for a value, so
// that terraform validate rejects what the read would reject. It skips null
// and unknown values.
type parsed struct {
	what  string
	parse func(string) error
}

var _ validator.String = parsed{}

// registryHost validates a registry host as the registry package reads one.
var registryHost = parsed{what: "registry host", parse: names.CheckRegistryHost}

// parsedBy is the parsed validator of a parse function that also returns
// what it parsed.
func parsedBy[T any](what string, parse func(string) (T, error)) parsed {
	return parsed{what: what, parse: func(s string) error {
		_, err := parse(s)
		return err
	}}
}

func (v parsed) Description(context.Context) string {
	return "value must be a valid " + v.what
}

func (v parsed) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v parsed) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.parse(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.Append(invalidValue(req.Path, v.what, err))
	}
}

// pairValidator is a data source's or resource's config validator that checks two
// string attributes together; check sees them null or unknown as they are.
type pairValidator struct {
	description   string
	first, second string
	check         func(first, second types.String) diag.Diagnostics
}

var (
	_ datasource.ConfigValidator = pairValidator{}
	_ resource.ConfigValidator   = pairValidator{}
)

func (v pairValidator) Description(context.Context) string { return v.description }

func (v pairValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v pairValidator) ValidateDataSource(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	resp.Diagnostics.Append(v.validate(ctx, req.Config)...)
}

func (v pairValidator) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	resp.Diagnostics.Append(v.validate(ctx, req.Config)...)
}

func (v pairValidator) validate(ctx context.Context, config tfsdk.Config) diag.Diagnostics {
	var first, second types.String
	var diags diag.Diagnostics
	diags.Append(config.GetAttribute(ctx, path.Root(v.first), &first)...)
	diags.Append(config.GetAttribute(ctx, path.Root(v.second), &second)...)
	if !diags.HasError() {
		diags.Append(v.check(first, second)...)
	}
	return diags
}

// imageRegistryValidator checks image and registry together once both are
// known: a host in both is an error.
var imageRegistryValidator = pairValidator{
	description: "image must not name a registry host when registry is set",
	first:       "image",
	second:      "registry",
	check: func(image, reg types.String) diag.Diagnostics {
		if !known(image) || !known(reg) {
			return nil
		}
		if _, err := names.Parse(image.ValueString(), ""); err != nil {
			return nil // the image's own validator reports it
		}
		if err := names.CheckRegistryHost(reg.ValueString()); err != nil {
			return nil // the registry's own validator reports it
		}
		if _, err := names.Parse(image.ValueString(), reg.ValueString()); err != nil {
			return diag.Diagnostics{conflictingRegistry(err)}
		}
		return nil
	},
}

// known reports whether v is neither null nor unknown.
func known(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }
