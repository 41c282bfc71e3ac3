package credentials

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/docker/docker-credential-helpers/client"
	"github.com/docker/docker-credential-helpers/credentials"
	"github.com/google/go-containerregistry/pkg/authn"
)

// helperWaitDelay is how long a credential helper's output may stay open
// after the read's context ended (a helper whose child keeps the pipe).
const helperWaitDelay = time.Second

// helperName is what a credential helper's name may be: Docker's helpers
// are "desktop", "osxkeychain", "ecr-login", "gcloud", "pass".
var helperName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// checkHelperName returns an error when name cannot be a credential
// helper's: a name with a path in it ("x/payload") would run a program from
// the working directory, which a checked-out repository controls.
func checkHelperName(name string) error {
	if !helperName.MatchString(name) || strings.Contains(name, "..") {
		return fmt.Errorf("the credential helper name %q is not a name: it must be letters, digits, '.', '_' and '-' (no '/' and no '..'), as in \"desktop\" or \"ecr-login\"", name)
	}
	return nil
}

// findHelper returns the path of docker-credential-<name> on PATH; never a
// program in the working directory.
func findHelper(name string) (string, error) {
	if err := checkHelperName(name); err != nil {
		return "", err
	}
	path, err := exec.LookPath("docker-credential-" + name)
	if err != nil {
		return "", fmt.Errorf("docker-credential-%s is not on PATH: %w", name, err)
	}
	if !filepath.IsAbs(path) {
		return "", fmt.Errorf("docker-credential-%s was found at %s, relative to the working directory, not on PATH", name, path)
	}
	return path, nil
}

// runCredentialHelper asks docker-credential-<helper>, found on PATH, for
// serverURL's credentials, as Docker does, but under ctx: a helper that
// waits on a keychain prompt is killed when the read's timeout ends. found
// is false when the helper has none.
func runCredentialHelper(ctx context.Context, helper, serverURL string) (authn.AuthConfig, bool, error) {
	path, err := findHelper(helper)
	if err != nil {
		return authn.AuthConfig{}, false, err
	}
	program := func(args ...string) client.Program {
		cmd := exec.CommandContext(ctx, path, args...) //nolint:gosec // the helper named in the user's Docker config, found on PATH as Docker finds it
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
