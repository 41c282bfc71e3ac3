package registry

import "github.com/google/go-containerregistry/pkg/authn"

// Credential is one registry's credentials: a username and password (a
// personal access token used as a password goes here), or an identity token
// (Docker's identitytoken, an OAuth2 refresh token).
type Credential struct {
	Username string
	Password string
	Token    string
}

// dockerHubKey is the key under which Docker keeps Docker Hub's credentials.
const dockerHubKey = authn.DefaultAuthKey

func (c Credential) authenticator() authn.Authenticator {
	if c.Token != "" {
		return authn.FromConfig(authn.AuthConfig{Username: c.Username, IdentityToken: c.Token})
	}
	return authn.FromConfig(authn.AuthConfig{Username: c.Username, Password: c.Password})
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
