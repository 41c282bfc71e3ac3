package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// Pinged is what GET /v2/ told of a registry: the scheme it answered on,
// and the challenge it sent (scheme "" when it let anonymous requests in).
type Pinged struct {
	// Scheme is "https", or "http" for a host that may use it and has no
	// HTTPS.
	Scheme    string
	challenge challenge
}

// AsksForCredentials reports whether the registry sent a challenge.
func (p Pinged) AsksForCredentials() bool { return p.challenge.scheme != "" }

// Ping asks a registry's /v2/ how to authenticate, once per registry and
// provider run. It uses HTTPS; a host that may use plain HTTP (loopback, or
// listed as insecure) gets plain HTTP only when no HTTPS connection can be
// made at all, never after an HTTPS answer and never when only the
// certificate failed, so that credentials never travel in clear text to a
// host that speaks HTTPS. host is the registry's canonical host.
func (t *Transport) Ping(ctx context.Context, host string) (Pinged, error) {
	p, _, err := t.pings.Get(ctx, host, func(ctx context.Context) (Pinged, error) {
		p, err := t.pingScheme(ctx, host, "https")
		if err != nil && t.Insecure.MayUseHTTP(host) && ctx.Err() == nil && noHTTPSConnection(err) {
			t.log(ctx, "no HTTPS connection; trying plain HTTP", map[string]any{"registry": host, "error": err.Error()})
			return t.pingScheme(ctx, host, "http")
		}
		return p, err
	})
	return p, err
}

func (t *Transport) pingScheme(ctx context.Context, host, scheme string) (Pinged, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, scheme+"://"+names.APIHost(host)+"/v2/", nil)
	if err != nil {
		return Pinged{}, err
	}
	resp, err := Send(t, req)
	if err != nil {
		return Pinged{}, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return Pinged{Scheme: scheme}, nil
	case http.StatusUnauthorized:
		ch, ok := pickChallenge(parseChallenges(resp.Header.Values("WWW-Authenticate")))
		if !ok {
			return Pinged{}, fmt.Errorf("the registry asks for authentication (HTTP 401) with a challenge the client cannot answer (%q): it speaks neither Bearer tokens nor Basic auth", Clean(resp.Header.Get("WWW-Authenticate")))
		}
		return Pinged{Scheme: scheme, challenge: ch}, nil
	}
	return Pinged{}, CheckStatus(resp, http.StatusOK)
}

// noHTTPSConnection reports whether err means that no HTTPS connection
// could be made: nothing accepted a connection on the HTTPS port, or what
// answered there speaks plain HTTP, not TLS. Anything else (an HTTPS
// answer, a certificate that failed verification, a connection dropped
// mid-answer) is not a reason to try plain HTTP.
func noHTTPSConnection(err error) bool {
	var (
		record tls.RecordHeaderError
		op     *net.OpError
		dns    *net.DNSError
	)
	switch {
	case errors.As(err, &record), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return true
	case errors.As(err, &dns):
		return false // plain HTTP would not find the host either
	case errors.As(err, &op):
		return op.Op == "dial"
	}
	return false
}
