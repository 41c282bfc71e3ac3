package registry

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"

	v1 "github.com/google/go-containerregistry/pkg/v1"
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
	insecure insecureHosts
	mirrors  map[string][]string
	log      LogFunc

	pings     memo[pinged]
	sessions  memo[*session]
	tags      memo[*TagList]
	digests   memo[*ManifestDigest]
	manifests memo[*manifest]
	configs   memo[*v1.ConfigFile]
}

// New builds a Client.
func New(o Options) (*Client, error) {
	insecure := make(insecureHosts, len(o.Insecure))
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
	var rt http.RoundTripper = newLogTransport(newHostTransport(insecure, roots), log)
	rt = newLimitTransport(rt, maxInFlight)
	rt = newRetryTransport(rt, log, limits)
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
