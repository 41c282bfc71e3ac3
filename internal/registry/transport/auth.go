package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	ggcrtransport "github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// Auth answers one repository's authentication challenges. It
// sends no credentials until the registry asks for them (its ping, or a
// 401 with a challenge), then Basic credentials, or a bearer token for the
// repository's pull scope, and only to the registry's own host, so that a
// redirect to blob storage carries none. A 401 or 403 with a token gets one
// new token and one more try; concurrent requests that meet an expired
// token share a single token request.
type Auth struct {
	next   http.RoundTripper
	host   string // the registry's API host, as in request URLs
	scheme string // the scheme the registry answered its ping on
	addr   string // the canonical address of the two (canonicalAddress)
	scope  string
	// creds returns the repository's credentials; they are looked up only
	// once a challenge asks for them.
	creds func(context.Context) (authn.Authenticator, error)

	refreshing chan struct{} // holds a token for the one refresh at a time

	mu        sync.Mutex // guards what follows
	challenge challenge
	token     string
	gen       uint64 // counts credential changes
}

var _ http.RoundTripper = (*Auth)(nil)

// NewAuth returns the transport of one repository's requests: next, with
// the credentials creds returns for the pull scope, for the registry host
// (canonical spelling) that p is the ping of.
func NewAuth(next http.RoundTripper, host string, p Pinged, scope string, creds func(context.Context) (authn.Authenticator, error)) *Auth {
	host = names.APIHost(host)
	return &Auth{next: next, host: host, scheme: p.Scheme, addr: names.CanonicalAddress(&url.URL{Scheme: p.Scheme, Host: host}),
		scope: scope, creds: creds, challenge: p.challenge, refreshing: make(chan struct{}, 1)}
}

func (t *Auth) RoundTrip(req *http.Request) (*http.Response, error) {
	if names.CanonicalAddress(req.URL) != t.addr {
		return t.next.RoundTrip(req)
	}
	resp, sent, gen, err := t.send(req)
	if err != nil || (resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden) {
		return resp, err
	}
	if !t.adopt(resp, sent) {
		return resp, nil
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, MaxErrorBody))
	_ = resp.Body.Close()
	if err := t.Refresh(req.Context(), gen); err != nil {
		return nil, err
	}
	resp, _, _, err = t.send(req)
	return resp, err
}

// UsesToken reports whether requests carry a bearer token.
func (t *Auth) UsesToken() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.challenge.scheme == "bearer"
}

// send sends a copy of req with the credentials of the moment, and says
// which scheme and generation of credentials it carried.
func (t *Auth) send(req *http.Request) (*http.Response, string, uint64, error) {
	out := req.Clone(req.Context())
	t.mu.Lock()
	scheme, token, gen := t.challenge.scheme, t.token, t.gen
	t.mu.Unlock()
	switch scheme {
	case "bearer":
		if token != "" {
			out.Header.Set("Authorization", "Bearer "+token)
		}
	case "basic":
		auth, err := t.creds(req.Context())
		if err != nil {
			return nil, scheme, gen, err
		}
		cfg, err := authn.Authorization(req.Context(), auth)
		if err != nil {
			return nil, scheme, gen, err
		}
		if cfg.Username != "" || cfg.Password != "" {
			out.SetBasicAuth(cfg.Username, cfg.Password)
		}
	}
	resp, err := t.next.RoundTrip(out)
	return resp, scheme, gen, err
}

// adopt decides whether a refused request (401 or 403) is worth one more
// try: one that carried a token (which may have expired), or one sent
// without credentials that the registry now asks for. It takes up the
// registry's challenge.
func (t *Auth) adopt(resp *http.Response, sent string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.challenge.scheme == "bearer":
		return true
	case sent != "":
		return false // Basic credentials were refused
	case t.challenge.scheme != "":
		return true // another request took up the challenge meanwhile
	case resp.StatusCode != http.StatusUnauthorized:
		return false
	}
	ch, ok := pickChallenge(parseChallenges(resp.Header.Values("WWW-Authenticate")))
	if ok {
		t.challenge = ch
	}
	return ok
}

// Refresh gets new credentials unless they changed since generation gen:
// the repository's credentials, and for a bearer challenge a token from
// the token server. It waits for another refresh no longer than ctx allows.
func (t *Auth) Refresh(ctx context.Context, gen uint64) error {
	select {
	case t.refreshing <- struct{}{}:
		defer func() { <-t.refreshing }()
	case <-ctx.Done():
		return ctx.Err()
	}
	t.mu.Lock()
	ch, current := t.challenge, t.gen
	t.mu.Unlock()
	if current != gen {
		return nil // another request refreshed them meanwhile
	}
	auth, err := t.creds(ctx)
	if err != nil {
		return err
	}
	token := ""
	if ch.scheme == "bearer" {
		if token, err = t.exchange(ctx, ch, auth); err != nil {
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
func (t *Auth) exchange(ctx context.Context, ch challenge, auth authn.Authenticator) (string, error) {
	var opts []name.Option
	if t.scheme == "http" {
		opts = append(opts, name.Insecure)
	}
	reg, err := name.NewRegistry(t.host, opts...)
	if err != nil {
		return "", err
	}
	pr := &ggcrtransport.Challenge{Scheme: "bearer", Parameters: ch.params, Insecure: t.scheme == "http"}
	tok, err := ggcrtransport.Exchange(ctx, reg, auth, t.next, []string{t.scope}, pr)
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
	var te *ggcrtransport.Error
	if errors.As(err, &te) {
		var body registryErrors
		for _, d := range te.Errors {
			body.Errors = append(body.Errors, registryError{Code: string(d.Code), Message: d.Message})
		}
		return body.statusError(te.StatusCode)
	}
	if strings.HasPrefix(err.Error(), "no token in bearer response") {
		return errors.New("the token server's answer holds no token")
	}
	return redactURLError(err)
}
