package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// session is an authenticated way to one repository: the scheme the
// registry answered on, and the transport that answers its challenges.
type session struct {
	img    Image
	scheme string
	rt     *authTransport
}

// session returns the session for img's repository, making it once per
// provider run: one ping per registry, one token per repository.
func (c *Client) session(ctx context.Context, img Image) (*session, error) {
	s, _, err := c.sessions.get(ctx, img.key(), func(ctx context.Context) (*session, error) {
		return c.newSession(ctx, img)
	})
	return s, err
}

func (c *Client) newSession(ctx context.Context, img Image) (*session, error) {
	p, err := c.ping(ctx, img.Registry)
	if err != nil {
		return nil, err
	}
	scope := "repository:" + img.Repository + ":" + transport.PullScope
	key := c.keychain.key(img)
	rt := newAuthTransport(c.http, img.Registry, p, scope, func(ctx context.Context) (authn.Authenticator, error) {
		auth, _, err := c.keychain.credentials(ctx, key, img)
		return auth, err
	})
	if p.challenge.scheme != "" {
		// The registry asks for credentials: look them up now, and get the
		// first token, so that a failure is this read's error.
		if err := rt.refresh(ctx, 0); err != nil {
			return nil, err
		}
	}
	return &session{img: img, scheme: p.scheme, rt: rt}, nil
}

// url returns the URL of an API path under the repository, such as
// "tags/list" or "manifests/1.2" (whose reference must be a valid tag or
// digest: it is escaped all the same).
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
	if err := s.check(resp); err != nil {
		return resp, nil, err
	}
	body, err := io.ReadAll(&limitedReader{r: resp.Body, n: MaxResponseBytes})
	if err != nil {
		return nil, nil, err
	}
	return resp, body, nil
}

// check returns nil for a 200 answer, else the error it stands for. A 401
// or 403 to a request that carried a token (granted, and refreshed once by
// the transport) means the token does not cover the repository: Docker Hub
// answers so for a repository that does not exist (distribution/distribution#2376).
func (s *session) check(resp *http.Response) error {
	err := checkStatus(resp, http.StatusOK)
	if err == nil {
		return nil
	}
	if (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) && s.rt.usesToken() {
		return &DeniedError{Err: err}
	}
	return err
}

// do sends req with the session's credentials, following redirects (to
// blob storage, say) without them and never from HTTPS down to plain HTTP.
func (s *session) do(req *http.Request) (*http.Response, error) {
	return send(s.rt, req)
}

// send sends req through rt, following redirects as checkRedirect allows,
// with no URL query in an error.
func send(rt http.RoundTripper, req *http.Request) (*http.Response, error) {
	client := http.Client{Transport: rt, CheckRedirect: checkRedirect}
	resp, err := client.Do(req)
	return resp, redactURLError(err)
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return fmt.Errorf("%w: stopped after 10 redirects", errRedirect)
	}
	if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
		return fmt.Errorf("%w: from HTTPS to %s", errRedirect, redactURL(req.URL))
	}
	return nil
}

// redactURLError drops the query of the URL that an *url.Error quotes: a
// presigned blob URL carries its signature there (X-Amz-Signature).
func redactURLError(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	if u, perr := url.Parse(ue.URL); perr == nil {
		redacted := *ue
		redacted.URL = redactURL(u)
		return &redacted
	}
	return err
}

// redactURL returns u without user information and query.
func redactURL(u *url.URL) string {
	r := *u
	r.User = nil
	if r.RawQuery != "" {
		r.RawQuery = "…"
	}
	return r.String()
}
