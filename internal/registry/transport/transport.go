package transport

import (
	"context"
	"net/http"

	ggcrtransport "github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/runcache"
)

// LogFunc receives the transport's debug log: one line per HTTP request
// and per retry. Fields never hold credentials or headers.
type LogFunc func(ctx context.Context, msg string, fields map[string]any)

// Options configure the transport.
type Options struct {
	// Insecure lists registry hosts reached over plain HTTP or with
	// unverified TLS, in canonical spelling (names.CanonicalHost).
	Insecure []string
	// CAFile is a PEM bundle of extra certificate authorities to trust.
	CAFile string
	// MaxInFlight bounds the requests in flight to one registry.
	MaxInFlight int
	// UserAgent is sent with every request.
	UserAgent string
	// Log receives the request log; it must not be nil.
	Log LogFunc
}

// Transport is the client's way to registries, as a stack of round
// trippers, each in its own file, from the outermost: the user agent,
// retries (retry.go), the bound on requests in flight per registry
// (limit.go), the request log (log.go), and the host rules: proxies, TLS,
// plain HTTP only where allowed (host.go). A session adds its
// repository's credentials on top (auth.go).
type Transport struct {
	http.RoundTripper
	// Insecure holds the hosts listed as insecure.
	Insecure InsecureHosts
	// Limits holds the rate limits registries reported.
	Limits *RateLimits
	log    LogFunc
	pings  runcache.Map[Pinged]
}

// New builds the transport.
func New(o Options) (*Transport, error) {
	insecure := make(InsecureHosts, len(o.Insecure))
	for _, h := range o.Insecure {
		insecure[names.CanonicalHost(h)] = true
	}
	roots, err := rootCAs(o.CAFile)
	if err != nil {
		return nil, err
	}
	limits := &RateLimits{}
	var rt http.RoundTripper = newLogTransport(newHostTransport(insecure, roots), o.Log)
	rt = newLimitTransport(rt, o.MaxInFlight)
	rt = newRetryTransport(rt, o.Log, limits)
	rt = ggcrtransport.NewUserAgent(rt, o.UserAgent)
	return &Transport{RoundTripper: rt, Insecure: insecure, Limits: limits, log: o.Log}, nil
}
