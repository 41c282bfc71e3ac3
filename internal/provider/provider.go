package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/credentials"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/runcache"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/signature"
)

// defaultTimeout bounds one data source's read when timeout is unset.
const defaultTimeout = 2 * time.Minute

var (
	_ provider.Provider              = (*registryProvider)(nil)
	_ provider.ProviderWithFunctions = (*registryProvider)(nil)
)

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
	Auth               []authModel  `tfsdk:"auth"`
	DockerConfigFile   types.String `tfsdk:"docker_config_file"`
	InsecureRegistries types.Set    `tfsdk:"insecure_registries"`
	CAFile             types.String `tfsdk:"ca_file"`
	Mirrors            types.Map    `tfsdk:"mirrors"`
	MaxConcurrent      types.Int64  `tfsdk:"max_concurrent_requests"`
	Timeout            types.String `tfsdk:"timeout"`
	RegistryAPI        types.Map    `tfsdk:"registry_api"`
}

type authModel struct {
	Registry types.String `tfsdk:"registry"`
	Username types.String `tfsdk:"username"`
	Password types.String `tfsdk:"password"`
	Token    types.String `tfsdk:"token"`
}

// providerData is built once in Configure and shared, read-only, by every
// data source: one registry client (with its caches) per provider run.
type providerData struct {
	client  *registry.Client
	timeout time.Duration
	// secrets are the passwords and tokens the provider was given, masked
	// in every log line as a second line of defence: none is ever logged.
	secrets []string

	// verdicts are the signature verdicts of the run, by image, digest and
	// policy; publicGood is the Sigstore public-good trusted root, fetched
	// at most once a run, from where sigstore says.
	verdicts   runcache.Map[verdict]
	publicGood runcache.Map[signature.TrustedMaterial]
	sigstore   signature.PublicGoodOptions
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
		Blocks: map[string]schema.Block{
			"auth": schema.ListNestedBlock{
				MarkdownDescription: "Credentials for one registry. They win over every other source (environment variables, " +
					"Docker's config and credential helpers, cloud credentials) for that registry. Give `username` and `password` " +
					"(a personal access token used as a password goes here), or `token`. Repeat the block for several registries.",
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"registry": schema.StringAttribute{
							Required: true,
							MarkdownDescription: "The registry host these credentials are for: `ghcr.io`, `registry.gitlab.com`, " +
								"`127.0.0.1:5000`. `docker.io`, `index.docker.io` and `registry-1.docker.io` all mean Docker Hub.",
							Validators: []validator.String{registryHost},
						},
						"username": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "The user name. Required with `password`.",
						},
						"password": schema.StringAttribute{
							Optional:  true,
							Sensitive: true,
							MarkdownDescription: "The password, or a personal access token used as one (GitHub, GitLab, Docker Hub, " +
								"Quay robot tokens). Never written to logs, errors or state.",
							Validators: []validator.String{
								stringvalidator.AlsoRequires(path.MatchRelative().AtParent().AtName("username")),
								stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("token")),
							},
						},
						"token": schema.StringAttribute{
							Optional:  true,
							Sensitive: true,
							MarkdownDescription: "A registry identity token (an OAuth2 refresh token, Docker's `identitytoken`), " +
								"exchanged for access tokens as the registry asks. Never written to logs, errors or state.",
						},
					},
				},
			},
		},
		Attributes: map[string]schema.Attribute{
			"docker_config_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "A Docker config file to read credentials from, instead of the default: `$DOCKER_CONFIG/config.json`, " +
					"then `~/.docker/config.json` (then Podman's `auth.json`). Its `auths` entries, `credsStore` and `credHelpers` are " +
					"used as Docker uses them; a credential helper that fails is an error that names it.",
			},
			"ca_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "A PEM bundle of extra certificate authorities to trust for registries, for a registry whose " +
					"certificate a private CA signed. The system's CAs stay trusted.",
			},
			"mirrors": schema.MapAttribute{
				ElementType: types.ListType{ElemType: types.StringType},
				Optional:    true,
				MarkdownDescription: "Mirrors by registry host, asked only when the registry itself cannot answer: " +
					"`{ \"docker.io\" = [\"mirror.gcr.io\"] }`. The registry is asked first; when it is unreachable, fails with 5xx or " +
					"429 after the retries, or has hit its pull limit, the mirrors are asked in order. With mirrors, the registry (and " +
					"each mirror but the last) gets at most half of the time left of `timeout`, so that a host that hangs leaves time " +
					"for the next. A tag list and its digest come from the same host. A pull-through cache may hold a partial or stale " +
					"tag list, so an answer from a mirror adds a warning to the plan that names the mirror. Outputs still name the image " +
					"as written. Each mirror gets its own credentials, resolved as for any registry. Two spellings of one registry " +
					"(`docker.io` and `index.docker.io`) are an error.",
				Validators: []validator.Map{
					mapvalidator.KeysAre(registryHost),
					mapvalidator.ValueListsAre(listvalidator.ValueStringsAre(registryHost)),
				},
			},
			"insecure_registries": schema.SetAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Registry hosts (`host` or `host:port`) that may be reached over plain HTTP or over TLS " +
					"without verifying the certificate. Only these hosts and loopback hosts (`localhost`, `127.0.0.0/8`, `::1`) " +
					"may fall back to plain HTTP; every other registry is reached over HTTPS with verified certificates.",
				Validators: []validator.Set{setvalidator.ValueStringsAre(registryHost)},
			},
			"max_concurrent_requests": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("The most requests in flight to one registry at a time, however many data sources "+
					"the plan holds: 1 to 256. Defaults to `%d`. It makes a large plan gentler in bursts, which some registries' throttles "+
					"count; it does not lower how many requests a plan makes, which is what pull limits count over hours (credentials, a "+
					"mirror or fewer plans do).", registry.DefaultMaxConcurrentRequests),
				Validators: []validator.Int64{int64validator.Between(1, 256)},
			},
			"registry_api": registryAPIAttribute(),
			"timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The most one data source's read may take, every page and retry included, as a Go " +
					"duration string such as `30s` or `2m`. Defaults to `2m`.",
				Validators: []validator.String{parsedBy("timeout", parseTimeout)},
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
	for attr, v := range map[string]attr.Value{
		"docker_config_file": cfg.DockerConfigFile, "insecure_registries": cfg.InsecureRegistries, "ca_file": cfg.CAFile,
		"mirrors": cfg.Mirrors, "max_concurrent_requests": cfg.MaxConcurrent, "timeout": cfg.Timeout, "registry_api": cfg.RegistryAPI,
	} {
		if v.IsUnknown() {
			resp.Diagnostics.Append(unknownValue(path.Root(attr)))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	data := &providerData{timeout: defaultTimeout}
	if !cfg.Timeout.IsNull() {
		d, err := parseTimeout(cfg.Timeout.ValueString())
		if err != nil {
			resp.Diagnostics.Append(invalidValue(path.Root("timeout"), "timeout", err))
			return
		}
		data.timeout = d
	}
	opts := registry.Options{
		DockerConfigFile:      cfg.DockerConfigFile.ValueString(),
		CAFile:                cfg.CAFile.ValueString(),
		MaxConcurrentRequests: int(cfg.MaxConcurrent.ValueInt64()),
		UserAgent:             "terraform-provider-registry/" + p.version,
		Log: func(ctx context.Context, msg string, fields map[string]any) {
			tflog.Debug(ctx, msg, fields)
		},
	}
	if !cfg.InsecureRegistries.IsNull() {
		resp.Diagnostics.Append(cfg.InsecureRegistries.ElementsAs(ctx, &opts.Insecure, false)...)
	}
	if !cfg.Mirrors.IsNull() {
		resp.Diagnostics.Append(cfg.Mirrors.ElementsAs(ctx, &opts.Mirrors, false)...)
	}
	opts.Auth = authOptions(cfg.Auth, &resp.Diagnostics)
	opts.APIs = registryAPIOptions(ctx, cfg.RegistryAPI, &resp.Diagnostics)
	env, err := credentials.FromEnv(os.Environ())
	if err != nil {
		resp.Diagnostics.Append(invalidConfiguration(err))
	}
	opts.EnvAuth = env
	if resp.Diagnostics.HasError() {
		return
	}
	client, err := registry.New(ctx, opts)
	if err != nil {
		resp.Diagnostics.Append(invalidConfiguration(err))
		return
	}
	data.client = client
	data.sigstore = signature.PublicGoodOptions{Timeout: data.timeout, UserAgent: opts.UserAgent}
	data.secrets = secretsOf(opts.Auth, opts.EnvAuth)
	for _, api := range opts.APIs {
		if api.Token != "" {
			data.secrets = append(data.secrets, api.Token)
		}
	}
	tflog.Debug(ctx, "configured the registry client", map[string]any{
		"timeout":             data.timeout.String(),
		"insecure_registries": opts.Insecure,
		"mirrors":             opts.Mirrors,
		"auth_blocks":         len(opts.Auth),
	})
	resp.DataSourceData = data
	resp.ResourceData = data
}

// secretsOf returns the passwords and tokens among credentials, to mask in
// every log line as a second line of defence: none is ever logged.
func secretsOf(creds ...map[string]registry.Credential) []string {
	var out []string
	for _, byHost := range creds {
		for _, c := range byHost {
			for _, s := range []string{c.Password, c.Token} {
				if s != "" {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// authOptions turns the auth blocks into credentials by registry host,
// reporting unknown, incomplete or repeated blocks at their path.
func authOptions(blocks []authModel, diags *diag.Diagnostics) map[string]registry.Credential {
	out := make(map[string]registry.Credential, len(blocks))
	for i, b := range blocks {
		at := path.Root("auth").AtListIndex(i)
		if b.Registry.IsUnknown() || b.Username.IsUnknown() || b.Password.IsUnknown() || b.Token.IsUnknown() {
			diags.Append(unknownValue(at))
			continue
		}
		c := registry.Credential{Username: b.Username.ValueString(), Password: b.Password.ValueString(), Token: b.Token.ValueString()}
		host := b.Registry.ValueString()
		switch err := c.Check(); {
		case errors.Is(err, credentials.ErrNoSecret):
			diags.Append(incompleteCredentials(at, fmt.Sprintf("The auth block for %q has neither password nor token: give username and password, or token.", host)))
			continue
		case errors.Is(err, credentials.ErrNoUsername):
			diags.Append(incompleteCredentials(at.AtName("username"), fmt.Sprintf("The auth block for %q has a password but no username: give the username too.", host)))
			continue
		case errors.Is(err, credentials.ErrPasswordAndToken):
			diags.Append(incompleteCredentials(at.AtName("token"), fmt.Sprintf("The auth block for %q has both a password and a token: give username and password, or token, not both.", host)))
			continue
		}
		key := names.CanonicalHost(host)
		if _, dup := out[key]; dup {
			diags.Append(repeatedRegistry(at.AtName("registry"), host))
			continue
		}
		out[key] = c
	}
	return out
}

func (p *registryProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newLatestTagDataSource,
		newImageDigestDataSource,
		newTagsDataSource,
	}
}

func (p *registryProvider) Functions(context.Context) []func() function.Function {
	out := make([]func() function.Function, 0, 5)
	for _, f := range []tagFunction{sortTagsFunction, newestTagFunction, updateKindFunction, tagShapeFunction, parseImageRefFunction} {
		out = append(out, func() function.Function { return f })
	}
	return out
}

func (p *registryProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{newPinResource}
}
