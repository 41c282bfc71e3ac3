package registry

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// session is an authenticated way to one repository: the scheme the
// registry answered on, and a transport that adds the credentials (a bearer
// token for the repository's pull scope, or basic auth) to requests for the
// registry's host only, so that redirects to blob storage never carry them.
type session struct {
	img    Image
	scheme string
	rt     http.RoundTripper
}

// session returns the session for img's repository, making it once per
// provider run: one ping per registry, one token per repository.
func (c *Client) session(ctx context.Context, img Image) (*session, error) {
	key := img.key()
	s, _, err := c.sessions.get(ctx, key, func(ctx context.Context) (*session, error) {
		return c.newSession(ctx, img)
	})
	return s, err
}

func (c *Client) newSession(ctx context.Context, img Image) (*session, error) {
	repo, err := c.repository(img)
	if err != nil {
		return nil, err
	}
	reg := repo.Registry
	challenge, _, err := c.pings.get(ctx, reg.RegistryStr(), func(ctx context.Context) (*transport.Challenge, error) {
		return transport.Ping(ctx, reg, c.http)
	})
	if err != nil {
		return nil, err
	}
	auth, err := c.keychain.ResolveContext(ctx, repo)
	if err != nil {
		return nil, err
	}
	scheme := "https"
	if challenge.Insecure {
		scheme = "http"
	}
	tok := &transport.Token{}
	if strings.EqualFold(challenge.Scheme, "bearer") {
		tok, err = transport.Exchange(ctx, reg, auth, c.http, []string{repo.Scope(transport.PullScope)}, challenge)
		if err != nil {
			return nil, fmt.Errorf("cannot get a token for %s: %w", repo.Scope(transport.PullScope), err)
		}
		// Some registries answer with access_token only.
		if tok.Token == "" {
			tok.Token = tok.AccessToken
		}
	}
	rt, err := transport.FromToken(reg, auth, c.http, challenge, tok)
	if err != nil {
		return nil, err
	}
	return &session{img: img, scheme: scheme, rt: keepRequest{rt}}, nil
}

// keepRequest hands the transport below a copy of each request, so that
// the credentials it adds never land in the request that http.Client copies
// headers from when it follows a redirect.
type keepRequest struct{ next http.RoundTripper }

func (k keepRequest) RoundTrip(req *http.Request) (*http.Response, error) {
	return k.next.RoundTrip(req.Clone(req.Context()))
}

// url returns the URL of an API path under the repository, such as
// "tags/list" or "manifests/1.2".
func (s *session) url(path string) string {
	return s.scheme + "://" + s.img.Registry + "/v2/" + s.img.Repository + "/" + path
}

// get GETs u with the session's credentials and returns the answer, whose
// status must be 200, and its whole body (at most MaxResponseBytes).
func (s *session) get(ctx context.Context, u, accept string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := s.do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	if err := transport.CheckError(resp, http.StatusOK); err != nil {
		return nil, nil, err
	}
	body, err := io.ReadAll(&limitedReader{r: resp.Body, n: MaxResponseBytes})
	if err != nil {
		return nil, nil, err
	}
	return resp, body, nil
}

// do sends req with the session's credentials, following redirects (to
// blob storage, say) without them and never from HTTPS down to plain HTTP.
func (s *session) do(req *http.Request) (*http.Response, error) {
	client := http.Client{Transport: s.rt, CheckRedirect: checkRedirect}
	return client.Do(req)
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return fmt.Errorf("stopped after 10 redirects")
	}
	if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
		return fmt.Errorf("refused a redirect from HTTPS to %s", req.URL.Redacted())
	}
	return nil
}
