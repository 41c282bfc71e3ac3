package registry

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	ecr "github.com/awslabs/amazon-ecr-credential-helper/ecr-login"
	ecrapi "github.com/awslabs/amazon-ecr-credential-helper/ecr-login/api"
	"github.com/docker/cli/cli/config/configfile"
	"github.com/docker/cli/cli/config/types"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/authn/github"
	"github.com/google/go-containerregistry/pkg/v1/google"
)

// Credential is one registry's credentials: a username and password (a
// personal access token used as a password goes here), or an identity token
// (Docker's identitytoken, an OAuth2 refresh token).
type Credential struct {
	Username string
	Password string
	Token    string
}

func (c Credential) authenticator() authn.Authenticator {
	if c.Token != "" {
		return authn.FromConfig(authn.AuthConfig{Username: c.Username, IdentityToken: c.Token})
	}
	return authn.FromConfig(authn.AuthConfig{Username: c.Username, Password: c.Password})
}

// dockerHubKey is the key under which Docker keeps Docker Hub's credentials.
const dockerHubKey = authn.DefaultAuthKey

// EnvPrefix starts the environment variables that give credentials without a
// file: REGISTRY_AUTH[_<LABEL>]_REGISTRY, _USERNAME, _PASSWORD and _TOKEN.
const EnvPrefix = "REGISTRY_AUTH_"

// CredentialsFromEnv reads credentials from the environment (environ is
// os.Environ()): groups of REGISTRY_AUTH_<LABEL>_REGISTRY with _USERNAME and
// _PASSWORD, or _TOKEN, where the label may be empty (REGISTRY_AUTH_REGISTRY,
// REGISTRY_AUTH_USERNAME, ...) or any name (REGISTRY_AUTH_GHCR_REGISTRY, ...),
// so a pipeline can log in to several registries with no file.
func CredentialsFromEnv(environ []string) (map[string]Credential, error) {
	type group struct{ registry, username, password, token string }
	groups := map[string]*group{}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(k, EnvPrefix) {
			continue
		}
		rest := strings.TrimPrefix(k, EnvPrefix)
		for _, field := range []string{"REGISTRY", "USERNAME", "PASSWORD", "TOKEN"} {
			if rest != field && !strings.HasSuffix(rest, "_"+field) {
				continue
			}
			label := strings.TrimSuffix(strings.TrimSuffix(rest, field), "_")
			g := groups[label]
			if g == nil {
				g = &group{}
				groups[label] = g
			}
			switch field {
			case "REGISTRY":
				g.registry = v
			case "USERNAME":
				g.username = v
			case "PASSWORD":
				g.password = v
			case "TOKEN":
				g.token = v
			}
			break
		}
	}
	labels := make([]string, 0, len(groups))
	for l := range groups {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	out := map[string]Credential{}
	for _, label := range labels {
		g := groups[label]
		prefix := EnvPrefix
		if label != "" {
			prefix += label + "_"
		}
		switch {
		case g.registry == "":
			return nil, fmt.Errorf("environment: %sUSERNAME, %sPASSWORD or %sTOKEN is set but %sREGISTRY is not: set it to the registry host the credentials are for", prefix, prefix, prefix, prefix)
		case g.token == "" && (g.username == "" || g.password == ""):
			return nil, fmt.Errorf("environment: %sREGISTRY is %q but the credentials are incomplete: set both %sUSERNAME and %sPASSWORD, or %sTOKEN", prefix, g.registry, prefix, prefix, prefix)
		case g.token != "" && g.password != "":
			return nil, fmt.Errorf("environment: both %sPASSWORD and %sTOKEN are set for %q: set only one", prefix, prefix, g.registry)
		}
		if err := CheckRegistryHost(g.registry); err != nil {
			return nil, fmt.Errorf("environment: %sREGISTRY: %w", prefix, err)
		}
		host := CanonicalHost(g.registry)
		if _, dup := out[host]; dup {
			return nil, fmt.Errorf("environment: credentials for %q are set more than once (%sREGISTRY and another group): keep one", g.registry, prefix)
		}
		out[host] = Credential{Username: g.username, Password: g.password, Token: g.token}
	}
	return out, nil
}

// DockerConfig is a Docker config file, loaded once.
type DockerConfig struct {
	// Path is where it was read from ("" for DOCKER_AUTH_CONFIG).
	Path string
	file *configfile.ConfigFile
}

// LoadDockerConfig reads the Docker config file that Docker itself would:
// path when it is not empty (it must exist), else $DOCKER_CONFIG/config.json,
// else ~/.docker/config.json, else Podman's auth file ($REGISTRY_AUTH_FILE,
// then containers/auth.json under $XDG_RUNTIME_DIR or ~/.config). It returns
// nil, nil when there is none.
func LoadDockerConfig(path string) (*DockerConfig, error) {
	if path != "" {
		cf, err := readDockerConfig(path)
		if err != nil {
			return nil, &OptionError{Option: "docker_config_file", Err: err}
		}
		return cf, nil
	}
	var candidates []string
	if dir := os.Getenv("DOCKER_CONFIG"); dir != "" {
		candidates = append(candidates, filepath.Join(dir, "config.json"))
	}
	home, _ := os.UserHomeDir()
	if home != "" {
		candidates = append(candidates, filepath.Join(home, ".docker", "config.json"))
	}
	if f := os.Getenv("REGISTRY_AUTH_FILE"); f != "" {
		candidates = append(candidates, f)
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		candidates = append(candidates, filepath.Join(dir, "containers", "auth.json"))
	}
	if dir := os.Getenv("XDG_CONFIG_HOME"); dir != "" {
		candidates = append(candidates, filepath.Join(dir, "containers", "auth.json"))
	} else if home != "" {
		candidates = append(candidates, filepath.Join(home, ".config", "containers", "auth.json"))
	}
	for _, c := range candidates {
		if _, err := os.Stat(c); err != nil {
			continue
		}
		return readDockerConfig(c)
	}
	return nil, nil
}

// DockerConfigFromEnv reads DOCKER_AUTH_CONFIG, the content of a Docker
// config file in a variable (as GitLab CI passes it). It returns nil, nil
// when the variable is unset.
func DockerConfigFromEnv() (*DockerConfig, error) {
	content := os.Getenv("DOCKER_AUTH_CONFIG")
	if strings.TrimSpace(content) == "" {
		return nil, nil
	}
	cf := configfile.New("")
	if err := cf.LoadFromReader(strings.NewReader(content)); err != nil {
		return nil, fmt.Errorf("environment: DOCKER_AUTH_CONFIG is not a valid Docker config (JSON with an \"auths\" object): %s", redactJSONError(err))
	}
	return &DockerConfig{file: cf}, nil
}

func readDockerConfig(path string) (*DockerConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read Docker config %s: %w; give the path of an existing file, or leave docker_config_file unset", path, err)
	}
	cf := configfile.New(path)
	if err := cf.LoadFromReader(bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("the Docker config %s is not valid: %s", path, redactJSONError(err))
	}
	return &DockerConfig{Path: path, file: cf}, nil
}

// redactJSONError keeps a parse error's message but never the file's
// content, which holds secrets.
func redactJSONError(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "\n"); i >= 0 {
		msg = msg[:i]
	}
	return msg
}

// lookup returns the credentials the Docker config has for host, running
// its credential helper if it names one. found is false when it has none.
func (d *DockerConfig) lookup(host string) (cred authn.AuthConfig, source string, found bool, err error) {
	key := host
	if host == DockerHub {
		key = dockerHubKey
	}
	helper := d.file.CredentialHelpers[host]
	if helper == "" && host == DockerHub {
		helper = d.file.CredentialHelpers["docker.io"]
	}
	if helper == "" {
		helper = d.file.CredentialsStore
	}
	where := "Docker config"
	if d.Path != "" {
		where += " " + d.Path
	} else {
		where = "DOCKER_AUTH_CONFIG"
	}
	var ac types.AuthConfig
	if helper != "" {
		source = fmt.Sprintf("credential helper docker-credential-%s (from %s)", helper, where)
		ac, err = d.file.GetCredentialsStore(key).Get(key)
		if err != nil {
			return authn.AuthConfig{}, source, false, fmt.Errorf("the credential helper docker-credential-%s (named in %s) failed for registry %s: %w; check that it is installed on PATH and logged in, or remove it from the config", helper, where, host, err)
		}
	} else {
		source = where
		ac, err = d.file.GetAuthConfig(key)
		if err != nil {
			return authn.AuthConfig{}, source, false, fmt.Errorf("cannot read the credentials for registry %s from %s: %w", host, where, err)
		}
	}
	cred = authn.AuthConfig{Username: ac.Username, Password: ac.Password, Auth: ac.Auth, IdentityToken: ac.IdentityToken, RegistryToken: ac.RegistryToken}
	found = cred != authn.AuthConfig{}
	return cred, source, found, nil
}

// CredentialError is a failure to get a registry's credentials from their
// source (a credential helper, a cloud's credential chain), as opposed to a
// registry refusing them.
type CredentialError struct {
	Registry string
	Err      error
}

func (e *CredentialError) Error() string { return e.Err.Error() }

func (e *CredentialError) Unwrap() error { return e.Err }

// anonymous is the source of a registry's credentials when there are none.
const anonymous = "none (anonymous)"

// keychain resolves credentials for a registry host from, in order: the
// provider's auth blocks, the environment, DOCKER_AUTH_CONFIG, the Docker
// config file (and its credential helpers), and the cloud keychains (ECR
// with the AWS default credential chain, Google Artifact Registry and GCR
// with application default credentials, GHCR with GITHUB_TOKEN); else
// anonymous. Each host is resolved once, and the outcome kept for the run.
type keychain struct {
	explicit map[string]Credential
	env      map[string]Credential
	configs  []*DockerConfig
	cloud    bool
	log      LogFunc

	mu       sync.Mutex
	resolved map[string]*resolution
}

type resolution struct {
	once   sync.Once
	auth   authn.Authenticator
	source string
	err    error
}

var _ authn.Keychain = (*keychain)(nil)

func (k *keychain) Resolve(r authn.Resource) (authn.Authenticator, error) {
	return k.ResolveContext(context.Background(), r)
}

// ResolveContext resolves the credentials for r's registry, once per host.
func (k *keychain) ResolveContext(ctx context.Context, r authn.Resource) (authn.Authenticator, error) {
	host := CanonicalHost(r.RegistryStr())
	k.mu.Lock()
	if k.resolved == nil {
		k.resolved = map[string]*resolution{}
	}
	res := k.resolved[host]
	if res == nil {
		res = &resolution{}
		k.resolved[host] = res
	}
	k.mu.Unlock()
	res.once.Do(func() {
		res.auth, res.source, res.err = k.resolve(ctx, host)
		if res.err != nil {
			res.err = &CredentialError{Registry: host, Err: res.err}
		}
		if res.err == nil {
			k.log(ctx, "credentials resolved", map[string]any{"registry": host, "source": res.source})
		}
	})
	return res.auth, res.err
}

// source says where host's credentials came from, "" before they were
// resolved.
func (k *keychain) source(host string) string {
	k.mu.Lock()
	res := k.resolved[CanonicalHost(host)]
	k.mu.Unlock()
	if res == nil {
		return ""
	}
	res.once.Do(func() {}) // wait for a resolution in progress
	return res.source
}

func (k *keychain) resolve(ctx context.Context, host string) (authn.Authenticator, string, error) {
	if c, ok := k.explicit[host]; ok {
		return c.authenticator(), "the provider's auth block", nil
	}
	if c, ok := k.env[host]; ok {
		return c.authenticator(), "the REGISTRY_AUTH_* environment variables", nil
	}
	for _, d := range k.configs {
		cred, source, found, err := d.lookup(host)
		if err != nil {
			return nil, source, err
		}
		if found {
			return authn.FromConfig(cred), source, nil
		}
	}
	if k.cloud {
		if auth, source, err := cloudCredentials(ctx, host); err != nil || auth != nil {
			return auth, source, err
		}
	}
	return authn.Anonymous, anonymous, nil
}

// cloudCredentials asks the cloud keychains for host's credentials. It
// returns a nil authenticator for a host that is no cloud's registry.
func cloudCredentials(ctx context.Context, host string) (authn.Authenticator, string, error) {
	switch {
	case isECR(host):
		helper := ecr.NewECRHelper(ecr.WithLogger(io.Discard))
		user, pass, err := helper.Get(host)
		if err != nil {
			return nil, "Amazon ECR", fmt.Errorf("cannot get Amazon ECR credentials for registry %s from the AWS default credential chain (environment, shared config and credentials files, SSO, instance or task role): %w; configure AWS credentials with access to ecr:GetAuthorizationToken, or give credentials in an auth block", host, err)
		}
		return authn.FromConfig(authn.AuthConfig{Username: user, Password: pass}), "Amazon ECR (AWS default credential chain)", nil
	case isGoogle(host):
		auth, err := google.Keychain.Resolve(registryResource(host))
		if err != nil {
			return nil, "Google", fmt.Errorf("cannot get Google credentials for registry %s: %w", host, err)
		}
		if auth != authn.Anonymous {
			return auth, "Google application default credentials", nil
		}
	case host == "ghcr.io":
		auth, err := github.Keychain.Resolve(registryResource(host))
		if err == nil && auth != authn.Anonymous {
			return auth, "GITHUB_TOKEN", nil
		}
	}
	return nil, "", nil
}

func isECR(host string) bool {
	if host == "public.ecr.aws" {
		return false // public images need no credentials
	}
	_, err := ecrapi.ExtractRegistry(host)
	return err == nil
}

func isGoogle(host string) bool {
	return host == "gcr.io" || strings.HasSuffix(host, ".gcr.io") || strings.HasSuffix(host, "-docker.pkg.dev")
}

type registryResource string

func (r registryResource) String() string      { return string(r) }
func (r registryResource) RegistryStr() string { return string(r) }
