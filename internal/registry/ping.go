package registry

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// pinged is what GET /v2/ told of a registry: the scheme it answered on,
// and the challenge it sent (scheme "" when it let anonymous requests in).
type pinged struct {
	scheme    string
	challenge challenge
}

// ping asks a registry's /v2/ how to authenticate, once per registry and
// provider run. It uses HTTPS; a host that may use plain HTTP (loopback, or
// listed as insecure) gets plain HTTP only when no HTTPS connection can be
// made at all, never after an HTTPS answer and never when only the
// certificate failed, so that credentials never travel in clear text to a
// host that speaks HTTPS.
func (c *Client) ping(ctx context.Context, host string) (pinged, error) {
	p, _, err := c.pings.get(ctx, host, func(ctx context.Context) (pinged, error) {
		p, err := c.pingScheme(ctx, host, "https")
		if err != nil && c.insecure.mayUseHTTP(host) && ctx.Err() == nil && noHTTPSConnection(err) {
			c.log(ctx, "no HTTPS connection; trying plain HTTP", map[string]any{"registry": host, "error": err.Error()})
			return c.pingScheme(ctx, host, "http")
		}
		return p, err
	})
	return p, err
}

func (c *Client) pingScheme(ctx context.Context, host, scheme string) (pinged, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, scheme+"://"+host+"/v2/", nil)
	if err != nil {
		return pinged{}, err
	}
	resp, err := send(c.http, req)
	if err != nil {
		return pinged{}, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return pinged{scheme: scheme}, nil
	case http.StatusUnauthorized:
		ch, ok := pickChallenge(parseChallenges(resp.Header.Values("WWW-Authenticate")))
		if !ok {
			return pinged{}, fmt.Errorf("the registry asks for authentication (HTTP 401) with a challenge the client cannot answer (%q): it speaks neither Bearer tokens nor Basic auth", shorten(resp.Header.Get("WWW-Authenticate")))
		}
		return pinged{scheme: scheme, challenge: ch}, nil
	}
	return pinged{}, checkStatus(resp, http.StatusOK)
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
