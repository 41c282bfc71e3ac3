package transport

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// Send sends req through rt, following redirects as checkRedirect allows,
// with no URL query in an error.
func Send(rt http.RoundTripper, req *http.Request) (*http.Response, error) {
	client := http.Client{Transport: rt, CheckRedirect: checkRedirect}
	resp, err := client.Do(req) //nolint:gosec // the registry the user named, through the host rules of host.go
	return resp, redactURLError(err)
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return fmt.Errorf("%w: stopped after 10 redirects", errRedirect)
	}
	if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
		return fmt.Errorf("%w: from HTTPS to %s", errRedirect, RedactURL(req.URL))
	}
	// A 307 or 308 re-sends a request's body, and Go drops only the
	// Authorization header across hosts: a body that holds a secret (a Hub
	// login) must not follow to another host.
	if req.Method != http.MethodGet && req.Method != http.MethodHead && req.URL.Host != via[0].URL.Host {
		return fmt.Errorf("%w: a %s to another host (%s)", errRedirect, req.Method, RedactURL(req.URL))
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
		redacted.URL = RedactURL(u)
		return &redacted
	}
	return err
}

// RedactURL returns u without user information and query.
func RedactURL(u *url.URL) string {
	r := *u
	r.User = nil
	if r.RawQuery != "" {
		r.RawQuery = "…"
	}
	return r.String()
}
