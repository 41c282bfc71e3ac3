package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// authTransport answers one repository's authentication challenges. It
// sends no credentials until the registry asks for them (its ping, or a
// 401 with a challenge), then Basic credentials, or a bearer token for the
// repository's pull scope, and only to the registry's own host, so that a
// redirect to blob storage carries none. A 401 or 403 with a token gets one
// new token and one more try; concurrent requests that meet an expired
// token share a single token request.
type authTransport struct {
	next   http.RoundTripper
	host   string // the registry host, as in request URLs
	scheme string // the scheme the registry answered its ping on
	auth   authn.Authenticator
	scope  string

	refreshing sync.Mutex // held for a token request, so that there is one at a time

	mu        sync.Mutex // guards what follows
	challenge challenge
	token     string
	gen       uint64 // counts credential changes
}

var _ http.RoundTripper = (*authTransport)(nil)

func newAuthTransport(next http.RoundTripper, host string, p pinged, auth authn.Authenticator, scope string) *authTransport {
	return &authTransport{next: next, host: host, scheme: p.scheme, auth: auth, scope: scope, challenge: p.challenge}
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !sameHost(req.URL, t.host, t.scheme) {
		return t.next.RoundTrip(req)
	}
	resp, gen, err := t.send(req)
	if err != nil || (resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden) {
		return resp, err
	}
	if !t.adopt(resp, gen) {
		return resp, nil
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	_ = resp.Body.Close()
	if err := t.refresh(req.Context(), gen); err != nil {
		return nil, err
	}
	resp, _, err = t.send(req)
	return resp, err
}

// usesToken reports whether requests carry a bearer token.
func (t *authTransport) usesToken() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.challenge.scheme == "bearer"
}

// send sends a copy of req with the credentials of the moment, and says
// which generation of credentials it carried.
func (t *authTransport) send(req *http.Request) (*http.Response, uint64, error) {
	out := req.Clone(req.Context())
	t.mu.Lock()
	ch, token, gen := t.challenge, t.token, t.gen
	t.mu.Unlock()
	switch ch.scheme {
	case "bearer":
		if token != "" {
			out.Header.Set("Authorization", "Bearer "+token)
		}
	case "basic":
		cfg, err := authn.Authorization(req.Context(), t.auth)
		if err != nil {
			return nil, gen, err
		}
		if cfg.Username != "" || cfg.Password != "" {
			out.SetBasicAuth(cfg.Username, cfg.Password)
		}
	}
	resp, err := t.next.RoundTrip(out)
	return resp, gen, err
}

// adopt decides whether a refused request (401 or 403) is worth one more
// try: when it carried a token (which may have expired), or when the
// registry now asks for credentials that the request did not carry. It
// takes up the registry's new challenge.
func (t *authTransport) adopt(resp *http.Response, gen uint64) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.challenge.scheme == "bearer" {
		return true
	}
	if resp.StatusCode != http.StatusUnauthorized || t.challenge.scheme != "" || t.gen != gen {
		return t.gen != gen // someone else changed the credentials since: try those
	}
	ch, ok := pickChallenge(parseChallenges(resp.Header.Values("WWW-Authenticate")))
	if !ok {
		return false
	}
	t.challenge = ch
	if ch.scheme == "basic" {
		t.gen++ // Basic needs no token: the credentials are ready now
	}
	return true
}

// refresh gets new credentials unless they changed since generation gen:
// for a bearer challenge, a token from the token server.
func (t *authTransport) refresh(ctx context.Context, gen uint64) error {
	t.refreshing.Lock()
	defer t.refreshing.Unlock()
	t.mu.Lock()
	ch, current := t.challenge, t.gen
	t.mu.Unlock()
	if current != gen {
		return nil // another request refreshed them meanwhile
	}
	token := ""
	if ch.scheme == "bearer" {
		var err error
		if token, err = t.exchange(ctx, ch); err != nil {
			return err
		}
	}
	t.mu.Lock()
	t.token = token
	t.gen++
	t.mu.Unlock()
	return nil
}

// exchange asks the challenge's token server for a token for the
// repository's scope, built from the repository read rather than taken
// from the challenge, as GHCR's /v2/ challenge carries a placeholder scope
// (renovatebot/renovate#15686).
func (t *authTransport) exchange(ctx context.Context, ch challenge) (string, error) {
	var opts []name.Option
	if t.scheme == "http" {
		opts = append(opts, name.Insecure)
	}
	reg, err := name.NewRegistry(t.host, opts...)
	if err != nil {
		return "", err
	}
	pr := &transport.Challenge{Scheme: "bearer", Parameters: ch.params, Insecure: t.scheme == "http"}
	tok, err := transport.Exchange(ctx, reg, t.auth, t.next, []string{t.scope}, pr)
	if err != nil {
		return "", &TokenError{Scope: t.scope, Err: tokenError(err)}
	}
	// Some token servers answer with access_token only (regclient
	// internal/auth/auth.go).
	if tok.Token == "" {
		tok.Token = tok.AccessToken
	}
	return tok.Token, nil
}

// tokenError rewrites what go-containerregistry says of a failed token
// request so that it never quotes the token server's answer, which may
// hold refresh tokens.
func tokenError(err error) error {
	var te *transport.Error
	if errors.As(err, &te) {
		se := &StatusError{Status: te.StatusCode}
		var parts []string
		for _, d := range te.Errors {
			se.Codes = append(se.Codes, string(d.Code))
			parts = append(parts, strings.TrimPrefix(strings.TrimSpace(string(d.Code)+": "+d.Message), ": "))
		}
		se.Message = shorten(strings.Join(parts, "; "))
		return se
	}
	if strings.HasPrefix(err.Error(), "no token in bearer response") {
		return errors.New("the token server's answer holds no token")
	}
	return redactURLError(err)
}

// TokenError is a failed request to a registry's token server.
type TokenError struct {
	Scope string
	Err   error
}

func (e *TokenError) Error() string {
	return fmt.Sprintf("cannot get a token for %s: %v", e.Scope, e.Err)
}

func (e *TokenError) Unwrap() error { return e.Err }
