package registrytest

import (
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/tfrun"
)

const (
	// startTimeout bounds how long a distribution registry may take to
	// answer GET /v2/ after it was started.
	startTimeout = 15 * time.Second
	// startAttempts bounds the retries when the port picked for a
	// registry was taken by someone else before the registry bound it.
	startAttempts = 5
)

// Option configures a registry started by [NewDistribution].
type Option func(*options)

type options struct {
	maxTags       int
	tls           bool
	basicUser     string
	basicPassword string
	tokenUsers    map[string]string
	anonymousPull bool
}

// WithMaxTags sets distribution's tags.maxtags, the most tags one
// /tags/list response holds when the request has an n parameter (default
// 1000). A request without n still gets every tag.
func WithMaxTags(n int) Option {
	return func(o *options) { o.maxTags = n }
}

// WithTLS has the registry serve HTTPS (distribution's own http.tls) with a
// certificate for 127.0.0.1, ::1 and localhost from a CA made for the test:
// see [Registry.CAFile] and [Registry.CertPool]. Plain HTTP requests get a
// 400.
//
// go-containerregistry v0.22.1 takes any loopback host for a plain HTTP
// registry, so its remote.List follows no https Link from one ("pagination
// URL scheme "https" does not match registry scheme "http""): list with
// remote.WithPageSize(0), which distribution answers in one page, or follow
// the Links by hand.
func WithTLS() Option {
	return func(o *options) { o.tls = true }
}

// WithBasicAuth has the registry require HTTP basic auth as user with
// password, on every request including GET /v2/ (distribution's htpasswd
// access controller, with a bcrypt hash of the lowest cost so that each
// request stays cheap). distribution does not require TLS for it, though
// its documentation warns against basic auth without TLS.
func WithBasicAuth(user, password string) Option {
	return func(o *options) { o.basicUser, o.basicPassword = user, password }
}

// WithTokenAuth has the registry require bearer tokens from a [TokenServer]
// that knows users (name to password), as Docker Hub and GHCR do; see
// [Registry.Token]. The push helpers use the first user in sorted order, so
// users must not be empty. It cannot be combined with [WithBasicAuth].
func WithTokenAuth(users map[string]string) Option {
	return func(o *options) { o.tokenUsers = users }
}

// WithAnonymousPull has the token server of [WithTokenAuth] give anonymous
// callers pull access, as to a public repository on Docker Hub.
func WithAnonymousPull() Option {
	return func(o *options) { o.anonymousPull = true }
}

// NewDistribution starts the CNCF distribution registry (the version pinned
// in tools/go.mod; see [Tool]) as a child process on
// 127.0.0.1, with filesystem storage in a temporary directory (on tmpfs
// where there is one) and deletes enabled, and kills it when the test ends.
// Its log is printed if the test fails.
//
// Its tag lists are paged with Link headers (see the package
// documentation). [Registry.Requests] is nil: requests to distribution are
// not counted (TLS ends inside distribution, so counting would need a proxy
// that changes what is being tested).
func NewDistribution(t testing.TB, opts ...Option) *Registry {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.basicUser != "" && o.tokenUsers != nil {
		t.Fatal("registrytest: WithBasicAuth and WithTokenAuth cannot be combined")
	}
	if o.tokenUsers != nil && len(o.tokenUsers) == 0 {
		t.Fatal("registrytest: WithTokenAuth needs at least one user")
	}

	bin := tfrun.Tool(t, "registry")
	dir := t.TempDir()
	r := &Registry{}
	parts, err := r.setUp(t, dir, o)
	if err != nil {
		t.Fatalf("registrytest: %v", err)
	}
	storage := storageDir(t)
	r.transport = newTransport(r.CertPool)
	t.Cleanup(r.transport.CloseIdleConnections)

	for attempt := 1; ; attempt++ {
		addr, err := freeAddr()
		if err != nil {
			t.Fatalf("registrytest: %v", err)
		}
		r.Host = addr
		configPath := filepath.Join(dir, fmt.Sprintf("config-%d.yml", attempt))
		if err := os.WriteFile(configPath, []byte(distributionConfig(storage, addr, parts)), 0o600); err != nil {
			t.Fatalf("registrytest: %v", err)
		}
		logPath := filepath.Join(dir, fmt.Sprintf("registry-%d.log", attempt))
		logOnFailure(t, "distribution registry", logPath)

		p, err := startProcess(bin, logPath, "serve", configPath)
		if err != nil {
			t.Fatalf("registrytest: starting the distribution registry: %v", err)
		}
		t.Cleanup(p.kill)

		err = p.waitReady(r, logPath)
		if err == nil {
			return r
		}
		p.kill()
		if errors.Is(err, errAddrInUse) && attempt < startAttempts {
			t.Logf("registrytest: %s was taken, trying another port", addr)
			continue
		}
		t.Fatalf("registrytest: the distribution registry did not start: %v", err)
	}
}

// configParts are the parts of the configuration file that depend on the
// options.
type configParts struct {
	maxTags int
	tls     string // lines of the http section
	auth    string // the auth section
}

// setUp makes what o asks for (certificates, an htpasswd file, a token
// server) in dir, fills in r's fields for them, and returns the parts of the
// configuration file they need.
func (r *Registry) setUp(t testing.TB, dir string, o options) (configParts, error) {
	parts := configParts{maxTags: o.maxTags}
	var ca *authority
	if o.tls {
		var err error
		if ca, err = newAuthority(dir); err != nil {
			return configParts{}, err
		}
		certFile, keyFile, _, err := ca.issue(dir, "registry")
		if err != nil {
			return configParts{}, err
		}
		r.CAFile, r.CertPool = ca.pemPath, ca.pool
		parts.tls = fmt.Sprintf("  tls:\n    certificate: %s\n    key: %s\n", quote(certFile), quote(keyFile))
	}

	switch {
	case o.basicUser != "":
		hash, err := bcrypt.GenerateFromPassword([]byte(o.basicPassword), bcrypt.MinCost)
		if err != nil {
			return configParts{}, err
		}
		path := filepath.Join(dir, "htpasswd")
		if err := os.WriteFile(path, fmt.Appendf(nil, "%s:%s\n", o.basicUser, hash), 0o600); err != nil {
			return configParts{}, err
		}
		r.Username, r.Password = o.basicUser, o.basicPassword
		parts.auth = fmt.Sprintf("auth:\n  htpasswd:\n    realm: registrytest\n    path: %s\n", quote(path))

	case o.tokenUsers != nil:
		ts, signer, err := newTokenServer(maps.Clone(o.tokenUsers), o.anonymousPull)
		if err != nil {
			return configParts{}, err
		}
		bundle := filepath.Join(dir, "token-signer.pem")
		if err := writePEM(bundle, "CERTIFICATE", signer); err != nil {
			return configParts{}, err
		}
		srv := httptest.NewUnstartedServer(ts)
		scheme := "http"
		if ca != nil {
			_, _, pair, err := ca.issue(dir, "token-server")
			if err != nil {
				return configParts{}, err
			}
			srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
			srv.StartTLS()
			scheme = "https"
		} else {
			srv.Start()
		}
		t.Cleanup(srv.Close)
		_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
		if err != nil {
			return configParts{}, err
		}
		ts.Realm = scheme + "://localhost:" + port + "/token"
		r.Token = ts
		r.Username = slices.Sorted(maps.Keys(o.tokenUsers))[0]
		r.Password = o.tokenUsers[r.Username]
		parts.auth = fmt.Sprintf("auth:\n  token:\n    realm: %s\n    service: %s\n    issuer: %s\n    rootcertbundle: %s\n",
			quote(ts.Realm), quote(ts.Service), quote(tokenIssuer), quote(bundle))
	}
	return parts, nil
}

// distributionConfig returns the registry's configuration file, for
// storage in the directory storage and listening on addr.
func distributionConfig(storage, addr string, parts configParts) string {
	var b strings.Builder
	fmt.Fprintf(&b, `version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: %s
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: %s
  secret: %s
`, quote(storage), addr, rand.Text())
	b.WriteString(parts.tls)
	b.WriteString(parts.auth)
	if parts.maxTags > 0 {
		fmt.Fprintf(&b, "tags:\n  maxtags: %d\n", parts.maxTags)
	}
	return b.String()
}

// storageDir returns a new directory for the registry's storage, removed
// when the test ends. It is on tmpfs (/dev/shm) where there is one: the
// filesystem driver syncs every file and directory it writes, which makes a
// manifest PUT on a disk several times slower (2,500 tags: 13 s against
// 2.7 s).
func storageDir(t testing.TB) string {
	t.Helper()
	const shm = "/dev/shm"
	if info, err := os.Stat(shm); err == nil && info.IsDir() {
		if dir, err := os.MkdirTemp(shm, "registrytest-"); err == nil { //nolint:usetesting // t.TempDir cannot be on tmpfs
			t.Cleanup(func() { _ = os.RemoveAll(dir) })
			return dir
		}
	}
	return filepath.Join(t.TempDir(), "storage")
}

// quote quotes s for YAML (a double-quoted YAML scalar accepts Go's
// escapes for anything a path holds).
func quote(s string) string {
	return strconv.Quote(s)
}

// freeAddr returns a 127.0.0.1 address with a port that was free a moment
// ago.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		return "", err
	}
	return addr, nil
}

// errAddrInUse reports that the registry could not bind its port.
var errAddrInUse = errors.New("address already in use")

// process is a running registry.
type process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // how it exited, once done is closed
}

// startProcess starts bin with args, its output going to a new file at
// logPath.
func startProcess(bin, logPath string, args ...string) (*process, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = childEnv()
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = tfrun.SysProcAttr()
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, err
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		_ = logFile.Close()
		close(p.done)
	}()
	return p, nil
}

// childEnv is the registry's environment: ours, less the REGISTRY_*
// variables that would override its configuration file, with OpenTelemetry
// tracing off (distribution v3 otherwise tries to export spans to
// localhost:4318).
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "REGISTRY_") || strings.HasPrefix(kv, "OTEL_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "OTEL_TRACES_EXPORTER=none")
}

// kill stops the process and waits for it to exit. It may be called more
// than once.
func (p *process) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Kill()
	<-p.done
}

// waitReady waits until the registry has bound its own port (it logs
// "listening on") and answers GET /v2/ with any status, within
// startTimeout.
func (p *process) waitReady(r *Registry, logPath string) error {
	client := &http.Client{Transport: r.transport, Timeout: time.Second}
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-p.done:
			log, _ := os.ReadFile(logPath)
			if strings.Contains(string(log), "address already in use") {
				return errAddrInUse
			}
			return fmt.Errorf("it exited (%w)", p.err)
		default:
		}
		// Until our registry has bound the port, whatever answers there
		// is someone else.
		if log, err := os.ReadFile(logPath); err == nil && strings.Contains(string(log), "listening on") {
			resp, err := client.Get(r.URL() + "/v2/")
			if err == nil {
				_ = resp.Body.Close()
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("GET %s/v2/ did not answer within %v", r.URL(), startTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
