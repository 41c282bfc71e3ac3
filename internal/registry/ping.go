package registry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
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
		if err != nil && c.mayUseHTTP(host) && ctx.Err() == nil && noHTTPSConnection(err) {
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
	resp, err := (&http.Client{Transport: c.http, CheckRedirect: checkRedirect}).Do(req)
	if err != nil {
		return pinged{}, redactURLError(err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return pinged{scheme: scheme}, nil
	case http.StatusUnauthorized:
		ch, ok := pickChallenge(parseChallenges(resp.Header.Values("WWW-Authenticate")))
		if !ok {
			return pinged{}, fmt.Errorf("the registry asks for authentication (HTTP 401) with a challenge the provider cannot answer (%q): it speaks neither Bearer tokens nor Basic auth", shorten(resp.Header.Get("WWW-Authenticate")))
		}
		return pinged{scheme: scheme, challenge: ch}, nil
	}
	return pinged{}, checkStatus(resp, http.StatusOK)
}

// mayUseHTTP reports whether host may be reached over plain HTTP.
func (c *Client) mayUseHTTP(host string) bool {
	return c.insecure[CanonicalHost(host)] || IsLoopback(host)
}

// noHTTPSConnection reports whether err means that no HTTPS connection
// could be made (nothing answered TLS), as opposed to an HTTPS answer or a
// certificate that failed verification.
func noHTTPSConnection(err error) bool {
	var (
		status    *StatusError
		unknownCA x509.UnknownAuthorityError
		invalid   x509.CertificateInvalidError
		hostname  x509.HostnameError
		verify    *tls.CertificateVerificationError
	)
	return !errors.As(err, &status) && !errors.As(err, &unknownCA) && !errors.As(err, &invalid) &&
		!errors.As(err, &hostname) && !errors.As(err, &verify)
}
