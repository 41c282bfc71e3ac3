package benchmarks

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

// LatencyProxy stands between the code under test and a registry on
// loopback, as the network between a user and a distant registry does: it
// holds every request for a fixed delay before passing it on, and counts the
// requests by kind. A registry with token auth gets a second front for its
// token server, and the registry's WWW-Authenticate challenges are rewritten
// to name it, so that token requests are delayed and counted too.
type LatencyProxy struct {
	// Host is the registry's front, "127.0.0.1:<port>": image names use it.
	Host string

	delay  time.Duration
	counts counters
}

// counters are the live counts of a LatencyProxy.
type counters struct {
	// RequestCounts counts the requests to the registry by kind.
	registrytest.RequestCounts
	token, unauthorized, conns, tlsProbes atomic.Int64
	// first and last are when the first request arrived and the last one
	// was answered, in Unix nanoseconds; inFlight and maxInFlight count the
	// requests being served.
	first, last, inFlight, maxInFlight atomic.Int64
	// serving sums the time from each request's arrival to its answer, less
	// the delay, in nanoseconds.
	serving atomic.Int64

	mu    sync.Mutex
	spans []span // each request's arrival and answer
}

// span is when a request arrived and when it was answered.
type span struct{ from, to time.Time }

// Tally is what a LatencyProxy counted between two calls of Take.
type Tally struct {
	// Counts are the requests to the registry, by kind.
	registrytest.Counts
	// Token counts requests to the token server.
	Token int64
	// Unauthorized counts the answers, of any kind above, that were 401.
	Unauthorized int64
	// Conns counts the TCP connections accepted, on both fronts.
	Conns int64
	// TLSProbes counts the connections that opened with a TLS handshake,
	// which a plain-HTTP front cannot answer: go-containerregistry tries
	// HTTPS first, even on loopback, and falls back to HTTP.
	TLSProbes int64
	// Busy is the time from the first request's arrival to the last one's
	// answer, delay included.
	Busy time.Duration
	// MaxInFlight is the most requests served at once.
	MaxInFlight int64
	// Serving is the time the registry took to answer, summed over the
	// requests (the added delay left out).
	Serving time.Duration

	spans []span
}

// InFlight returns the most requests in flight in each step from the first
// arrival to the last answer, as a row of numbers: "3 8 8 2 …".
func (c Tally) InFlight(step time.Duration) string {
	if len(c.spans) == 0 {
		return "–"
	}
	first, last := c.spans[0].from, c.spans[0].to
	for _, s := range c.spans {
		first, last = minTime(first, s.from), maxTime(last, s.to)
	}
	buckets := make([]int, int(last.Sub(first)/step)+1)
	for i := range buckets {
		from, to := first.Add(time.Duration(i)*step), first.Add(time.Duration(i+1)*step)
		for _, s := range c.spans {
			if s.from.Before(to) && s.to.After(from) {
				buckets[i]++
			}
		}
	}
	out := make([]string, len(buckets))
	for i, n := range buckets {
		out[i] = strconv.Itoa(n)
	}
	return strings.Join(out, " ")
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Total is the number of HTTP requests, of every kind.
func (c Tally) Total() int64 {
	return c.Counts.Total() + c.Token
}

// NewLatencyProxy starts a proxy in front of r (a plain-HTTP registry) that
// delays every request by delay, and stops it when the test ends.
func NewLatencyProxy(tb testing.TB, r *registrytest.Registry, delay time.Duration) *LatencyProxy {
	tb.Helper()
	if r.CertPool != nil {
		tb.Fatal("LatencyProxy: the registry must serve plain HTTP")
	}
	p := &LatencyProxy{delay: delay}

	// The proxy's own connections to the registry are kept alive, so that
	// it adds no connection setup of its own.
	upstream := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 128,
		IdleConnTimeout:     30 * time.Second,
	}
	tb.Cleanup(upstream.CloseIdleConnections)

	var realm, proxiedRealm string
	if r.Token != nil {
		u, err := url.Parse(r.Token.Realm)
		if err != nil {
			tb.Fatalf("LatencyProxy: token realm: %v", err)
		}
		target := &url.URL{Scheme: u.Scheme, Host: net.JoinHostPort("127.0.0.1", u.Port())}
		front := p.serve(tb, &httputil.ReverseProxy{
			Rewrite:   func(pr *httputil.ProxyRequest) { pr.SetURL(target) },
			Transport: upstream,
		}, func(*http.Request) *atomic.Int64 { return &p.counts.token })
		// go-containerregistry takes a realm on a loopback IP address only
		// from a registry on the same host and port, so the realm names
		// localhost, as the token server's own does.
		_, port, err := net.SplitHostPort(strings.TrimPrefix(front.URL, "http://"))
		if err != nil {
			tb.Fatalf("LatencyProxy: %v", err)
		}
		realm = r.Token.Realm
		proxiedRealm = (&url.URL{Scheme: "http", Host: "localhost:" + port, Path: u.Path}).String()
	}

	target := &url.URL{Scheme: "http", Host: r.Host}
	front := p.serve(tb, &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host
		},
		Transport: upstream,
		ModifyResponse: func(resp *http.Response) error {
			if resp.StatusCode == http.StatusUnauthorized {
				p.counts.unauthorized.Add(1)
			}
			if realm != "" {
				values := resp.Header.Values("Www-Authenticate")
				resp.Header.Del("Www-Authenticate")
				for _, v := range values {
					resp.Header.Add("Www-Authenticate", strings.ReplaceAll(v, realm, proxiedRealm))
				}
			}
			return nil
		},
	}, p.counts.Counter)
	p.Host = strings.TrimPrefix(front.URL, "http://")
	return p
}

// serve starts a front on 127.0.0.1 that counts each request in the counter
// that kind picks, waits for the delay and hands the request to next.
func (p *LatencyProxy) serve(tb testing.TB, next http.Handler, kind func(*http.Request) *atomic.Int64) *httptest.Server {
	tb.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		kind(req).Add(1)
		c := &p.counts
		c.first.CompareAndSwap(0, time.Now().UnixNano())
		storeMax(&c.maxInFlight, c.inFlight.Add(1))
		defer func() {
			c.inFlight.Add(-1)
			c.last.Store(time.Now().UnixNano())
		}()
		timer := time.NewTimer(p.delay)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-req.Context().Done():
			return
		}
		forwarded := time.Now()
		next.ServeHTTP(w, req)
		c.serving.Add(int64(time.Since(forwarded)))
		c.mu.Lock()
		c.spans = append(c.spans, span{from: forwarded.Add(-p.delay), to: time.Now()})
		c.mu.Unlock()
	}))
	srv.Listener = &probeListener{Listener: srv.Listener, probes: &p.counts.tlsProbes}
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			p.counts.conns.Add(1)
		}
	}
	srv.Start()
	tb.Cleanup(srv.Close)
	return srv
}

// Take returns the counts since the last Take, and starts counting afresh.
func (p *LatencyProxy) Take() Tally {
	c := &p.counts
	var busy time.Duration
	if first, last := c.first.Swap(0), c.last.Swap(0); first != 0 && last > first {
		busy = time.Duration(last - first)
	}
	c.mu.Lock()
	spans := c.spans
	c.spans = nil
	c.mu.Unlock()
	return Tally{
		spans:        spans,
		Busy:         busy,
		Serving:      time.Duration(c.serving.Swap(0)),
		MaxInFlight:  c.maxInFlight.Swap(0),
		Counts:       c.Take(),
		Token:        c.token.Swap(0),
		Unauthorized: c.unauthorized.Swap(0),
		Conns:        c.conns.Swap(0),
		TLSProbes:    c.tlsProbes.Swap(0),
	}
}

// probeListener counts the connections whose first byte opens a TLS
// handshake record.
type probeListener struct {
	net.Listener
	probes *atomic.Int64
}

func (l *probeListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &probeConn{Conn: c, probes: l.probes}, nil
}

type probeConn struct {
	net.Conn
	probes *atomic.Int64
	read   atomic.Bool
}

func (c *probeConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 && !c.read.Swap(true) && b[0] == 0x16 { // TLS record type: handshake
		c.probes.Add(1)
	}
	return n, err
}

// storeMax stores n in v if it is greater than v's value.
func storeMax(v *atomic.Int64, n int64) {
	for {
		m := v.Load()
		if n <= m || v.CompareAndSwap(m, n) {
			return
		}
	}
}
