package registry

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

// fakeRegistry is a registry on loopback whose /v2/ answers challenge
// (none when ""), which records the Authorization header of every request,
// and which accepts a bearer token only while it is the newest one its
// token endpoint (/token, on the same server) handed out.
type fakeRegistry struct {
	srv       *httptest.Server
	challenge string
	tokens    atomic.Int64 // token requests
	newest    atomic.Int64 // the newest token's number
	expired   atomic.Bool  // when set, every token is refused once more

	mu    sync.Mutex
	auths []string
}

func newFakeRegistry(t *testing.T, challenge string) *fakeRegistry {
	t.Helper()
	f := &fakeRegistry{challenge: challenge}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	f.challenge = strings.ReplaceAll(challenge, "REALM", f.srv.URL+"/token")
	return f
}

func (f *fakeRegistry) host() string { return strings.TrimPrefix(f.srv.URL, "http://") }

func (f *fakeRegistry) serve(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path == "/token" {
		n := f.tokens.Add(1)
		f.newest.Store(n)
		f.expired.Store(false)
		_, _ = fmt.Fprintf(w, `{"token":"t%d","expires_in":300}`, n)
		return
	}
	f.mu.Lock()
	f.auths = append(f.auths, req.Header.Get("Authorization"))
	f.mu.Unlock()
	authorized := f.challenge == "" ||
		strings.HasPrefix(f.challenge, "Basic") && strings.HasPrefix(req.Header.Get("Authorization"), "Basic ") ||
		!f.expired.Load() && req.Header.Get("Authorization") == fmt.Sprintf("Bearer t%d", f.newest.Load())
	if !authorized {
		w.Header().Set("WWW-Authenticate", f.challenge)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	switch {
	case req.URL.Path == "/v2/":
	case strings.HasSuffix(req.URL.Path, "/tags/list"):
		_, _ = w.Write([]byte(`{"tags":["1.0"]}`))
	default:
		w.Header().Set("Docker-Content-Digest", "sha256:"+strings.Repeat("a", 64))
	}
}

func (f *fakeRegistry) authorizations() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.auths...)
}

func clientWithCredentials(t *testing.T, host string) *Client {
	t.Helper()
	return newClientWith(t, Options{Auth: map[string]Credential{host: {Username: "u", Password: "secret-password"}}})
}

// TestCredentialsOnlyAfterChallenge: a registry that lets anonymous
// requests in never sees the credentials the provider has for it.
func TestCredentialsOnlyAfterChallenge(t *testing.T) {
	t.Parallel()
	reg := newFakeRegistry(t, "")
	c := clientWithCredentials(t, reg.host())
	img := mustImage(t, reg.host()+"/team/x")
	if _, err := c.ListTags(t.Context(), img); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Digest(t.Context(), img, "1.0"); err != nil {
		t.Fatal(err)
	}
	for _, a := range reg.authorizations() {
		if a != "" {
			t.Errorf("a request carried %q, though no challenge asked for credentials", a)
		}
	}
}

// TestBasicAfterChallenge: a Basic challenge gets Basic credentials, on
// every request after the ping.
func TestBasicAfterChallenge(t *testing.T) {
	t.Parallel()
	reg := newFakeRegistry(t, `Basic realm="Artifactory Realm"`)
	c := clientWithCredentials(t, reg.host())
	if _, err := c.ListTags(t.Context(), mustImage(t, reg.host()+"/team/x")); err != nil {
		t.Fatal(err)
	}
	auths := reg.authorizations()
	if len(auths) != 2 || auths[0] != "" || !strings.HasPrefix(auths[1], "Basic ") {
		t.Errorf("authorizations = %q, want none on the ping, then Basic", auths)
	}
}

// TestSharedTokenRefresh: when the token expires, concurrent requests that
// meet it share one new token (go-containerregistry's bearer transport
// fetched one per request: 16 requests, 17 token calls).
func TestSharedTokenRefresh(t *testing.T) {
	t.Parallel()
	reg := newFakeRegistry(t, `Bearer realm="REALM",service="fake"`)
	c := newClient(t)
	img := mustImage(t, reg.host()+"/team/x")
	if _, err := c.ListTags(t.Context(), img); err != nil {
		t.Fatal(err)
	}
	if got := reg.tokens.Load(); got != 1 {
		t.Fatalf("token requests before expiry = %d, want 1", got)
	}
	reg.expired.Store(true)
	const requests = 16
	var g errgroup.Group
	for i := range requests {
		g.Go(func() error {
			_, err := c.Digest(t.Context(), img, fmt.Sprintf("t%d", i))
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Error(err)
	}
	if got := reg.tokens.Load(); got != 2 {
		t.Errorf("token requests = %d, want 2 (one, then one shared refresh)", got)
	}
}

// TestTokenAnswerNotQuoted: a token server answer without a token fails the
// read without quoting the answer, which may hold a refresh token.
func TestTokenAnswerNotQuoted(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/token" {
			_, _ = w.Write([]byte(`{"refresh_token":"rt-very-secret","note":"no token here"}`))
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="http://`+req.Host+`/token",service="x"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	_, err := newClient(t).ListTags(t.Context(), mustImage(t, strings.TrimPrefix(srv.URL, "http://")+"/team/x"))
	if err == nil || !strings.Contains(err.Error(), "holds no token") {
		t.Fatalf("ListTags = %v, want an error saying the answer holds no token", err)
	}
	if strings.Contains(err.Error(), "rt-very-secret") {
		t.Errorf("the error quotes the token server's answer: %v", err)
	}
}

// TestFailedPingDoesNotPoisonCredentials: a registry that refuses its first
// ping, then asks for Basic credentials, gets them on the next read (a
// failed read's error once spent the credentials' lookup with nothing in
// it, and the next read crashed on a nil authenticator).
func TestFailedPingDoesNotPoisonCredentials(t *testing.T) {
	t.Parallel()
	var pings atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/v2/" && pings.Add(1) == 1 {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		if req.Header.Get("Authorization") == "" {
			w.Header().Set("WWW-Authenticate", `Basic realm="r"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = w.Write([]byte(`{"tags":["1.0"]}`))
	}))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	c := clientWithCredentials(t, host)
	img := mustImage(t, host+"/team/x")
	if _, err := c.ListTags(t.Context(), img); err == nil {
		t.Fatal("the first read succeeded through a 403 ping")
	}
	if list, err := c.ListTags(t.Context(), img); err != nil || len(list.Tags) != 1 {
		t.Fatalf("second read = %v, %v; want the tag list", list, err)
	}
}

// TestNoCredentialLookupWithoutChallenge: a registry that lets anonymous
// requests in is read even when the configured credential helper is
// missing: nothing asked for credentials, so none are looked up.
func TestNoCredentialLookupWithoutChallenge(t *testing.T) {
	t.Parallel()
	reg := newFakeRegistry(t, "")
	cfg := registrytest.DockerConfig{Store: "not-installed-anywhere"}.Write(t, t.TempDir())
	c := newClientWith(t, Options{DockerConfigFile: cfg})
	if _, err := c.ListTags(t.Context(), mustImage(t, reg.host()+"/team/x")); err != nil {
		t.Fatalf("ListTags = %v: an anonymous registry needs no credential helper", err)
	}
}

// TestCredentialFailureNotRemembered: a credential helper cut off by one
// read's deadline is asked again by the next read.
func TestCredentialFailureNotRemembered(t *testing.T) {
	registrytest.CredentialHelper(t, "slow", "sleep 1\necho '{\"Username\":\"u\",\"Secret\":\"p\"}'\n")
	cfg := registrytest.DockerConfig{Store: "slow"}.Write(t, t.TempDir())
	c := newClientWith(t, Options{DockerConfigFile: cfg})
	img := mustImage(t, "registry.example/team/x")
	short, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, _, err := c.keychain.Resolve(short, c.keychain.Key(img), img); err == nil {
		t.Fatal("credentials resolved within 100 ms from a helper that takes a second")
	}
	auth, source, err := c.keychain.Resolve(t.Context(), c.keychain.Key(img), img)
	if err != nil || auth == nil || !strings.Contains(source, "docker-credential-slow") {
		t.Errorf("second lookup = %v from %q, %v; want the helper's credentials", auth, source, err)
	}
}

// TestNoPlainHTTPAfterHTTPSAnswer: an HTTPS answer the provider cannot use
// (a challenge it cannot answer) is the error; plain HTTP is not tried.
func TestNoPlainHTTPAfterHTTPSAnswer(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("WWW-Authenticate", `Negotiate`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	sniff := &sniffingListener{Listener: srv.Listener}
	srv.Listener = sniff
	srv.StartTLS()
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "https://")
	c := newClientWith(t, Options{Insecure: []string{host}})
	_, err := c.ListTags(t.Context(), mustImage(t, host+"/team/x"))
	if err == nil || !strings.Contains(err.Error(), "cannot answer") {
		t.Errorf("ListTags = %v, want the challenge named", err)
	}
	if got := sniff.plain.Load(); got != 0 {
		t.Errorf("%d plain-HTTP connections after an HTTPS answer", got)
	}
}
