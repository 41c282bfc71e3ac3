package registry

import (
	"context"
	"io"
	"os/exec"
	"time"

	"github.com/docker/docker-credential-helpers/client"
	"github.com/docker/docker-credential-helpers/credentials"
	"github.com/google/go-containerregistry/pkg/authn"
)

// helperWaitDelay is how long a credential helper's output may stay open
// after the read's context ended (a helper whose child keeps the pipe).
const helperWaitDelay = time.Second

// runCredentialHelper asks docker-credential-<helper> for serverURL's
// credentials, as Docker does, but under ctx: a helper that waits on a
// keychain prompt is killed when the read's timeout ends. found is false
// when the helper has none.
func runCredentialHelper(ctx context.Context, helper, serverURL string) (authn.AuthConfig, bool, error) {
	program := func(args ...string) client.Program {
		cmd := exec.CommandContext(ctx, "docker-credential-"+helper, args...) //nolint:gosec // the helper named in the user's Docker config, as Docker runs it
		cmd.WaitDelay = helperWaitDelay
		return &helperProgram{cmd: cmd}
	}
	creds, err := client.Get(program, serverURL)
	switch {
	case err != nil && credentials.IsErrCredentialsNotFound(err):
		return authn.AuthConfig{}, false, nil
	case err != nil && ctx.Err() != nil:
		return authn.AuthConfig{}, false, ctx.Err()
	case err != nil:
		return authn.AuthConfig{}, false, err
	case creds.Username == "<token>":
		// Docker's convention for an identity token.
		return authn.AuthConfig{IdentityToken: creds.Secret}, creds.Secret != "", nil
	}
	return authn.AuthConfig{Username: creds.Username, Password: creds.Secret}, creds.Username != "" || creds.Secret != "", nil
}

// helperProgram is a client.Program that runs under a context.
type helperProgram struct{ cmd *exec.Cmd }

func (p *helperProgram) Output() ([]byte, error) { return p.cmd.Output() }

func (p *helperProgram) Input(in io.Reader) { p.cmd.Stdin = in }
