package registry

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// sniffingListener counts the connections whose first byte is not a TLS
// handshake: plain-HTTP attempts on a TLS port.
type sniffingListener struct {
	net.Listener
	plain atomic.Int64
}

func (l *sniffingListener) Accept() (net.Conn, error) {
	conn, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	r := bufio.NewReader(conn)
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	first, err := r.Peek(1)
	_ = conn.SetReadDeadline(time.Time{})
	if err == nil && first[0] != 0x16 {
		l.plain.Add(1)
	}
	return &peekedConn{Conn: conn, r: r}, nil
}

type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *peekedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// tlsRegistry starts a TLS registry with a certificate nobody trusts, which
// answers its ping after delay and asks for Basic credentials.
func tlsRegistry(t *testing.T, delay time.Duration) (*httptest.Server, *sniffingListener) {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		time.Sleep(delay)
		if req.Header.Get("Authorization") == "" {
			w.Header().Set("WWW-Authenticate", `Basic realm="r"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = w.Write([]byte(`{"tags":["1.0"]}`))
	}))
	l := &sniffingListener{Listener: srv.Listener}
	srv.Listener = l
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, l
}

// TestInsecureHostHTTPSFirst: a host listed as insecure (to accept its
// self-signed certificate) that is slow to answer is still read over
// HTTPS, and no plain-HTTP request, with or without credentials, reaches
// it (go-containerregistry raced plain HTTP after 300 ms).
func TestInsecureHostHTTPSFirst(t *testing.T) {
	t.Parallel()
	srv, sniff := tlsRegistry(t, 700*time.Millisecond)
	host := strings.TrimPrefix(srv.URL, "https://")
	c := newClientWith(t, Options{Insecure: []string{host}, Auth: map[string]Credential{host: {Username: "u", Password: "p"}}})
	if _, err := c.ListTags(t.Context(), mustImage(t, host+"/team/x")); err != nil {
		t.Fatal(err)
	}
	if got := sniff.plain.Load(); got != 0 {
		t.Errorf("%d plain-HTTP connections reached a TLS registry", got)
	}
}

// TestNoPlainHTTPAfterCertificateFailure: a loopback TLS registry whose
// certificate is not trusted is an error about the certificate, not a
// fall back to plain HTTP.
func TestNoPlainHTTPAfterCertificateFailure(t *testing.T) {
	t.Parallel()
	srv, sniff := tlsRegistry(t, 0)
	_, err := newClient(t).ListTags(t.Context(), mustImage(t, strings.TrimPrefix(srv.URL, "https://")+"/team/x"))
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("ListTags = %v, want a certificate error", err)
	}
	if got := sniff.plain.Load(); got != 0 {
		t.Errorf("%d plain-HTTP connections after a certificate failure", got)
	}
}

// TestHostileChallenge: a /v2/ answer whose WWW-Authenticate header passes
// the 64 KiB header cap is refused at once (go-containerregistry spent
// 9.4 s of CPU on a 560 KB one).
func TestHostileChallenge(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("WWW-Authenticate", "Bearer "+strings.Repeat(`a=",`, 256<<10))
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	start := time.Now()
	_, err := newClient(t).ListTags(t.Context(), mustImage(t, strings.TrimPrefix(srv.URL, "http://")+"/team/x"))
	if err == nil || !strings.Contains(err.Error(), "headers exceeded") {
		t.Errorf("ListTags = %v, want the header cap named", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the read took %s", took)
	}
}
