package pushtime

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// acr reads Azure Container Registry's tag API on the registry's own host,
// one tag a request: GET /acr/v1/{repository}/_tags/{tag}, field
// tag.lastUpdateTime
// (https://learn.microsoft.com/en-us/rest/api/containerregistry/tag/get-properties),
// with a token of the registry's own for the scope
// repository:{repository}:metadata_read, which its challenge asks for
// (https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md).
type acr struct {
	*client
}

func (a *acr) Batch() int { return 1 }

func (a *acr) Read(ctx context.Context, repo names.Repository, tags []string) (Times, error) {
	rt, scheme, err := a.env.RegistryTransport(ctx, repo, "repository:"+repo.Path+":metadata_read")
	if err != nil {
		return nil, a.fail(err)
	}
	base := a.base
	if !a.custom {
		base = scheme + "://" + names.APIHost(repo.Registry)
	}
	return a.oneByOne(tags, func(tag string) (time.Time, bool, error) {
		var answer struct {
			Tag struct {
				Name           string `json:"name"`
				LastUpdateTime string `json:"lastUpdateTime"`
			} `json:"tag"`
		}
		u := base + "/acr/v1/" + escapePath(repo.Path) + "/_tags/" + url.PathEscape(tag)
		err := a.do(ctx, rt, request(http.MethodGet, u, nil, nil), &answer)
		return parseTime(answer.Tag.LastUpdateTime), answer.Tag.Name == tag, err
	})
}
