package registry

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/docker/cli/cli/config/configfile"
	"github.com/google/go-containerregistry/pkg/authn"
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
			return nil, &OptionError{Field: "DockerConfigFile", Err: err}
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
		if _, err := os.Stat(c); err != nil { //nolint:gosec // the places Docker and Podman keep their config
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
	data, err := os.ReadFile(path) //nolint:gosec // the Docker config the user named, or Docker's own
	if err != nil {
		return nil, fmt.Errorf("cannot read the Docker config %s: %w", path, err)
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

// lookup returns the credentials that the config has for repository on
// host, running its credential helper if it names one; found is false when
// it has none. Keys are matched as Docker and Podman write them: with or
// without a scheme, Docker Hub under any of its aliases, and Podman's
// namespace keys ("quay.io/org1"), of which the longest that holds the
// repository wins.
func (d *DockerConfig) lookup(ctx context.Context, host, repository string) (cred authn.AuthConfig, source string, found bool, err error) {
	where := "DOCKER_AUTH_CONFIG"
	if d.Path != "" {
		where = "Docker config " + d.Path
	}
	if helper := d.helper(host); helper != "" {
		source = fmt.Sprintf("credential helper docker-credential-%s (from %s)", helper, where)
		cred, found, err = runCredentialHelper(ctx, helper, helperKey(host))
		if err != nil {
			return authn.AuthConfig{}, source, false, fmt.Errorf("the credential helper docker-credential-%s (named in %s) failed for registry %s: %w; check that it is installed on PATH and logged in, or remove it from the config", helper, where, host, err)
		}
		return cred, source, found, nil
	}
	key, ok := d.authKey(host, repository)
	if !ok {
		return authn.AuthConfig{}, where, false, nil
	}
	ac := d.file.AuthConfigs[key]
	cred = authn.AuthConfig{Username: ac.Username, Password: ac.Password, Auth: ac.Auth, IdentityToken: ac.IdentityToken, RegistryToken: ac.RegistryToken}
	return cred, where, cred != authn.AuthConfig{}, nil
}

// helper returns the credential helper that the config names for host (in
// credHelpers, under any spelling of the host, else credsStore), or "".
func (d *DockerConfig) helper(host string) string {
	keys := slices.Sorted(maps.Keys(d.file.CredentialHelpers))
	for _, k := range keys {
		if h, _ := splitAuthKey(k); h == host {
			return d.file.CredentialHelpers[k]
		}
	}
	return d.file.CredentialsStore
}

// authKey returns the key of the config's auths entry for repository on
// host: the one whose namespace is the longest that holds the repository,
// the first in sorted order among equals.
func (d *DockerConfig) authKey(host, repository string) (string, bool) {
	best, bestLen := "", -1
	for _, k := range slices.Sorted(maps.Keys(d.file.AuthConfigs)) {
		h, ns := splitAuthKey(k)
		if h != host || (ns != "" && repository != ns && !strings.HasPrefix(repository, ns+"/")) {
			continue
		}
		if len(ns) > bestLen {
			best, bestLen = k, len(ns)
		}
	}
	return best, bestLen >= 0
}

// namespace returns the namespace of the auths entry that would serve
// repository on host ("" for a host-wide entry or none).
func (d *DockerConfig) namespace(host, repository string) string {
	if k, ok := d.authKey(host, repository); ok {
		_, ns := splitAuthKey(k)
		return ns
	}
	return ""
}

// splitAuthKey splits a Docker or Podman config key into its canonical host
// and namespace: "https://index.docker.io/v1/" → (index.docker.io, ""),
// "quay.io/org1" → (quay.io, "org1").
func splitAuthKey(key string) (host, namespace string) {
	k := key
	if i := strings.Index(k, "://"); i >= 0 {
		k = k[i+3:]
	}
	host, namespace, _ = strings.Cut(k, "/")
	namespace = strings.Trim(namespace, "/")
	if namespace == "v1" || namespace == "v2" {
		namespace = ""
	}
	return CanonicalHost(host), namespace
}

// helperKey is the server URL that `docker login` stores host's
// credentials under in a credential helper.
func helperKey(host string) string {
	if host == DockerHub {
		return dockerHubKey
	}
	return host
}

// Where credentials came from, as Error.Credentials names them; other
// sources are named by their file or credential helper.
const (
	// SourceOptions is Options.Auth.
	SourceOptions = "the client's options (Options.Auth)"
	// SourceEnvironment is the REGISTRY_AUTH_* variables.
	SourceEnvironment = "the REGISTRY_AUTH_* environment variables"
	// SourceAnonymous means there were none.
	SourceAnonymous = "none (anonymous)"
)

// keychain resolves a repository's credentials from, in order: the
// provider's auth blocks, the environment, DOCKER_AUTH_CONFIG, the Docker
// config file (and its credential helpers), and the cloud keychains (ECR
// with the AWS default credential chain, Google Artifact Registry and GCR
// with application default credentials, GHCR with GITHUB_TOKEN); else
// anonymous. Each host (and config namespace) is resolved once a run; a
// failure is not remembered, so a later read tries again.
type keychain struct {
	explicit map[string]Credential
	env      map[string]Credential
	configs  []*DockerConfig
	log      LogFunc

	resolved memo[resolved]
}

// resolved is a repository's credentials and where they came from.
type resolved struct {
	auth   authn.Authenticator
	source string
}

// credentials returns img's credentials and where they came from.
func (k *keychain) credentials(ctx context.Context, img Image) (authn.Authenticator, string, error) {
	r, _, err := k.resolved.get(ctx, k.key(img), func(ctx context.Context) (resolved, error) {
		auth, source, err := k.resolve(ctx, img.Registry, img.Repository)
		if err != nil {
			return resolved{}, &CredentialError{Registry: img.Registry, Source: source, Err: err}
		}
		k.log(ctx, "credentials resolved", map[string]any{"registry": img.Registry, "source": source})
		return resolved{auth: auth, source: source}, nil
	})
	return r.auth, r.source, err
}

// source says where img's credentials came from, "" when they were never
// resolved (no challenge asked for them).
func (k *keychain) source(img Image) string {
	r, _ := k.resolved.peek(k.key(img))
	return r.source
}

// key names img's credentials: its host, and the namespace of the Docker
// config entry that would serve it.
func (k *keychain) key(img Image) string {
	host := CanonicalHost(img.Registry)
	for _, d := range k.configs {
		if ns := d.namespace(host, img.Repository); ns != "" {
			return host + "/" + ns
		}
	}
	return host
}

func (k *keychain) resolve(ctx context.Context, host, repository string) (authn.Authenticator, string, error) {
	host = CanonicalHost(host)
	if c, ok := k.explicit[host]; ok {
		return c.authenticator(), SourceOptions, nil
	}
	if c, ok := k.env[host]; ok {
		return c.authenticator(), SourceEnvironment, nil
	}
	for _, d := range k.configs {
		cred, source, found, err := d.lookup(ctx, host, repository)
		if err != nil {
			return nil, source, err
		}
		if found {
			return authn.FromConfig(cred), source, nil
		}
	}
	if auth, source, err := cloudCredentials(ctx, host); err != nil || auth != nil {
		return auth, source, err
	}
	return authn.Anonymous, SourceAnonymous, nil
}
