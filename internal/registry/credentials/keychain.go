package credentials

import (
	"context"

	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/runcache"
)

// Options are the credential sources a Keychain has besides the ones it
// finds itself.
type Options struct {
	// Auth holds credentials by registry host (checked, canonical
	// spelling). They win over every other source for their registry.
	Auth map[string]Credential
	// EnvAuth holds credentials by registry host read from the environment
	// (see FromEnv); they come after Auth.
	EnvAuth map[string]Credential
	// DockerConfigFile is a Docker config file to read instead of the
	// default ($DOCKER_CONFIG/config.json, then ~/.docker/config.json).
	DockerConfigFile string
	// Log receives a line when a repository's credentials are resolved.
	Log func(ctx context.Context, msg string, fields map[string]any)
}

// New gathers every credential source the options and the environment
// give. The cloud credentials it makes (Google's refresh their tokens)
// live on ctx's values but not its cancellation: they outlive the read
// that first needed them.
func New(ctx context.Context, o Options) (*Keychain, error) {
	explicit := make(map[string]Credential, len(o.Auth))
	for host, c := range o.Auth {
		explicit[names.CanonicalHost(host)] = c
	}
	env := make(map[string]Credential, len(o.EnvAuth))
	for host, c := range o.EnvAuth {
		env[names.CanonicalHost(host)] = c
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
	log := o.Log
	if log == nil {
		log = func(context.Context, string, map[string]any) {}
	}
	return &Keychain{explicit: explicit, env: env, configs: configs, log: log, life: context.WithoutCancel(ctx)}, nil
}

// Keychain resolves a repository's credentials from, in order: the
// provider's auth blocks, the environment, DOCKER_AUTH_CONFIG, the Docker
// config file (and its credential helpers), and the cloud keychains (ECR
// with the AWS default credential chain, Google Artifact Registry and GCR
// with application default credentials, GHCR with GITHUB_TOKEN); else
// anonymous. Each host (and config namespace) is resolved once a run; a
// failure is not remembered, so a later read tries again.
type Keychain struct {
	explicit map[string]Credential
	env      map[string]Credential
	configs  []*DockerConfig
	log      func(ctx context.Context, msg string, fields map[string]any)
	// life is the context of what outlives one read (Google's token
	// sources): the provider run's.
	life context.Context

	resolved runcache.Map[resolved]
}

// resolved is a repository's credentials and where they came from.
type resolved struct {
	auth   authn.Authenticator
	source string
}

// Resolve returns repo's credentials and where they came from; key is
// k.Key(repo), which a session works out once because it asks again and
// again (with Basic auth, on every request).
func (k *Keychain) Resolve(ctx context.Context, key string, repo names.Repository) (authn.Authenticator, string, error) {
	r, _, err := k.resolved.Get(ctx, key, func(ctx context.Context) (resolved, error) {
		auth, source, err := k.resolve(ctx, repo.Registry, repo.Path)
		if err != nil {
			return resolved{}, err
		}
		k.log(ctx, "credentials resolved", map[string]any{"registry": repo.Registry, "source": source})
		return resolved{auth: auth, source: source}, nil
	})
	return r.auth, r.source, err
}

// Source says where repo's credentials came from, "" when they were never
// resolved (no challenge asked for them).
func (k *Keychain) Source(repo names.Repository) string {
	r, _ := k.resolved.Peek(k.Key(repo))
	return r.source
}

// Key names repo's credentials: its host, and the namespace of the Docker
// config entry that would serve it.
func (k *Keychain) Key(repo names.Repository) string {
	host := repo.Registry
	for _, d := range k.configs {
		if ns := d.namespace(host, repo.Path); ns != "" {
			return host + "/" + ns
		}
	}
	return host
}

func (k *Keychain) resolve(ctx context.Context, host, repository string) (authn.Authenticator, string, error) {
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
	if auth, source, err := cloudCredentials(ctx, k.life, host); err != nil || auth != nil {
		return auth, source, err
	}
	return authn.Anonymous, SourceAnonymous, nil
}
