package transport

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// rootCAs returns the system's certificate pool plus the CAs in caFile, or
// nil (the system's pool) when caFile is empty.
func rootCAs(caFile string) (*x509.CertPool, error) {
	if caFile == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(caFile) //nolint:gosec // the CA file the user named
	if err != nil {
		return nil, &CAFileError{Err: fmt.Errorf("cannot read the CA file %s: %w", caFile, err)}
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, &CAFileError{Err: fmt.Errorf("%s holds no PEM certificate: give a file of one or more \"-----BEGIN CERTIFICATE-----\" blocks", caFile)}
	}
	return pool, nil
}

// newHostTransport returns the HTTP transport: proxies from the environment,
// keep-alive, the extra CAs, TLS verification skipped only for hosts listed
// as insecure, and plain HTTP refused to any host that is neither loopback
// nor listed.
func newHostTransport(insecure InsecureHosts, roots *x509.CertPool) http.RoundTripper {
	base := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   30 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:   true,
		MaxIdleConns:        100,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
		// A hostile header cannot make the client parse megabytes.
		MaxResponseHeaderBytes: maxHeaderBytes,
		ExpectContinueTimeout:  1 * time.Second,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: roots},
	}
	unverified := base.Clone()
	unverified.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: true} //nolint:gosec // only for hosts listed in Options.Insecure
	return &hostTransport{verified: base, unverified: unverified, insecure: insecure}
}

// maxHeaderBytes bounds the response headers the client reads.
const maxHeaderBytes = 64 << 10

var _ http.RoundTripper = (*hostTransport)(nil)

type hostTransport struct {
	verified, unverified http.RoundTripper
	insecure             InsecureHosts
}

// InsecureHosts are the hosts listed as insecure, in canonical spelling.
type InsecureHosts map[string]bool

// listed reports whether host is listed as insecure.
func (h InsecureHosts) listed(host string) bool { return h[names.CanonicalHost(host)] }

// MayUseHTTP reports whether host may be reached over plain HTTP: it is
// listed as insecure, or loopback.
func (h InsecureHosts) MayUseHTTP(host string) bool { return h.listed(host) || names.IsLoopback(host) }

// CAFileError is a CA file that cannot be used.
type CAFileError struct{ Err error }

func (e *CAFileError) Error() string { return e.Err.Error() }

func (e *CAFileError) Unwrap() error { return e.Err }

func (t *hostTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	listed := t.insecure.listed(req.URL.Host)
	if req.URL.Scheme == "http" && !t.insecure.MayUseHTTP(req.URL.Host) {
		return nil, fmt.Errorf("%w to %s: only loopback hosts and hosts listed as insecure may be reached over plain HTTP", ErrPlainHTTP, req.URL.Host)
	}
	if listed {
		return t.unverified.RoundTrip(req)
	}
	return t.verified.RoundTrip(req)
}
