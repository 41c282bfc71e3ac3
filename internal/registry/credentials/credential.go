package credentials

import (
	"errors"

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

// What Check finds wrong with a Credential.
var (
	// ErrNoSecret is a credential with neither a password nor a token.
	ErrNoSecret = errors.New("neither a password nor a token")
	// ErrNoUsername is a password without a username.
	ErrNoUsername = errors.New("a password but no username")
	// ErrPasswordAndToken is a password and a token together.
	ErrPasswordAndToken = errors.New("both a password and a token")
)

// Check returns what is wrong with c, one of the errors above, or nil: a
// credential is a username and password, or a token (with or without a
// username). Every source of credentials (auth blocks, the environment)
// checks with it, and names its own inputs.
func (c Credential) Check() error {
	switch {
	case c.Password == "" && c.Token == "":
		return ErrNoSecret
	case c.Password != "" && c.Username == "":
		return ErrNoUsername
	case c.Password != "" && c.Token != "":
		return ErrPasswordAndToken
	}
	return nil
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
