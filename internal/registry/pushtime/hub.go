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
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/runcache"
)

// hub reads Docker Hub's tag API, one tag a request, which does not count
// as a pull: GET /v2/namespaces/{namespace}/repositories/{repository}/tags/{tag},
// field tag_last_pushed
// (https://docs.docker.com/reference/api/hub/latest/#tag/repositories).
// Public repositories are read anonymously; with docker.io credentials, a
// Hub token from POST /v2/auth/token
// (https://docs.docker.com/reference/api/hub/latest/#tag/authentication-api)
// is sent, to Hub's API only. Hub's 429 says when to come back in
// X-Retry-After, a Unix time (https://docs.docker.com/reference/api/hub/latest/#tag/rate-limiting),
// which the transport's retries read.
type hub struct {
	*client

	token runcache.Map[http.Header] // once per run; a failure is tried again
}

func (h *hub) Batch() int { return 1 }

func (h *hub) Read(ctx context.Context, repo names.Repository, tags []string) (Times, error) {
	header, err := h.auth(ctx, repo)
	if err != nil {
		return nil, h.fail(err)
	}
	namespace, name, _ := strings.Cut(repo.Path, "/")
	return h.oneByOne(tags, func(tag string) (time.Time, bool, error) {
		var answer struct {
			TagLastPushed string `json:"tag_last_pushed"`
		}
		u := h.base + "/v2/namespaces/" + url.PathEscape(namespace) + "/repositories/" + url.PathEscape(name) + "/tags/" + url.PathEscape(tag)
		err := h.get(ctx, u, header, &answer)
		return parseTime(answer.TagLastPushed), true, err
	})
}

// auth returns the header of Hub's API for repo: none without docker.io
// credentials, else a Hub token, got once per run and credential.
func (h *hub) auth(ctx context.Context, repo names.Repository) (http.Header, error) {
	auth, key, err := h.env.Credentials(ctx, repo)
	if err != nil || auth == nil || auth == authn.Anonymous {
		return nil, err
	}
	header, _, err := h.token.Get(ctx, key, func(ctx context.Context) (http.Header, error) { return h.login(ctx, auth) })
	return header, err
}

func (h *hub) login(ctx context.Context, auth authn.Authenticator) (http.Header, error) {
	cfg, err := auth.Authorization()
	if err != nil {
		return nil, err
	}
	secret := cfg.Password
	if secret == "" {
		secret = cfg.IdentityToken
	}
	if cfg.Username == "" || secret == "" {
		return nil, nil
	}
	var answer struct {
		AccessToken string `json:"access_token"`
	}
	err = h.post(ctx, h.base+"/v2/auth/token", nil, map[string]string{"identifier": cfg.Username, "secret": secret}, &answer)
	if errors.Is(err, errNotFound) || err == nil && answer.AccessToken == "" {
		return nil, errors.New("the Hub token endpoint gave no token for the docker.io credentials")
	}
	if err != nil {
		return nil, err
	}
	return http.Header{"Authorization": {"Bearer " + answer.AccessToken}}, nil
}
