package registrytest

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/tfrun"
)

// ProxiedHost is a host name that resolves nowhere: requests to it reach a
// test registry only through the proxy that [BlockInternet] starts, which
// proves that the code under test honours HTTPS_PROXY and HTTP_PROXY.
// Certificates made by [WithTLS] are valid for it.
const ProxiedHost = "registry.test"

// Proxy is an HTTP proxy on loopback that forwards requests (and CONNECT
// tunnels) for routed hosts to test registries, and refuses every other
// host, so that no test reaches the internet.
type Proxy struct {
	// URL is the proxy's address, as HTTPS_PROXY holds it.
	URL string
	// Requests counts the requests and tunnels it forwarded.
	Requests atomic.Int64

	mu     sync.Mutex
	routes map[string]string
}

var proxy *Proxy

// BlockInternet starts the test proxy and points HTTPS_PROXY and HTTP_PROXY
// at it (and clears NO_PROXY), so that any request the code under test
// makes to a host that is not on loopback goes through it and fails unless
// a test routed that host (Go never proxies requests to loopback hosts).
// Call it from TestMain, before the tests run: Go reads the proxy variables
// once per process.
func BlockInternet() *Proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("registrytest: cannot start the proxy: %v", err))
	}
	p := &Proxy{URL: "http://" + ln.Addr().String(), routes: map[string]string{}}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	for _, v := range []string{"HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"} {
		_ = os.Setenv(v, p.URL)
	}
	_ = os.Setenv(tfrun.ProxyVariable, p.URL)
	for _, v := range []string{"NO_PROXY", "no_proxy"} {
		_ = os.Unsetenv(v)
	}
	proxy = p
	return p
}

// InternetProxy returns the proxy that [BlockInternet] started, or nil.
func InternetProxy() *Proxy {
	return proxy
}

// Main is a test binary's TestMain: it blocks the internet (see
// [BlockInternet]), runs the tests and exits with their status. When
// provider is not nil, *provider is set to a build of the provider that the
// tests share (see [tfrun.ProviderBuild]), removed at the end.
func Main(m *testing.M, provider **tfrun.ProviderBuild) {
	BlockInternet()
	var build *tfrun.ProviderBuild
	if provider != nil {
		build = tfrun.NewProviderBuild()
		*provider = build
	}
	code := m.Run()
	if build != nil {
		build.Remove()
	}
	os.Exit(code)
}

// ViaProxy routes ProxiedHost:<port of r> to r through the proxy for the
// rest of the test, and returns that host, to use in image names in place
// of r.Host. It fails the test when BlockInternet was not called.
func (r *Registry) ViaProxy(t testing.TB) string {
	t.Helper()
	if proxy == nil {
		t.Fatal("registrytest: ViaProxy needs BlockInternet in TestMain")
	}
	_, port, err := net.SplitHostPort(r.Host)
	if err != nil {
		t.Fatalf("registrytest: %v", err)
	}
	host := net.JoinHostPort(ProxiedHost, port)
	proxy.mu.Lock()
	proxy.routes[host] = r.Host
	proxy.mu.Unlock()
	t.Cleanup(func() {
		proxy.mu.Lock()
		delete(proxy.routes, host)
		proxy.mu.Unlock()
	})
	return host
}

func (p *Proxy) route(host string) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	addr, ok := p.routes[host]
	return addr, ok
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	host := req.Host
	if req.Method != http.MethodConnect {
		host = req.URL.Host
	}
	if !strings.Contains(host, ":") {
		if req.Method == http.MethodConnect || req.URL.Scheme == "https" {
			host += ":443"
		} else {
			host += ":80"
		}
	}
	addr, ok := p.route(host)
	if !ok {
		http.Error(w, "registrytest proxy: no route to "+host+": tests never reach the internet", http.StatusForbidden)
		return
	}
	p.Requests.Add(1)
	if req.Method == http.MethodConnect {
		p.tunnel(w, addr)
		return
	}
	target := &url.URL{Scheme: "http", Host: addr}
	rp := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		pr.Out.Host = pr.In.Host
	}}
	rp.ServeHTTP(w, req)
}

func (p *Proxy) tunnel(w http.ResponseWriter, addr string) {
	upstream, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		_ = upstream.Close()
		http.Error(w, "registrytest proxy: cannot hijack", http.StatusInternalServerError)
		return
	}
	client, buf, err := hj.Hijack()
	if err != nil {
		_ = upstream.Close()
		return
	}
	_, _ = client.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
	go func() {
		_, _ = io.Copy(upstream, buf)
		_ = upstream.Close()
	}()
	go func() {
		_, _ = io.Copy(client, upstream)
		_ = client.Close()
	}()
}
