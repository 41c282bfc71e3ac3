package registrytest

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// userAgent marks the helper's own requests (pushes, retags) so that
// [RequestCounts] leaves them out.
const userAgent = "registrytest"

// Registry is a registry listening on loopback for the length of one test.
type Registry struct {
	// Host is the registry's address as it goes in an image name,
	// "127.0.0.1:<port>".
	Host string

	// CAFile is the path of a PEM file with the CA that signed the
	// registry's certificate (and its token server's), for the provider's
	// ca_file. It is empty unless the registry serves TLS ([WithTLS]).
	CAFile string

	// CertPool trusts that CA; nil unless the registry serves TLS.
	CertPool *x509.CertPool

	// Username and Password are credentials the registry accepts
	// ([WithBasicAuth], or the first user in sorted order of
	// [WithTokenAuth]); empty for a registry without auth.
	Username, Password string

	// Token is the token server that hands out the registry's bearer
	// tokens ([WithTokenAuth]); nil otherwise.
	Token *TokenServer

	// Requests counts the requests the registry served, by kind. Only the
	// in-process registry counts; it is nil for distribution.
	Requests *RequestCounts

	transport *http.Transport
}

// URL returns the registry's base URL, "http://127.0.0.1:<port>" or
// "https://127.0.0.1:<port>".
func (r *Registry) URL() string {
	if r.CertPool != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// Transport returns an HTTP transport that trusts the registry's CA (and so
// its token server's certificate too). It is shared by every caller and must
// not be modified; clone it to change it.
func (r *Registry) Transport() http.RoundTripper {
	return r.transport
}

// Auth returns the registry's credentials as a go-containerregistry
// authenticator: [authn.Anonymous] for a registry without auth.
func (r *Registry) Auth() authn.Authenticator {
	if r.Username == "" {
		return authn.Anonymous
	}
	return &authn.Basic{Username: r.Username, Password: r.Password}
}

// RemoteOptions returns the options with which go-containerregistry's remote
// package reaches the registry: its transport and its credentials. Add
// remote.WithContext and others as needed.
func (r *Registry) RemoteOptions() []remote.Option {
	return []remote.Option{
		remote.WithTransport(r.Transport()),
		remote.WithAuth(r.Auth()),
	}
}

// newTransport returns a transport like http.DefaultTransport that trusts
// pool when it is not nil.
func newTransport(pool *x509.CertPool) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone() //nolint:forcetypeassert // http.DefaultTransport is an *http.Transport by definition.
	// Keep a connection for each of the helper's concurrent pushes.
	tr.MaxIdleConnsPerHost = 2 * pushJobs
	if pool != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return tr
}

// RequestCounts counts the requests a registry served, by kind. Requests
// made by this package's own helpers (PushImage and the others, which send
// the User-Agent "registrytest …") are not counted, so the counts describe
// only the code under test. Read them with Load.
type RequestCounts struct {
	// Ping counts GET and HEAD /v2/.
	Ping atomic.Int64
	// TagList counts GET /v2/<name>/tags/list, one per page.
	TagList atomic.Int64
	// ManifestHead counts HEAD /v2/<name>/manifests/<reference>.
	ManifestHead atomic.Int64
	// ManifestGet counts GET /v2/<name>/manifests/<reference>.
	ManifestGet atomic.Int64
	// Referrers counts GET /v2/<name>/referrers/<digest>.
	Referrers atomic.Int64
	// Other counts every other request (blobs, uploads, PUT and DELETE).
	Other atomic.Int64
}

// Wrap returns a handler that counts each request before passing it to h.
func (c *RequestCounts) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if !strings.HasPrefix(req.UserAgent(), userAgent) {
			c.count(req)
		}
		h.ServeHTTP(w, req)
	})
}

func (c *RequestCounts) count(req *http.Request) { c.Counter(req).Add(1) }

// Counter returns the counter of req's kind.
func (c *RequestCounts) Counter(req *http.Request) *atomic.Int64 {
	path := req.URL.Path
	read := req.Method == http.MethodGet || req.Method == http.MethodHead
	switch {
	case read && (path == "/v2/" || path == "/v2"):
		return &c.Ping
	case req.Method == http.MethodGet && strings.HasSuffix(path, "/tags/list"):
		return &c.TagList
	case req.Method == http.MethodHead && strings.Contains(path, "/manifests/"):
		return &c.ManifestHead
	case req.Method == http.MethodGet && strings.Contains(path, "/manifests/"):
		return &c.ManifestGet
	case req.Method == http.MethodGet && strings.Contains(path, "/referrers/"):
		return &c.Referrers
	}
	return &c.Other
}

// Counts is a snapshot of [RequestCounts], to compare with ==.
type Counts struct {
	Ping, TagList, ManifestHead, ManifestGet, Referrers, Other int64
}

// Total is the number of requests, of every kind.
func (c Counts) Total() int64 {
	return c.Ping + c.TagList + c.ManifestHead + c.ManifestGet + c.Referrers + c.Other
}

// Snapshot returns the counts so far.
func (c *RequestCounts) Snapshot() Counts {
	return c.read((*atomic.Int64).Load)
}

// Take returns the counts so far and starts counting afresh.
func (c *RequestCounts) Take() Counts {
	return c.read(func(n *atomic.Int64) int64 { return n.Swap(0) })
}

func (c *RequestCounts) read(value func(*atomic.Int64) int64) Counts {
	return Counts{
		Ping:         value(&c.Ping),
		TagList:      value(&c.TagList),
		ManifestHead: value(&c.ManifestHead),
		ManifestGet:  value(&c.ManifestGet),
		Referrers:    value(&c.Referrers),
		Other:        value(&c.Other),
	}
}
