package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry"
)

// dataSourceBase holds what both data sources share: the provider's data and
// the image and registry arguments.
type dataSourceBase struct {
	data *providerData
}

func (b *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.Append(unexpectedProviderData(req.ProviderData))
		return
	}
	b.data = data
}

func imageAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Required: true,
		MarkdownDescription: "The repository, written as in `docker pull` but without tag or digest: `nginx`, `pihole/pihole`, " +
			"`ghcr.io/acme/app`, `127.0.0.1:5000/team/app`. A first path part that holds a `.` or a `:`, or is `localhost`, " +
			"is the registry host; without one the image is on Docker Hub, where a one-part name such as `nginx` means `library/nginx`.",
		Validators: []validator.String{parsed{what: "image", parse: func(s string) error {
			_, err := registry.ParseImage(s, "")
			return err
		}}},
	}
}

func registryAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		MarkdownDescription: "The registry host (`ghcr.io`, `quay.io`, `127.0.0.1:5000`), for configurations that keep it apart from " +
			"`image`. Setting both `registry` and a host inside `image` is an error. Outputs then name the image `<registry>/<image>`.",
		Validators: []validator.String{parsed{what: "registry host", parse: registry.CheckRegistryHost}},
	}
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

// readContext bounds a read by the provider's timeout.
func (b *dataSourceBase) readContext(ctx context.Context, resp *datasource.ReadResponse) (context.Context, context.CancelFunc, bool) {
	if b.data == nil {
		resp.Diagnostics.Append(providerNotConfigured())
		return ctx, func() {}, false
	}
	ctx = tflog.MaskMessageStrings(ctx, b.data.secrets...)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, b.data.secrets...)
	ctx, cancel := context.WithTimeout(ctx, b.data.timeout)
	return ctx, cancel, true
}

// warnRateLimit adds a warning to the plan when a registry the image was
// read from reported that few requests remain before its rate limit.
func (b *dataSourceBase) warnRateLimit(img registry.Image, resp *datasource.ReadResponse) {
	for _, rl := range b.data.client.LowRateLimits(img) {
		resp.Diagnostics.Append(rateLimitNearlyReached(rl))
	}
}

// parseImage parses the image and registry arguments, reporting an error at
// the attribute.
func parseImage(image, reg types.String, resp *datasource.ReadResponse) (registry.Image, bool) {
	img, err := registry.ParseImage(image.ValueString(), reg.ValueString())
	if err != nil {
		resp.Diagnostics.Append(invalidValue(path.Root("image"), "image", err))
		return registry.Image{}, false
	}
	return img, true
}
