package registry

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// LogFunc receives the client's debug log: one line per HTTP request and
// per cache hit. Fields never hold credentials or headers.
type LogFunc func(ctx context.Context, msg string, fields map[string]any)

// Options configure a Client.
type Options struct {
	// Keychain resolves credentials per registry; nil means
	// authn.DefaultKeychain (Docker's config file and credential helpers).
	Keychain authn.Keychain
	// Insecure lists registry hosts (host or host:port) reached over plain
	// HTTP or with unverified TLS. Loopback hosts may use plain HTTP anyway.
	Insecure []string
	// UserAgent is sent with every request.
	UserAgent string
	// Log, when set, receives the request log.
	Log LogFunc
}

// Client reads tag lists and digests. It is safe for concurrent use, and
// remembers what it has read for its whole life (one provider run).
type Client struct {
	puller   *remote.Puller
	insecure map[string]bool
	log      LogFunc

	tags    memo[[]string]
	digests memo[string]
}

// New builds a Client.
func New(o Options) (*Client, error) {
	insecure := make(map[string]bool, len(o.Insecure))
	for _, h := range o.Insecure {
		if err := CheckRegistryHost(h); err != nil {
			return nil, fmt.Errorf("insecure_registries: %w", err)
		}
		insecure[canonicalHost(h)] = true
	}
	keychain := o.Keychain
	if keychain == nil {
		keychain = authn.DefaultKeychain
	}
	log := o.Log
	if log == nil {
		log = func(context.Context, string, map[string]any) {}
	}
	opts := []remote.Option{
		remote.WithAuthFromKeychain(keychain),
		remote.WithTransport(&logTransport{next: newHostTransport(insecure), log: log}),
		remote.WithPageSize(1000),
	}
	if o.UserAgent != "" {
		opts = append(opts, remote.WithUserAgent(o.UserAgent))
	}
	puller, err := remote.NewPuller(opts...)
	if err != nil {
		return nil, fmt.Errorf("cannot set up the registry client: %w", err)
	}
	return &Client{puller: puller, insecure: insecure, log: log}, nil
}

// repository turns an Image into go-containerregistry's name, marking hosts
// listed as insecure so that plain HTTP may be used for them.
func (c *Client) repository(img Image) (name.Repository, error) {
	var opts []name.Option
	if c.insecure[canonicalHost(img.Registry)] {
		opts = append(opts, name.Insecure)
	}
	repo, err := name.NewRepository(img.Registry+"/"+img.Repository, opts...)
	if err != nil {
		return name.Repository{}, wrapError("parse the name", img, err)
	}
	return repo, nil
}

// canonicalHost folds Docker Hub's aliases into one host name.
func canonicalHost(h string) string {
	h = strings.ToLower(h)
	switch h {
	case "docker.io", "index.docker.io", "registry-1.docker.io":
		return DockerHub
	}
	return h
}

// newHostTransport returns the HTTP transport: proxies from the environment,
// keep-alive, and TLS verification skipped only for hosts listed as insecure.
func newHostTransport(insecure map[string]bool) http.RoundTripper {
	base := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   30 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
	}
	if len(insecure) == 0 {
		return base
	}
	unverified := base.Clone()
	unverified.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: true} //nolint:gosec // only for hosts the user listed in insecure_registries
	return &hostTransport{verified: base, unverified: unverified, insecure: insecure}
}

type hostTransport struct {
	verified, unverified http.RoundTripper
	insecure             map[string]bool
}

func (t *hostTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.insecure[canonicalHost(req.URL.Host)] {
		return t.unverified.RoundTrip(req)
	}
	return t.verified.RoundTrip(req)
}

// logTransport logs each request's method, host, path, status and duration.
// It never logs headers, so credentials and tokens stay out of the log; the
// token endpoint's query (service and scope) is dropped as well.
type logTransport struct {
	next http.RoundTripper
	log  LogFunc
}

func (t *logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	fields := map[string]any{
		"method":      req.Method,
		"host":        req.URL.Host,
		"path":        req.URL.Path,
		"duration_ms": time.Since(start).Milliseconds(),
	}
	if err != nil {
		fields["error"] = err.Error()
		t.log(req.Context(), "registry request failed", fields)
		return resp, err
	}
	fields["status"] = resp.StatusCode
	t.log(req.Context(), "registry request", fields)
	return resp, nil
}
