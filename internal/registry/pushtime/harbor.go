package pushtime

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// harbor reads Harbor's artifact API, one tag a request:
// GET /api/v2.0/projects/{project}/repositories/{repository}/artifacts/{tag}?with_tag=true,
// the push_time of the tag of that name
// (getArtifact in goharbor/harbor's api/v2.0/swagger.yaml). A repository
// name with "/" is URL-encoded twice, as that swagger says ("a/b -> a%2Fb
// -> a%252Fb"; goharbor/harbor#18355); once is a 404 (goharbor/harbor#10860). The
// registry's own credentials are sent as Basic auth, which Harbor's API
// takes.
type harbor struct {
	*client
}

func (h *harbor) Batch() int { return 1 }

func (h *harbor) Read(ctx context.Context, repo names.Repository, tags []string) (Times, error) {
	header, err := basicHeader(ctx, h.env, repo)
	if err != nil {
		return nil, h.fail(err)
	}
	project, name, ok := strings.Cut(repo.Path, "/")
	if !ok {
		return nil, h.fail(errors.New("a Harbor repository is <project>/<repository>; " + repo.Path + " has no project"))
	}
	return h.oneByOne(tags, func(tag string) (time.Time, bool, error) {
		var answer struct {
			Tags []struct {
				Name     string `json:"name"`
				PushTime string `json:"push_time"`
			} `json:"tags"`
		}
		u := h.base + "/api/v2.0/projects/" + url.PathEscape(project) + "/repositories/" + url.PathEscape(url.PathEscape(name)) +
			"/artifacts/" + url.PathEscape(tag) + "?with_tag=true"
		if err := h.get(ctx, u, header, &answer); err != nil {
			return time.Time{}, false, err
		}
		for _, t := range answer.Tags {
			if t.Name == tag {
				return parseTime(t.PushTime), true, nil
			}
		}
		return time.Time{}, false, nil
	})
}

// basicHeader returns the registry's own credentials as a Basic
// Authorization header, none when they are anonymous or a token.
func basicHeader(ctx context.Context, env Env, repo names.Repository) (http.Header, error) {
	auth, _, err := env.Credentials(ctx, repo)
	if err != nil || auth == nil || auth == authn.Anonymous {
		return nil, err
	}
	cfg, err := auth.Authorization()
	if err != nil || cfg.Username == "" || cfg.Password == "" {
		return nil, err
	}
	req, _ := http.NewRequest(http.MethodGet, "/", nil) //nolint:noctx // only to format the header
	req.SetBasicAuth(cfg.Username, cfg.Password)
	return http.Header{"Authorization": req.Header.Values("Authorization")}, nil
}
