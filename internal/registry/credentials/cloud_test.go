package credentials

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/runcache"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/faults"
)

func TestCloudHosts(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]string{
		"123456789012.dkr.ecr.eu-west-1.amazonaws.com":      "ecr",
		"123456789012.dkr.ecr.us-gov-west-1.amazonaws.com":  "ecr",
		"123456789012.dkr.ecr-fips.us-east-1.amazonaws.com": "ecr",
		"public.ecr.aws":             "",
		"gcr.io":                     "google",
		"eu.gcr.io":                  "google",
		"europe-docker.pkg.dev":      "google",
		"us-central1-docker.pkg.dev": "google",
		"ghcr.io":                    "",
		"docker.pkg.dev.example.com": "",
		"amazonaws.com.example.com":  "",
		"index.docker.io":            "",
		"registry.gitlab.com":        "",
		"acme.azurecr.io":            "",
	} {
		got := ""
		switch {
		case isECR(host):
			got = "ecr"
		case IsGoogle(host):
			got = "google"
		}
		if got != want {
			t.Errorf("%s: cloud %q, want %q", host, got, want)
		}
	}
}

// resolveWith resolves host's credentials with a keychain that has only
// the cloud sources.
func resolveWith(t *testing.T, host string) (authn.Authenticator, string, error) {
	t.Helper()
	k := &Keychain{log: func(context.Context, string, map[string]any) {}, life: context.Background()}
	return k.resolve(t.Context(), host, "")
}

// TestCloudECR: an ECR host is asked of the AWS credential chain, and its
// failure is an error that says so (the test proxy refuses the call to AWS,
// so nothing leaves the machine), never a silent anonymous request.
func TestCloudECR(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE00")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	_, source, err := resolveWith(t, "123456789012.dkr.ecr.eu-west-1.amazonaws.com")
	if err == nil {
		t.Fatal("ECR credentials resolved without reaching AWS")
	}
	if !strings.Contains(source, "ECR") || !strings.Contains(err.Error(), "AWS default credential chain") {
		t.Errorf("source %q, error %q: want the ECR credential chain named", source, err)
	}
	if strings.Contains(err.Error(), "not-a-real-secret") {
		t.Errorf("error %q holds the AWS secret", err)
	}
}

// TestCloudGoogle: an Artifact Registry host takes application default
// credentials from GOOGLE_APPLICATION_CREDENTIALS (a service account whose
// token endpoint is a server in the test).
// googleServiceAccount points GOOGLE_APPLICATION_CREDENTIALS at a service
// account key whose token endpoint is a server on loopback, and returns the
// count of token exchanges.
func googleServiceAccount(t *testing.T) *atomic.Int64 {
	t.Helper()
	var exchanged atomic.Int64
	tokenServer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := exchanged.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"access_token":"ya29.test-%d","token_type":"Bearer","expires_in":3600}`, n)
	}))
	t.Cleanup(tokenServer.Close)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: must(x509.MarshalPKCS8PrivateKey(key))})
	sa, err := json.Marshal(map[string]string{
		"type": "service_account", "project_id": "acme", "private_key_id": "1",
		"private_key": string(pemKey), "client_email": "ci@acme.iam.gserviceaccount.com", "client_id": "1",
		"token_uri": tokenServer.URL + "/token",
	})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sa.json")
	if err := os.WriteFile(path, sa, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", path)
	return &exchanged
}

// TestCloudGoogleRefreshOutlivesRead: Google's gcloud authenticator runs
// gcloud again, on the context it was made with, each time its token
// expires, long after the read that made it has ended. That context must
// outlive the read (and the context the keychain was made with), or every
// read after the first token's hour fails as cancelled.
func TestCloudGoogleRefreshOutlivesRead(t *testing.T) {
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", "")
	t.Setenv("HOME", t.TempDir()) // no application_default_credentials.json
	t.Setenv("GCE_METADATA_HOST", "")
	calls := filepath.Join(t.TempDir(), "calls")
	// Tokens that expire at once: oauth2 refreshes a token 10 s before its
	// expiry, so every Authorization runs gcloud again.
	bin := t.TempDir()
	script := fmt.Sprintf("#!/bin/sh\necho x >> %q\nprintf '{\"credential\":{\"access_token\":\"ya29.gcloud\",\"token_expiry\":\"%%s\"}}' \"$(date -u +%%Y-%%m-%%dT%%H:%%M:%%SZ)\"\n", calls)
	if err := os.WriteFile(filepath.Join(bin, "gcloud"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	made, cancelMade := context.WithCancel(t.Context())
	k, err := New(made, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cancelMade()
	read, cancelRead := context.WithCancel(t.Context())
	repo := names.Repository{Name: "europe-docker.pkg.dev/acme/app", Registry: "europe-docker.pkg.dev", Path: "acme/app"}
	auth, source, err := k.Resolve(read, k.Key(repo), repo)
	if err != nil || source != "gcloud" {
		t.Fatalf("resolve = %q, %v; want gcloud's credentials", source, err)
	}
	cancelRead()
	cfg, err := auth.Authorization()
	if err != nil {
		t.Fatalf("a token refresh after the first read ended: %v", err)
	}
	data, _ := os.ReadFile(calls)
	if cfg.Password != "ya29.gcloud" || strings.Count(string(data), "x") < 2 {
		t.Errorf("authorization %+v after %d gcloud runs: want a refreshed token", cfg, strings.Count(string(data), "x"))
	}
}

func TestCloudGoogle(t *testing.T) {
	exchanged := googleServiceAccount(t)
	auth, source, err := resolveWith(t, "europe-docker.pkg.dev")
	if err != nil {
		t.Fatal(err)
	}
	if auth == nil || auth == authn.Anonymous || !strings.Contains(source, "Google application default credentials") {
		t.Fatalf("auth %v from %q: want Google application default credentials", auth, source)
	}
	cfg, err := auth.Authorization()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cfg.Password, "ya29.test-") || exchanged.Load() == 0 {
		t.Errorf("authorization %+v after %d token exchanges: want the service account's access token", cfg, exchanged.Load())
	}
}

// TestCloudGitHub: GHCR takes GITHUB_TOKEN, and GITHUB_ACTOR as the user.
func TestCloudGitHub(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "ghp_example")
	t.Setenv("GITHUB_ACTOR", "octocat")
	auth, source, err := resolveWith(t, "ghcr.io")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := auth.Authorization()
	if err != nil {
		t.Fatal(err)
	}
	if source != "GITHUB_TOKEN" || cfg.Username != "octocat" || cfg.Password != "ghp_example" {
		t.Errorf("ghcr.io: %+v from %q", cfg, source)
	}
	// Nothing for another registry.
	auth, _, err = resolveWith(t, "quay.io")
	if err != nil || auth != authn.Anonymous {
		t.Errorf("quay.io: %v, %v; want anonymous", auth, err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestCloudECRBrokenConfiguration: a broken AWS configuration is an error
// that names what to fix; ecr-login panicked on each of these, which
// crashed the provider and every data source of the plan.
func TestCloudECRBrokenConfiguration(t *testing.T) {
	dir := t.TempDir()
	confDir := filepath.Join(dir, "a-directory")
	if err := os.Mkdir(confDir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, key, value string
		want             []string
	}{
		{"a profile that does not exist", "AWS_PROFILE", "missing-profile", []string{"AWS_PROFILE", `"missing-profile"`, "~/.aws/config"}},
		{"a number that is not one", "AWS_MAX_ATTEMPTS", "abc", []string{"AWS_MAX_ATTEMPTS=abc"}},
		{"an unknown retry mode", "AWS_RETRY_MODE", "bogus", []string{"AWS_RETRY_MODE", "bogus"}},
		{"a config file that is a directory", "AWS_CONFIG_FILE", confDir, []string{confDir, "AWS_CONFIG_FILE"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("HOME", dir)
			t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
			t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "none"))
			t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "none"))
			t.Setenv(tt.key, tt.value)
			_, _, err := resolveWith(t, "123456789012.dkr.ecr.eu-west-1.amazonaws.com")
			if err == nil {
				t.Fatal("credentials resolved from a broken AWS configuration")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
			var p *runcache.PanicError
			if errors.As(err, &p) {
				t.Errorf("the configuration error came as a recovered panic: %v", err)
			}
		})
	}
}

// TestBounded: a call that ignores its context is left behind when the
// context ends, and a panic in it is an error.
func TestBounded(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	release := make(chan struct{})
	defer close(release)
	start := time.Now()
	_, err := bounded(ctx, func() (int, error) { <-release; return 1, nil })
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Errorf("bounded = %v after %s, want the deadline at once", err, time.Since(start))
	}
	_, err = bounded(t.Context(), func() (int, error) { panic("ecr-login: boom") })
	var p *runcache.PanicError
	if !errors.As(err, &p) || !strings.Contains(err.Error(), "boom") {
		t.Errorf("bounded = %v, want the panic as an error", err)
	}
}

// TestCloudECRBoundedByTimeout: an ECR endpoint that never answers holds
// the read no longer than its deadline (ecr-login calls AWS with
// context.TODO).
func TestCloudECRBoundedByTimeout(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE00")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_ENDPOINT_URL_ECR", "http://"+faults.NewSilent(t))
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	k := &Keychain{log: func(context.Context, string, map[string]any) {}, life: context.Background()}
	start := time.Now()
	_, _, err := k.resolve(ctx, "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "team/app")
	if err == nil {
		t.Fatal("ECR credentials resolved from an endpoint that never answers")
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the read took %s past a 1 s deadline", took)
	}
}

// TestCloudGoogleBrokenCredentials: a GOOGLE_APPLICATION_CREDENTIALS file
// that cannot be used is an error naming the variable and the file
// (go-containerregistry's keychain fell back to anonymous requests).
func TestCloudGoogleBrokenCredentials(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sa.json")
	if err := os.WriteFile(path, []byte(`{"type":"service_account",`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", path)
	_, _, err := resolveWith(t, "europe-docker.pkg.dev")
	if err == nil || !strings.Contains(err.Error(), "GOOGLE_APPLICATION_CREDENTIALS") || !strings.Contains(err.Error(), path) {
		t.Errorf("resolve = %v, want an error naming GOOGLE_APPLICATION_CREDENTIALS and %s", err, path)
	}
}
