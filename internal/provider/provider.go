package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry"
)

// defaultTimeout bounds one data source's read when timeout is unset.
const defaultTimeout = 2 * time.Minute

var _ provider.Provider = (*registryProvider)(nil)

// New returns a function that builds the provider, as providerserver wants.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &registryProvider{version: version}
	}
}

type registryProvider struct {
	version string
}

type providerModel struct {
	InsecureRegistries types.Set    `tfsdk:"insecure_registries"`
	Timeout            types.String `tfsdk:"timeout"`
}

// providerData is built once in Configure and shared, read-only, by every
// data source: one registry client (with its caches) per provider run.
type providerData struct {
	client  *registry.Client
	timeout time.Duration
}

func (p *registryProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "registry"
	resp.Version = p.version
}

func (p *registryProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The registry provider reads container registries that speak the OCI distribution API " +
			"(Docker Hub, GHCR, Quay, GitLab, Harbor, ECR, Artifact Registry, ACR, self-hosted registries) so that " +
			"`terraform plan` shows newer image tags and changed digests as an ordinary diff.\n\n" +
			"Every argument is optional. With none, public images are read anonymously and the credentials of " +
			"`docker login` (Docker's config file and its credential helpers) are used where they exist. " +
			"One provider run reads each tag list and each digest once, however many data sources ask for it.",
		Attributes: map[string]schema.Attribute{
			"insecure_registries": schema.SetAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Registry hosts (`host` or `host:port`) that may be reached over plain HTTP or over TLS " +
					"without verifying the certificate. Only these hosts and loopback hosts (`localhost`, `127.0.0.0/8`, `::1`) " +
					"may fall back to plain HTTP; every other registry is reached over HTTPS with verified certificates.",
				Validators: []validator.Set{setvalidator.ValueStringsAre(parsed{what: "registry host", parse: registry.CheckRegistryHost})},
			},
			"timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The most one data source's read may take, every page and retry included, as a Go " +
					"duration string such as `30s` or `2m`. Defaults to `2m`.",
				Validators: []validator.String{parsed{what: "timeout", parse: func(s string) error {
					_, err := parseTimeout(s)
					return err
				}}},
			},
		},
	}
}

func parseTimeout(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("timeout %q is not a duration: write it like \"30s\", \"2m\" or \"1m30s\"", s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("timeout %q must be greater than zero", s)
	}
	return d, nil
}

func (p *registryProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.InsecureRegistries.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("insecure_registries"), "Unknown Insecure Registries",
			"insecure_registries must be known before the plan: set it from variables or literals, not from resources that are yet to be created.")
	}
	if cfg.Timeout.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("timeout"), "Unknown Timeout",
			"timeout must be known before the plan: set it from variables or literals, not from resources that are yet to be created.")
	}
	if resp.Diagnostics.HasError() {
		return
	}

	data := &providerData{timeout: defaultTimeout}
	if !cfg.Timeout.IsNull() {
		d, err := parseTimeout(cfg.Timeout.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("timeout"), "Invalid Timeout", err.Error())
			return
		}
		data.timeout = d
	}
	var insecure []string
	if !cfg.InsecureRegistries.IsNull() {
		resp.Diagnostics.Append(cfg.InsecureRegistries.ElementsAs(ctx, &insecure, false)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	client, err := registry.New(registry.Options{
		Insecure:  insecure,
		UserAgent: "terraform-provider-registry/" + p.version,
		Log: func(ctx context.Context, msg string, fields map[string]any) {
			tflog.Debug(ctx, msg, fields)
		},
	})
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("insecure_registries"), "Invalid Insecure Registries", err.Error())
		return
	}
	data.client = client
	tflog.Debug(ctx, "configured the registry client", map[string]any{"timeout": data.timeout.String(), "insecure_registries": insecure})
	resp.DataSourceData = data
}

func (p *registryProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newLatestTagDataSource,
		newImageDigestDataSource,
	}
}

func (p *registryProvider) Resources(context.Context) []func() resource.Resource {
	return nil
}
