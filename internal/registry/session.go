package registry

import (
	"context"
	"io"
	"net/http"

	ggcrtransport "github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/transport"
)

// session is an authenticated way to one repository: the scheme the
// registry answered on, and the transport that answers its challenges.
type session struct {
	repo   names.Repository
	scheme string
	rt     *transport.Auth
	log    LogFunc
}

// session returns the session for repo, making it once per provider run:
// one ping per registry, one token per repository.
func (c *Client) session(ctx context.Context, repo names.Repository) (*session, error) {
	s, _, err := c.sessions.Get(ctx, repo.Key(), func(ctx context.Context) (*session, error) {
		return c.newSession(ctx, repo)
	})
	return s, err
}

func (c *Client) newSession(ctx context.Context, repo names.Repository) (*session, error) {
	rt, p, err := c.authTransport(ctx, repo, "repository:"+repo.Path+":"+ggcrtransport.PullScope)
	if err != nil {
		return nil, err
	}
	return &session{repo: repo, scheme: p.Scheme, rt: rt, log: c.log}, nil
}

// url returns the URL of an API path under the repository, such as
// "tags/list" or "manifests/1.2" (whose reference must be a valid tag or
// digest).
func (s *session) url(path string) string {
	return s.scheme + "://" + names.APIHost(s.repo.Registry) + "/v2/" + s.repo.Path + "/" + path
}

// send sends a request with the session's credentials, following
// redirects (to blob storage, say) without them and never from HTTPS down
// to plain HTTP.
func (s *session) send(ctx context.Context, method, u, accept string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, err
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return transport.Send(s.rt, req)
}

// get GETs u and hands a 200 answer's body to use as it arrives, at most
// limit bytes of it (what names the answer in the error past the limit).
// The request is sent again when the connection drops mid-body.
func (s *session) get(ctx context.Context, u, accept string, limit int64, what string, use func(resp *http.Response, body io.Reader) error) error {
	return transport.Fetch(ctx, s.log, func() (*http.Response, error) {
		return s.send(ctx, http.MethodGet, u, accept)
	}, func(resp *http.Response) error {
		if err := s.check(resp); err != nil {
			return err
		}
		body, err := transport.Body(resp, limit, what)
		if err != nil {
			return err
		}
		return use(resp, body)
	})
}

// check returns nil for a 200 answer, else the error it stands for. A 401
// or 403 to a request that carried a token (granted, and refreshed once by
// the transport) means the token does not cover the repository: Docker Hub
// answers so for a repository that does not exist (distribution/distribution#2376).
func (s *session) check(resp *http.Response) error {
	err := transport.CheckStatus(resp, http.StatusOK)
	if err == nil {
		return nil
	}
	if (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) && s.rt.UsesToken() {
		return &transport.DeniedError{Err: err}
	}
	return err
}
