package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/pushtime"
)

// registryAPIModel is one entry of the provider's registry_api.
type registryAPIModel struct {
	Type  types.String `tfsdk:"type"`
	URL   types.String `tfsdk:"url"`
	Token types.String `tfsdk:"token"`
}

func apiTypeNames() []string {
	out := make([]string, len(pushtime.Types))
	for i, t := range pushtime.Types {
		out[i] = string(t)
	}
	return out
}

// registryAPIAttribute is the provider's registry_api argument.
func registryAPIAttribute() schema.Attribute {
	return schema.MapNestedAttribute{
		Optional: true,
		MarkdownDescription: "The API each registry reports push times through, by registry host (as in `mirrors`), for " +
			"`min_age` counted from the push (`age_from`). Docker Hub, Google's registries, Quay.io, ACR, ECR, GitLab.com and " +
			"GHCR are known by host and need no entry; give one for a self-hosted Harbor, GitLab or Quay, for an API behind a " +
			"proxy, or with `type = \"none\"` to turn a known API off: " +
			"`{ \"harbor.example.com\" = { type = \"harbor\" } }`.",
		Validators: []validator.Map{mapvalidator.KeysAre(registryHost)},
		NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				"type": schema.StringAttribute{
					Required: true,
					MarkdownDescription: "The API: `dockerhub`, `gar`, `quay`, `harbor`, `acr`, `ecr`, `gitlab`, `ghcr`, or `none` " +
						"(no push times from this registry).",
					Validators: []validator.String{stringvalidator.OneOf(apiTypeNames()...)},
				},
				"url": schema.StringAttribute{
					Optional: true,
					MarkdownDescription: "The API's base URL, such as `https://gitlab.example.com`, for an API that is not on the " +
						"registry's host, or a proxy. Defaults to the public API (`https://hub.docker.com`, `https://gitlab.com` for " +
						"`registry.gitlab.com`, `https://api.github.com`), else the registry's own host. Required for `dockerhub` and " +
						"`ghcr` on any host but `docker.io` and `ghcr.io`, so that a registry's credentials never go to Docker Hub or GitHub.",
				},
				"token": schema.StringAttribute{
					Optional:  true,
					Sensitive: true,
					MarkdownDescription: "A token for the APIs that take one of their own: `ghcr` (a classic token with " +
						"`read:packages`; default `GITHUB_TOKEN`), `gitlab` (a token with `read_api`; default the registry's password, " +
						"unless it is a CI job token, which GitLab's GraphQL API refuses) " +
						"and `quay` (an OAuth application token, for private repositories). The other APIs use the registry's own " +
						"credentials. Sent to that API only; never written to logs, errors or state.",
				},
			},
		},
	}
}

// registryAPIOptions turns registry_api into the client's APIs, reporting
// each invalid entry at its path.
func registryAPIOptions(ctx context.Context, m types.Map, diags *diag.Diagnostics) map[string]pushtime.API {
	if m.IsNull() {
		return nil
	}
	var entries map[string]registryAPIModel
	if diags.Append(m.ElementsAs(ctx, &entries, false)...); diags.HasError() {
		return nil
	}
	out := make(map[string]pushtime.API, len(entries))
	for host, e := range entries {
		at := path.Root("registry_api").AtMapKey(host)
		api := pushtime.API{Type: pushtime.Type(e.Type.ValueString()), URL: e.URL.ValueString(), Token: e.Token.ValueString()}
		if err := api.CheckFor(names.CanonicalHost(host)); err != nil {
			field := "type"
			switch {
			case strings.HasPrefix(err.Error(), "url"):
				field = "url"
			case strings.HasPrefix(err.Error(), "token"):
				field = "token"
			}
			diags.Append(invalidRegistryAPI(at.AtName(field), host, err))
			continue
		}
		out[host] = api
	}
	return out
}
