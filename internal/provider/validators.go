package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// parsed is a string validator that runs the real parser for a value, so
// that terraform validate rejects what the read would reject. It skips null
// and unknown values.
type parsed struct {
	what  string
	parse func(string) error
}

var _ validator.String = parsed{}

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
