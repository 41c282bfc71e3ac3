package registry

import (
	"context"

	"github.com/google/go-containerregistry/pkg/authn"
)

// newKeychain gathers every credential source the options and the
// environment give.
func newKeychain(o Options, log LogFunc) (*keychain, error) {
	explicit := make(map[string]Credential, len(o.Auth))
	for host, c := range o.Auth {
		if err := CheckRegistryHost(host); err != nil {
			return nil, &OptionError{Field: "Auth", Err: err}
		}
		explicit[CanonicalHost(host)] = c
	}
	env := make(map[string]Credential, len(o.EnvAuth))
	for host, c := range o.EnvAuth {
		env[CanonicalHost(host)] = c
	}
	var configs []*DockerConfig
	fromEnv, err := DockerConfigFromEnv()
	if err != nil {
		return nil, err
	}
	if fromEnv != nil {
		configs = append(configs, fromEnv)
	}
	file, err := LoadDockerConfig(o.DockerConfigFile)
	if err != nil {
		return nil, err
	}
	if file != nil {
		configs = append(configs, file)
	}
	return &keychain{explicit: explicit, env: env, configs: configs, log: log}, nil
}

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

// credentials returns img's credentials and where they came from; key is
// k.key(img), which a session works out once because it asks again and
// again (with Basic auth, on every request).
func (k *keychain) credentials(ctx context.Context, key string, img Image) (authn.Authenticator, string, error) {
	r, _, err := k.resolved.get(ctx, key, func(ctx context.Context) (resolved, error) {
		auth, source, err := k.resolve(ctx, img.Registry, img.Repository)
		if err != nil {
			return resolved{}, &CredentialError{Registry: img.Registry, Err: err}
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
