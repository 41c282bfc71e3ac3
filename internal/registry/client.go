package registry

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sync"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/credentials"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/pushtime"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/runcache"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/transport"
)

// LogFunc receives the client's debug log: one line per HTTP request and
// per cache hit. Fields never hold credentials or headers.
type LogFunc = transport.LogFunc

// Credential is one registry's credentials (credentials.Credential).
type Credential = credentials.Credential

// Where credentials came from, as Error.Credentials names them; other
// sources are named by their file or credential helper.
const (
	SourceOptions     = credentials.SourceOptions
	SourceEnvironment = credentials.SourceEnvironment
	SourceAnonymous   = credentials.SourceAnonymous
)

// DefaultMaxConcurrentRequests is how many requests may be in flight to one
// registry at once when Options.MaxConcurrentRequests is 0.
const DefaultMaxConcurrentRequests = transport.DefaultMaxConcurrentRequests

// Options configure a Client.
type Options struct {
	// Auth holds credentials by registry host. They win over every other
	// source for their registry.
	Auth map[string]Credential
	// EnvAuth holds credentials by registry host read from the environment
	// (see credentials.FromEnv); they come after Auth.
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
	// APIs holds the push-time APIs of registry hosts, over the known
	// hosts' (pushtime.Known).
	APIs map[string]pushtime.API
}

// Client reads tag lists, digests and what the walk over candidates needs
// of their images. It is safe for concurrent use, and remembers what it
// has read for its whole life (one provider run): facts, not answers.
type Client struct {
	transport *transport.Transport
	keychain  *credentials.Keychain
	mirrors   map[string][]string
	log       LogFunc

	sessions  runcache.Map[*session]
	tags      runcache.Map[*TagList]
	facts     runcache.Map[*ImageFacts] // by host, tag and what was asked
	fallbacks runcache.Map[*ImageFacts] // by registry, tag and what was asked, from the registry or a mirror
	manifests runcache.Map[*manifestFacts]
	configs   runcache.Map[*configFacts]

	apis      map[string]pushtime.API // by canonical registry host
	readersMu sync.Mutex
	readers   map[string]pushtime.Reader // by registry host; nil for none
	pushed    runcache.Map[pushed]       // by repository and tag
	scoped    runcache.Map[scopedAuth]   // by repository and scope, for the APIs on the registry's host
}

// New builds a Client. ctx is the provider run's: what outlives one read
// (a cloud's token source) keeps its values, not its cancellation.
func New(ctx context.Context, o Options) (*Client, error) {
	insecure, err := hostsOption("Insecure", o.Insecure)
	if err != nil {
		return nil, err
	}
	if _, err := hostsOption("Auth", slices.Collect(maps.Keys(o.Auth))); err != nil {
		return nil, err
	}
	mirrors, err := mirrorOptions(o.Mirrors)
	if err != nil {
		return nil, err
	}
	apis, err := apiOptions(o.APIs)
	if err != nil {
		return nil, err
	}
	log := o.Log
	if log == nil {
		log = func(context.Context, string, map[string]any) {}
	}
	kc, err := credentials.New(ctx, credentials.Options{Auth: o.Auth, EnvAuth: o.EnvAuth, DockerConfigFile: o.DockerConfigFile, Log: log})
	if err != nil {
		if cfe, ok := err.(*credentials.ConfigFileError); ok { //nolint:errorlint // credentials.New returns it unwrapped
			return nil, &OptionError{Field: "DockerConfigFile", Err: cfe}
		}
		return nil, err
	}
	maxInFlight := o.MaxConcurrentRequests
	if maxInFlight <= 0 {
		maxInFlight = DefaultMaxConcurrentRequests
	}
	tr, err := transport.New(transport.Options{Insecure: insecure, CAFile: o.CAFile, MaxInFlight: maxInFlight, UserAgent: o.UserAgent, Log: log})
	if err != nil {
		return nil, &OptionError{Field: "CAFile", Err: err}
	}
	return &Client{transport: tr, keychain: kc, mirrors: mirrors, log: log, apis: apis, readers: map[string]pushtime.Reader{}}, nil
}

// apiOptions checks the APIs option and keys it by canonical host.
func apiOptions(in map[string]pushtime.API) (map[string]pushtime.API, error) {
	out := make(map[string]pushtime.API, len(in))
	for _, host := range slices.Sorted(maps.Keys(in)) {
		if err := names.CheckRegistryHost(host); err != nil {
			return nil, &OptionError{Field: "APIs", Err: err}
		}
		if err := in[host].CheckFor(names.CanonicalHost(host)); err != nil {
			return nil, &OptionError{Field: "APIs", Err: fmt.Errorf("[%q]: %w", host, err)}
		}
		canonical := names.CanonicalHost(host)
		if _, dup := out[canonical]; dup {
			return nil, &OptionError{Field: "APIs", Err: fmt.Errorf("two entries name the registry %s: keep one", canonical)}
		}
		out[canonical] = in[host]
	}
	return out, nil
}

// hostsOption checks the registry hosts of an option and returns them in
// canonical spelling.
func hostsOption(field string, hosts []string) ([]string, error) {
	out := make([]string, 0, len(hosts))
	for _, h := range hosts {
		if err := names.CheckRegistryHost(h); err != nil {
			return nil, &OptionError{Field: field, Err: err}
		}
		out = append(out, names.CanonicalHost(h))
	}
	return out, nil
}

// mirrorOptions checks the mirrors option and keys it by canonical host.
// Two keys that name one registry (docker.io and index.docker.io) are an
// error rather than an order left to chance.
func mirrorOptions(in map[string][]string) (map[string][]string, error) {
	out := make(map[string][]string, len(in))
	given := map[string]string{}
	for _, from := range slices.Sorted(maps.Keys(in)) {
		if err := names.CheckRegistryHost(from); err != nil {
			return nil, &OptionError{Field: "Mirrors", Err: err}
		}
		host := names.CanonicalHost(from)
		if other, dup := given[host]; dup {
			return nil, &OptionError{Field: "Mirrors", Err: fmt.Errorf("%q and %q name the same registry: merge their mirrors into one entry", other, from)}
		}
		given[host] = from
		for _, m := range in[from] {
			if err := names.CheckRegistryHost(m); err != nil {
				return nil, &OptionError{Field: "Mirrors", Err: fmt.Errorf("[%q]: %w", from, err)}
			}
			out[host] = append(out[host], names.CanonicalHost(m))
		}
	}
	return out, nil
}

// RateLimit is what a registry reported of its rate limit.
type RateLimit = transport.RateLimit

// LowRateLimits returns, once per registry, the rate limits that the
// registries repo is read from (the registry and its mirrors) reported to
// be nearly reached.
func (c *Client) LowRateLimits(repo names.Repository) []RateLimit {
	var out []RateLimit
	for _, on := range append([]names.Repository{repo}, c.mirrorsOf(repo)...) {
		if rl, ok := c.transport.Limits.Low(on.Registry); ok {
			out = append(out, rl)
		}
	}
	return out
}

// explain adds to a failed call's error where the credentials came from,
// when the registry refused them.
func (c *Client) explain(repo names.Repository, err error) error {
	e, ok := err.(*Error) //nolint:errorlint // only the outermost error is copied
	if !ok || (e.Status != http.StatusUnauthorized && e.Status != http.StatusForbidden) {
		return err
	}
	explained := *e
	explained.Credentials = c.keychain.Source(repo)
	return &explained
}

// fail wraps the error of a public method once (wrapError) and explains
// a refusal (explain).
func (c *Client) fail(op string, repo names.Repository, err error) error {
	if err == nil {
		return nil
	}
	return c.explain(repo, wrapError(op, repo, err))
}
