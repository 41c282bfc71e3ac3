package registry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// LogFunc receives the client's debug log: one line per HTTP request and
// per cache hit. Fields never hold credentials or headers.
type LogFunc func(ctx context.Context, msg string, fields map[string]any)

// Options configure a Client.
type Options struct {
	// Auth holds credentials by registry host. They win over every other
	// source for their registry.
	Auth map[string]Credential
	// EnvAuth holds credentials by registry host read from the environment
	// (see CredentialsFromEnv); they come after Auth.
	EnvAuth map[string]Credential
	// DockerConfigFile is a Docker config file to read instead of the
	// default ($DOCKER_CONFIG/config.json, then ~/.docker/config.json).
	DockerConfigFile string
	// Insecure lists registry hosts (host or host:port) reached over plain
	// HTTP or with unverified TLS. Loopback hosts may use plain HTTP anyway;
	// every other host gets HTTPS with verified certificates.
	Insecure []string
	// CAFile is a PEM bundle of extra certificate authorities to trust.
	CAFile string
	// Mirrors maps a registry host to mirror hosts, asked in order only
	// when the registry itself cannot answer.
	Mirrors map[string][]string
	// MaxConcurrentRequests bounds the requests in flight to one registry;
	// 0 means DefaultMaxConcurrentRequests.
	MaxConcurrentRequests int
	// UserAgent is sent with every request.
	UserAgent string
	// Log, when set, receives the request log.
	Log LogFunc
}

// Client reads tag lists and digests. It is safe for concurrent use, and
// remembers what it has read for its whole life (one provider run).
type Client struct {
	http     http.RoundTripper
	keychain *keychain
	limits   *rateLimits
	insecure map[string]bool
	mirrors  map[string][]string
	log      LogFunc

	pings    memo[pinged]
	sessions memo[*session]
	tags     memo[*TagList]
	digests  memo[*ManifestDigest]
}

// New builds a Client.
func New(o Options) (*Client, error) {
	insecure := make(map[string]bool, len(o.Insecure))
	for _, h := range o.Insecure {
		if err := CheckRegistryHost(h); err != nil {
			return nil, &OptionError{Field: "Insecure", Err: err}
		}
		insecure[CanonicalHost(h)] = true
	}
	mirrors, err := mirrorOptions(o.Mirrors)
	if err != nil {
		return nil, err
	}
	log := o.Log
	if log == nil {
		log = func(context.Context, string, map[string]any) {}
	}
	kc, err := newKeychain(o, log)
	if err != nil {
		return nil, err
	}
	roots, err := rootCAs(o.CAFile)
	if err != nil {
		return nil, err
	}
	maxInFlight := o.MaxConcurrentRequests
	if maxInFlight <= 0 {
		maxInFlight = DefaultMaxConcurrentRequests
	}
	limits := &rateLimits{}
	var rt http.RoundTripper = &logTransport{next: newHostTransport(insecure, roots), log: log}
	rt = &limitTransport{next: rt, max: maxInFlight}
	rt = &retryTransport{next: rt, log: log, limits: limits, sleep: sleepContext}
	rt = transport.NewUserAgent(rt, o.UserAgent)
	return &Client{http: rt, keychain: kc, limits: limits, insecure: insecure, mirrors: mirrors, log: log}, nil
}

// mirrorOptions checks the mirrors option and keys it by canonical host.
// Two keys that name one registry (docker.io and index.docker.io) are an
// error rather than an order left to chance.
func mirrorOptions(in map[string][]string) (map[string][]string, error) {
	out := make(map[string][]string, len(in))
	given := map[string]string{}
	for _, from := range slices.Sorted(maps.Keys(in)) {
		if err := CheckRegistryHost(from); err != nil {
			return nil, &OptionError{Field: "Mirrors", Err: err}
		}
		host := CanonicalHost(from)
		if other, dup := given[host]; dup {
			return nil, &OptionError{Field: "Mirrors", Err: fmt.Errorf("%q and %q name the same registry: merge their mirrors into one entry", other, from)}
		}
		given[host] = from
		for _, m := range in[from] {
			if err := CheckRegistryHost(m); err != nil {
				return nil, &OptionError{Field: "Mirrors", Err: fmt.Errorf("[%q]: %w", from, err)}
			}
			out[host] = append(out[host], CanonicalHost(m))
		}
	}
	return out, nil
}

// LowRateLimits returns, once per registry, the rate limits that the
// registries img is read from (the registry and its mirrors) reported to be
// nearly reached.
func (c *Client) LowRateLimits(img Image) []RateLimit {
	var out []RateLimit
	for _, on := range append([]Image{img}, c.mirrorsOf(img)...) {
		if rl, ok := c.limits.low(on.Registry); ok {
			out = append(out, rl)
		}
	}
	return out
}

// explain adds to a failed call's error where the credentials came from,
// when the registry refused them.
func (c *Client) explain(img Image, err error) error {
	e, ok := err.(*Error) //nolint:errorlint // only the outermost error is copied
	if !ok || (e.Status != http.StatusUnauthorized && e.Status != http.StatusForbidden) {
		return err
	}
	explained := *e
	explained.Credentials = c.keychain.source(img)
	return &explained
}

// newKeychain gathers every credential source the options and the
// environment give.
func newKeychain(o Options, log LogFunc) (*keychain, error) {
	explicit := make(map[string]Credential, len(o.Auth))
	for host, c := range o.Auth {
		if err := CheckRegistryHost(host); err != nil {
			return nil, &OptionError{Field: "Auth", Err: err}
		}
		explicit[CanonicalHost(host)] = c
	}
	env := make(map[string]Credential, len(o.EnvAuth))
	for host, c := range o.EnvAuth {
		env[CanonicalHost(host)] = c
	}
	var configs []*DockerConfig
	fromEnv, err := DockerConfigFromEnv()
	if err != nil {
		return nil, err
	}
	if fromEnv != nil {
		configs = append(configs, fromEnv)
	}
	file, err := LoadDockerConfig(o.DockerConfigFile)
	if err != nil {
		return nil, err
	}
	if file != nil {
		configs = append(configs, file)
	}
	return &keychain{explicit: explicit, env: env, configs: configs, log: log}, nil
}

// rootCAs returns the system's certificate pool plus the CAs in caFile, or
// nil (the system's pool) when caFile is empty.
func rootCAs(caFile string) (*x509.CertPool, error) {
	if caFile == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(caFile) //nolint:gosec // the CA file the user named
	if err != nil {
		return nil, &OptionError{Field: "CAFile", Err: fmt.Errorf("cannot read the CA file %s: %w", caFile, err)}
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, &OptionError{Field: "CAFile", Err: fmt.Errorf("%s holds no PEM certificate: give a file of one or more \"-----BEGIN CERTIFICATE-----\" blocks", caFile)}
	}
	return pool, nil
}

// newHostTransport returns the HTTP transport: proxies from the environment,
// keep-alive, the extra CAs, TLS verification skipped only for hosts listed
// as insecure, and plain HTTP refused to any host that is neither loopback
// nor listed.
func newHostTransport(insecure map[string]bool, roots *x509.CertPool) http.RoundTripper {
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

// ErrPlainHTTP is returned for a plain-HTTP request to a host that may not
// have one.
var ErrPlainHTTP = errors.New("plain HTTP refused")

type hostTransport struct {
	verified, unverified http.RoundTripper
	insecure             map[string]bool
}

func (t *hostTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	listed := t.insecure[CanonicalHost(req.URL.Host)]
	if req.URL.Scheme == "http" && !listed && !IsLoopback(req.URL.Host) {
		return nil, fmt.Errorf("%w to %s: only loopback hosts and hosts listed as insecure may be reached over plain HTTP", ErrPlainHTTP, req.URL.Host)
	}
	if listed {
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
