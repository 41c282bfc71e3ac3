package credentials

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/docker/cli/cli/config/configfile"
	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// ConfigFileError is a Docker config file, named in Options, that cannot
// be used.
type ConfigFileError struct{ Err error }

func (e *ConfigFileError) Error() string { return e.Err.Error() }

func (e *ConfigFileError) Unwrap() error { return e.Err }

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
			return nil, &ConfigFileError{Err: err}
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
	return names.CanonicalHost(host), namespace
}

// helperKey is the server URL that `docker login` stores host's
// credentials under in a credential helper.
func helperKey(host string) string {
	if host == names.DockerHub {
		return dockerHubKey
	}
	return host
}
