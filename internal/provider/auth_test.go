package provider

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/faults"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/pushapi"
)

// credentialHelper installs docker-credential-<name> on PATH; it answers
// "get" with user and secret, or fails with the message when fail is not
// empty.
func credentialHelper(t *testing.T, name, user, secret, fail string) {
	t.Helper()
	script := fmt.Sprintf("read server\nprintf '{\"ServerURL\":\"%%s\",\"Username\":\"%s\",\"Secret\":\"%s\"}' \"$server\"\n", user, secret)
	if fail != "" {
		script = fmt.Sprintf("echo %q\nexit 1\n", fail)
	}
	registrytest.CredentialHelper(t, name, script)
}

// latestTagConfig reads team/app's newest tag with a provider block.
func latestTagConfig(host string, providerArgs ...string) string {
	return hcl(providerBlock(providerArgs...), fmt.Sprintf(`data "registry_latest_tag" "app" { image = "%s/team/app" }`, host))
}

var tagIs2 = []statecheck.StateCheck{expect("data.registry_latest_tag.app", "tag", knownvalue.StringExact("2.0.0"))}

// TestAccAuthTokenRegistry reads a registry that hands out bearer tokens, as
// Docker Hub and GHCR do, with each credential source a provider block can
// name.
func TestAccAuthTokenRegistry(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewDistribution(t, registrytest.WithTokenAuth(map[string]string{"alice": "alice-s3cret", "bob": "bob-s3cret"}))
	reg.PushTags(t, "team/app", "1.0.0", "2.0.0")
	dir := t.TempDir()
	good := registrytest.DockerConfig{Auths: map[string]string{reg.Host: "bob:bob-s3cret"}}.Write(t, mkdir(t, dir, "good"))
	bad := registrytest.DockerConfig{Auths: map[string]string{reg.Host: "bob:wrong"}}.Write(t, mkdir(t, dir, "bad"))
	block := func(user, pass string) string {
		return authBlock(reg.Host, user, fmt.Sprintf("%q", pass))
	}

	accTest(t,
		resource.TestStep{Config: latestTagConfig(reg.Host, block("alice", "alice-s3cret")), ConfigStateChecks: tagIs2},
		resource.TestStep{
			Config:            latestTagConfig(reg.Host, fmt.Sprintf("auth {\n registry = %q\n token = %q\n}", reg.Host, reg.Token.RefreshToken("alice"))),
			ConfigStateChecks: tagIs2,
		},
		resource.TestStep{Config: latestTagConfig(reg.Host, fmt.Sprintf("docker_config_file = %q", good)), ConfigStateChecks: tagIs2},
		// The auth block wins over the Docker config.
		resource.TestStep{Config: latestTagConfig(reg.Host, fmt.Sprintf("docker_config_file = %q", bad), block("alice", "alice-s3cret")), ConfigStateChecks: tagIs2},
		resource.TestStep{
			Config:      latestTagConfig(reg.Host, block("alice", "wrong")),
			ExpectError: errorContaining("Cannot List Tags", "team/app", "registry "+reg.Host, "HTTP 401", "refused the credentials for "+reg.Host, "from the provider's auth block"),
		},
		resource.TestStep{
			Config:      latestTagConfig(reg.Host, fmt.Sprintf("docker_config_file = %q", bad)),
			ExpectError: errorContaining("HTTP 401", "refused the credentials", "from Docker config "+bad),
		},
		resource.TestStep{
			Config:      latestTagConfig(reg.Host, fmt.Sprintf("docker_config_file = %q", filepath.Join(dir, "missing.json"))),
			ExpectError: errorContaining("docker_config_file", "missing.json"),
		},
		resource.TestStep{Config: latestTagConfig(reg.Host, block("alice", "alice-s3cret")), ConfigStateChecks: tagIs2},
	)
}

func mkdir(t *testing.T, parts ...string) string {
	t.Helper()
	p := filepath.Join(parts...)
	if err := os.MkdirAll(p, 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAccAuthAnonymous: a registry that wants credentials and gets none says
// so, and how to give them.
func TestAccAuthAnonymous(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewDistribution(t, registrytest.WithTokenAuth(map[string]string{"alice": "alice-s3cret"}))
	reg.PushTags(t, "team/app", "2.0.0")
	empty := registrytest.DockerConfig{}.Write(t, t.TempDir())
	accTest(t, resource.TestStep{
		Config:      latestTagConfig(reg.Host, fmt.Sprintf("docker_config_file = %q", empty)),
		ExpectError: errorContaining("HTTP 401", "refused anonymous access to "+reg.Host, "auth block"),
	})
}

// TestAccAuthBasicOverTLS reads a registry with htpasswd basic auth behind a
// certificate that a CA made in the test signed.
func TestAccAuthBasicOverTLS(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewDistribution(t, registrytest.WithTLS(), registrytest.WithBasicAuth("carol", "carol-s3cret"))
	reg.PushTags(t, "team/app", "1.0.0", "2.0.0")
	auth := authBlock(reg.Host, "carol", `"carol-s3cret"`)
	accTest(t,
		resource.TestStep{Config: latestTagConfig(reg.Host, auth, fmt.Sprintf("ca_file = %q", reg.CAFile)), ConfigStateChecks: tagIs2},
		resource.TestStep{Config: latestTagConfig(reg.Host, auth, fmt.Sprintf("insecure_registries = [%q]", reg.Host)), ConfigStateChecks: tagIs2},
		resource.TestStep{
			Config:      latestTagConfig(reg.Host, auth),
			ExpectError: errorContaining("Cannot List Tags", "certificate signed by unknown authority"),
		},
		resource.TestStep{
			Config:      latestTagConfig(reg.Host, auth, `ca_file = "/nonexistent/ca.pem"`),
			ExpectError: errorContaining("ca_file", "/nonexistent/ca.pem"),
		},
		resource.TestStep{Config: latestTagConfig(reg.Host, auth, fmt.Sprintf("ca_file = %q", reg.CAFile)), ConfigStateChecks: tagIs2},
	)
}

// TestMirrors: mirrors are a fallback, asked in order only when the
// registry itself cannot answer, and the registry gets half of the timeout
// so that a mirror has time left. A pull-through cache may hold a stale or
// partial list (goharbor/harbor#15513, #16394), so a registry that answers
// wins over its mirrors.
func TestMirrors(t *testing.T) {
	t.Parallel()
	origin := registrytest.NewInProcess(t)
	origin.PushTags(t, "team/app", "1.0.0", "2.0.0")
	stale := registrytest.NewInProcess(t)
	stale.PushTags(t, "team/app", "1.0.0")
	mirror := registrytest.NewInProcess(t)
	mirror.PushTags(t, "team/app", "3.0.0")
	hanging := faults.NewSilent(t)
	const refused = "127.0.0.1:1" // nothing listens on port 1

	unitTest(t,
		resource.TestStep{
			// The registry answers: its mirrors, one down and one stale,
			// are not asked.
			Config:            latestTagConfig(origin.Host, fmt.Sprintf(`mirrors = { %q = [%q, %q] }`, origin.Host, refused, stale.Host)),
			ConfigStateChecks: tagIs2,
		},
		resource.TestStep{
			// The registry refuses connections: the first mirror that
			// answers does; outputs still name the image as written.
			Config: latestTagConfig(refused, fmt.Sprintf(`mirrors = { %q = [%q, %q] }`, refused, hanging, mirror.Host), `timeout = "3s"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect("data.registry_latest_tag.app", "tag", knownvalue.StringExact("3.0.0")),
				expect("data.registry_latest_tag.app", "image_ref", knownvalue.StringExact(refused+"/team/app:3.0.0")),
			},
		},
		resource.TestStep{
			// The registry hangs: after half the timeout, the mirror answers.
			Config:            latestTagConfig(hanging, fmt.Sprintf(`mirrors = { %q = [%q] }`, hanging, mirror.Host), `timeout = "3s"`),
			ConfigStateChecks: []statecheck.StateCheck{expect("data.registry_latest_tag.app", "tag", knownvalue.StringExact("3.0.0"))},
		},
		resource.TestStep{
			// The registry answers 404: that is its answer, not a reason
			// to ask a mirror.
			Config:      hcl(providerBlock(fmt.Sprintf(`mirrors = { %q = [%q] }`, origin.Host, mirror.Host)), fmt.Sprintf(`data "registry_latest_tag" "app" { image = "%s/team/other" }`, origin.Host)),
			ExpectError: errorContaining("Cannot List Tags", "HTTP 404"),
		},
		resource.TestStep{
			// Registry and mirror both hang: the read ends with its timeout.
			Config:      latestTagConfig(hanging, fmt.Sprintf(`mirrors = { %q = [%q] }`, hanging, faults.NewSilent(t)), `timeout = "2s"`),
			ExpectError: errorContaining("did not answer within the provider's timeout"),
		},
	)
	if got := stale.Requests.TagList.Load(); got != 0 {
		t.Errorf("the stale mirror served %d tag lists while the registry answered, want 0", got)
	}
	if got := mirror.Requests.TagList.Load(); got == 0 {
		t.Error("the mirror served no tag list")
	}
}

// TestAccAuthFromEnvironment covers the sources the environment gives. It sets
// environment variables, so it does not run in parallel with other tests.
func TestAccAuthFromEnvironment(t *testing.T) {
	reg := registrytest.NewDistribution(t, registrytest.WithTokenAuth(map[string]string{"dave": "dave-s3cret", "erin": "erin-s3cret"}))
	reg.PushTags(t, "team/app", "1.0.0", "2.0.0")
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("DOCKER_CONFIG", "")
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("XDG_RUNTIME_DIR", "")
	t.Setenv("REGISTRY_AUTH_FILE", "")
	t.Setenv("DOCKER_AUTH_CONFIG", "")

	envDir := mkdir(t, home, "env-config")
	credentialHelper(t, "good", "erin", "erin-s3cret", "")
	credentialHelper(t, "broken", "", "", "the keyring is locked")

	steps := []struct {
		name  string
		env   map[string]string
		setup func()
		args  []string
		err   []string
	}{
		{name: "labelled variables", env: map[string]string{"REGISTRY_AUTH_TEAM_REGISTRY": reg.Host, "REGISTRY_AUTH_TEAM_USERNAME": "dave", "REGISTRY_AUTH_TEAM_PASSWORD": "dave-s3cret"}},
		{name: "unlabelled variables with a token", env: map[string]string{"REGISTRY_AUTH_REGISTRY": reg.Host, "REGISTRY_AUTH_TOKEN": reg.Token.RefreshToken("dave")}},
		{name: "DOCKER_AUTH_CONFIG", env: map[string]string{"DOCKER_AUTH_CONFIG": fmt.Sprintf(`{"auths":{%q:{"auth":%q}}}`, reg.Host, base64.StdEncoding.EncodeToString([]byte("dave:dave-s3cret")))}},
		{name: "~/.docker/config.json", setup: func() {
			registrytest.DockerConfig{Auths: map[string]string{reg.Host: "erin:erin-s3cret"}}.Write(t, mkdir(t, home, ".docker"))
		}},
		{name: "DOCKER_CONFIG over ~/.docker", env: map[string]string{"DOCKER_CONFIG": envDir}, setup: func() {
			registrytest.DockerConfig{Auths: map[string]string{reg.Host: "erin:wrong"}}.Write(t, mkdir(t, home, ".docker"))
			registrytest.DockerConfig{Auths: map[string]string{reg.Host: "erin:erin-s3cret"}}.Write(t, envDir)
		}},
		{name: "variables over the Docker config", env: map[string]string{"REGISTRY_AUTH_REGISTRY": reg.Host, "REGISTRY_AUTH_USERNAME": "dave", "REGISTRY_AUTH_PASSWORD": "dave-s3cret"}, setup: func() {
			registrytest.DockerConfig{Auths: map[string]string{reg.Host: "erin:wrong"}}.Write(t, mkdir(t, home, ".docker"))
		}},
		{name: "auth block over variables", env: map[string]string{"REGISTRY_AUTH_REGISTRY": reg.Host, "REGISTRY_AUTH_USERNAME": "dave", "REGISTRY_AUTH_PASSWORD": "wrong"},
			args: []string{authBlock(reg.Host, "erin", `"erin-s3cret"`)}},
		{name: "credential helper", setup: func() {
			registrytest.DockerConfig{Helpers: map[string]string{reg.Host: "good"}}.Write(t, mkdir(t, home, ".docker"))
		}},
		{name: "credsStore", setup: func() {
			registrytest.DockerConfig{Store: "good"}.Write(t, mkdir(t, home, ".docker"))
		}},
		{name: "failing credential helper", setup: func() {
			registrytest.DockerConfig{Helpers: map[string]string{reg.Host: "broken"}}.Write(t, mkdir(t, home, ".docker"))
		}, err: []string{"docker-credential-broken", "failed for registry " + reg.Host, "the keyring is locked"}},
		{name: "incomplete variables", env: map[string]string{"REGISTRY_AUTH_X_REGISTRY": reg.Host, "REGISTRY_AUTH_X_USERNAME": "dave"},
			err: []string{"REGISTRY_AUTH_X_REGISTRY", "incomplete", "REGISTRY_AUTH_X_PASSWORD"}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			_ = os.RemoveAll(filepath.Join(home, ".docker"))
			for k, v := range s.env {
				t.Setenv(k, v)
			}
			if s.setup != nil {
				s.setup()
			}
			step := resource.TestStep{Config: latestTagConfig(reg.Host, s.args...), ConfigStateChecks: tagIs2}
			if s.err != nil {
				step = resource.TestStep{Config: latestTagConfig(reg.Host, s.args...), ExpectError: errorContaining(s.err...)}
			}
			accTest(t, step)
		})
	}
}

// TestAccSecretsStayOut runs a plan with TF_LOG=trace and credentials from an
// auth block, the environment and a Docker config, and a registry_api
// token, and checks that no secret appears in the log or the state.
func TestAccSecretsStayOut(t *testing.T) {
	reg := registrytest.NewDistribution(t, registrytest.WithTokenAuth(map[string]string{"frank": "frank-block-s3cret", "grace": "grace-env-s3cret"}))
	reg.PushTags(t, "team/app", "1.0.0", "2.0.0")
	other := registrytest.NewDistribution(t, registrytest.WithTokenAuth(map[string]string{"heidi": "heidi-file-s3cret"}))
	other.PushTags(t, "team/app", "2.0.0")
	third := registrytest.NewDistribution(t, registrytest.WithTLS(), registrytest.WithBasicAuth("ivan", "ivan-basic-s3cret"))
	third.PushTags(t, "team/app", "2.0.0")

	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	t.Setenv("REGISTRY_AUTH_GRACE_REGISTRY", other.Host)
	t.Setenv("REGISTRY_AUTH_GRACE_USERNAME", "heidi")
	t.Setenv("REGISTRY_AUTH_GRACE_PASSWORD", "heidi-file-s3cret")
	cfgPath := registrytest.DockerConfig{Auths: map[string]string{third.Host: "ivan:ivan-basic-s3cret"}}.Write(t, t.TempDir())
	quay := pushapi.NewQuay(t)
	quay.Require("Bearer quay-api-s3cret")
	for _, tag := range []string{"1.0.0", "2.0.0"} {
		quay.Push("team/app", tag, time.Now().Add(-30*24*time.Hour))
	}

	secrets := []string{"frank-block-s3cret", "heidi-file-s3cret", "ivan-basic-s3cret", "quay-api-s3cret",
		base64.StdEncoding.EncodeToString([]byte("ivan:ivan-basic-s3cret")), base64.StdEncoding.EncodeToString([]byte("frank:frank-block-s3cret"))}
	noSecretInState := func(s *terraform.State) error {
		for _, m := range s.Modules {
			for addr, r := range m.Resources {
				for k, v := range r.Primary.Attributes {
					for _, secret := range secrets {
						if strings.Contains(v, secret) {
							return fmt.Errorf("state %s.%s holds a secret", addr, k)
						}
					}
				}
			}
		}
		return nil
	}
	accTest(t, resource.TestStep{
		Config: hcl(providerBlock(
			authBlock(reg.Host, "frank", "var.password"),
			fmt.Sprintf("docker_config_file = %q", cfgPath),
			fmt.Sprintf("ca_file = %q", third.CAFile),
			fmt.Sprintf("registry_api = { %q = { type = \"quay\", url = %q, token = var.quay_token } }", reg.Host, quay.URL),
		),
			"variable \"password\" {\n sensitive = true\n}",
			"variable \"quay_token\" {\n sensitive = true\n}",
			fmt.Sprintf("data \"registry_latest_tag\" \"a\" {\n  image = \"%s/team/app\"\n  min_age = \"7d\"\n  age_from = \"push\"\n}", reg.Host),
			fmt.Sprintf(`data "registry_latest_tag" "b" { image = "%s/team/app" }`, other.Host),
			fmt.Sprintf(`data "registry_image_digest" "c" {
  image = "%s/team/app"
  tag   = "2.0.0"
}`, third.Host)),
		ConfigVariables: config.Variables{"password": config.StringVariable("frank-block-s3cret"), "quay_token": config.StringVariable("quay-api-s3cret")},
		Check:           noSecretInState,
		ConfigStateChecks: []statecheck.StateCheck{
			expect("data.registry_latest_tag.a", "tag", knownvalue.StringExact("2.0.0")),
			expect("data.registry_latest_tag.a", "age_source", knownvalue.StringExact("push")),
			expect("data.registry_latest_tag.b", "tag", knownvalue.StringExact("2.0.0")),
		},
	})
	log, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatalf("reading the trace log: %v", err)
	}
	for _, want := range []string{"selected the newest tag", "tags_listed", "tags_kept", "rejected_by_filter", "top_candidates"} {
		if !strings.Contains(string(log), want) {
			t.Errorf("the debug log does not explain the selection: no %q", want)
		}
	}
	if !strings.Contains(string(log), "registry request") || !strings.Contains(string(log), "credentials resolved") {
		t.Fatalf("the trace log (%d bytes) holds no request log: the test would prove nothing", len(log))
	}
	for _, line := range strings.Split(string(log), "\n") {
		for _, secret := range secrets {
			if strings.Contains(line, secret) {
				t.Errorf("the trace log holds the secret %q: %.300s", secret, line)
			}
		}
	}
}

// TestAccProxy reads registries whose host resolves nowhere, through the proxy
// in HTTPS_PROXY and HTTP_PROXY: over verified TLS with ca_file (a CONNECT
// tunnel), over unverified TLS, and over plain HTTP for a listed host.
func TestAccProxy(t *testing.T) {
	t.Parallel()
	tlsReg := registrytest.NewDistribution(t, registrytest.WithTLS(), registrytest.WithBasicAuth("judy", "judy-s3cret"))
	tlsReg.PushTags(t, "team/app", "1.0.0", "2.0.0")
	tlsHost := tlsReg.ViaProxy(t)
	plain := registrytest.NewInProcess(t)
	plain.PushTags(t, "team/app", "2.0.0")
	plainHost := plain.ViaProxy(t)
	auth := authBlock(tlsHost, "judy", `"judy-s3cret"`)
	before := registrytest.InternetProxy().Requests.Load()
	accTest(t,
		resource.TestStep{Config: latestTagConfig(tlsHost, auth, fmt.Sprintf("ca_file = %q", tlsReg.CAFile)), ConfigStateChecks: tagIs2},
		resource.TestStep{Config: latestTagConfig(tlsHost, auth, fmt.Sprintf("insecure_registries = [%q]", tlsHost)), ConfigStateChecks: tagIs2},
		resource.TestStep{
			// Not loopback, not listed: HTTPS only, and the error says what to do.
			Config:      latestTagConfig(plainHost),
			ExpectError: errorContaining("server gave HTTP response to HTTPS client", "must be listed in insecure_registries"),
		},
		resource.TestStep{Config: latestTagConfig(plainHost, fmt.Sprintf("insecure_registries = [%q]", plainHost)), ConfigStateChecks: tagIs2},
	)
	if registrytest.InternetProxy().Requests.Load() == before {
		t.Error("no request went through the proxy")
	}
}
