package faults

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

// Fault says how a [FaultProxy] answers the requests it matches, instead of
// passing the registry's answer on unchanged.
type Fault struct {
	// Path is a substring of the request path that the fault applies to,
	// such as "/tags/list", "/manifests/" or "/blobs/"; "" matches every
	// request.
	Path string
	// Method, when set, limits the fault to one method.
	Method string
	// Times is how many matching requests the fault hits; 0 means all.
	Times int

	// Status, when set, is answered without asking the registry, with
	// Header and Body.
	Status int
	Header http.Header
	Body   string
	// Reset closes the connection without an answer.
	Reset bool
	// RedirectTo answers 307 Temporary Redirect to this URL (the request's
	// path and query appended).
	RedirectTo string

	// The rest change the registry's own answer:
	// SetHeader sets response headers, DropHeader removes them.
	SetHeader  http.Header
	DropHeader []string
	// Rewrite replaces the body.
	Rewrite func(body []byte) []byte
	// Truncate sends the headers (with the full Content-Length) and half of
	// the body, then closes the connection.
	Truncate bool
	// Delay waits this long after the first half of the body.
	Delay time.Duration

	// Serve, when set, answers the request itself; upstream asks the
	// registry (with the request as given, or changed) and returns its
	// answer with the whole body. The quirks of real registries are
	// written this way (see quirks.go).
	Serve func(w http.ResponseWriter, req *http.Request, upstream Upstream)
}

// Upstream sends a request to the registry behind a [FaultProxy] and
// returns its answer, whose body has been read whole.
type Upstream func(req *http.Request) (*http.Response, []byte, error)

// FaultProxy is a proxy on 127.0.0.1 in front of a test registry that
// answers selected requests with faults: error statuses, resets, slow or
// truncated bodies, rewritten headers and bodies, redirects.
type FaultProxy struct {
	// Host is the proxy's "127.0.0.1:<port>", to use in image names.
	Host string

	// Requests counts the requests the proxy served, by kind, whether a
	// fault answered them or the registry (the helpers' own are left out).
	Requests *registrytest.RequestCounts

	upstream *registrytest.Registry
	client   *http.Client

	mu     sync.Mutex
	faults []*activeFault
}

type activeFault struct {
	Fault
	hits int
}

// NewFaultProxy starts a FaultProxy in front of upstream, which must serve
// plain HTTP. It stops when the test ends.
func NewFaultProxy(t testing.TB, upstream *registrytest.Registry) *FaultProxy {
	t.Helper()
	if upstream.CertPool != nil {
		t.Fatal("faults: NewFaultProxy needs a registry without TLS")
	}
	p := &FaultProxy{
		Requests: &registrytest.RequestCounts{},
		upstream: upstream,
		client: &http.Client{
			Transport:     upstream.Transport(),
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	srv := httptest.NewServer(p.Requests.Wrap(p))
	t.Cleanup(srv.Close)
	p.Host = strings.TrimPrefix(srv.URL, "http://")
	return p
}

// Inject adds a fault; faults are tried in the order they were added.
func (p *FaultProxy) Inject(f Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = append(p.faults, &activeFault{Fault: f})
}

// Clear removes every fault: the registry answers again.
func (p *FaultProxy) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = nil
}

// Hits returns how many requests the faults whose Path is path have hit.
func (p *FaultProxy) Hits(path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, f := range p.faults {
		if f.Path == path {
			n += f.hits
		}
	}
	return n
}

func (p *FaultProxy) match(req *http.Request) *Fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range p.faults {
		if !strings.Contains(req.URL.Path, f.Path) || (f.Method != "" && f.Method != req.Method) {
			continue
		}
		if f.Times > 0 && f.hits >= f.Times {
			continue
		}
		f.hits++
		fault := f.Fault
		return &fault
	}
	return nil
}

func (p *FaultProxy) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	f := p.match(req)
	switch {
	case f != nil && f.Reset:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				if tcp, ok := conn.(*net.TCPConn); ok {
					_ = tcp.SetLinger(0)
				}
				_ = conn.Close()
				return
			}
		}
		http.Error(w, "cannot reset", http.StatusInternalServerError)
		return
	case f != nil && f.RedirectTo != "":
		http.Redirect(w, req, f.RedirectTo+req.URL.RequestURI(), http.StatusTemporaryRedirect)
		return
	case f != nil && f.Serve != nil:
		f.Serve(w, req, p.forward)
		return
	case f != nil && f.Status != 0:
		for k, vs := range f.Header {
			w.Header()[k] = vs
		}
		w.WriteHeader(f.Status)
		_, _ = io.WriteString(w, f.Body)
		return
	}

	resp, body, err := p.forward(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if f != nil {
		for k, vs := range f.SetHeader {
			resp.Header[http.CanonicalHeaderKey(k)] = vs
		}
		for _, k := range f.DropHeader {
			resp.Header.Del(k)
		}
		if f.Rewrite != nil {
			body = f.Rewrite(body)
		}
	}
	if f == nil || (!f.Truncate && f.Delay == 0) || req.Method == http.MethodHead {
		write(w, req, resp, body)
		return
	}
	// Half the body now, and the rest after the delay, or never.
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(resp.StatusCode)
	half := len(body) / 2
	_, _ = w.Write(body[:half])
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-req.Context().Done():
			return
		}
	}
	if f.Truncate {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
			}
		}
		return
	}
	_, _ = io.Copy(w, bytes.NewReader(body[half:]))
}

// forward sends req to the registry and reads its answer whole.
func (p *FaultProxy) forward(req *http.Request) (*http.Response, []byte, error) {
	out, err := http.NewRequestWithContext(req.Context(), req.Method, p.upstream.URL()+req.URL.RequestURI(), nil)
	if err != nil {
		return nil, nil, err
	}
	out.Header = req.Header.Clone()
	resp, err := p.client.Do(out)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	return resp, body, nil
}

// write sends an answer to req: resp's status and headers, with body.
func write(w http.ResponseWriter, req *http.Request, resp *http.Response, body []byte) {
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	if req.Method == http.MethodHead {
		w.WriteHeader(resp.StatusCode)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(body)
}
