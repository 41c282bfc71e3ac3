package credentials

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/middleware"
	ecrapi "github.com/awslabs/amazon-ecr-credential-helper/ecr-login/api"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/authn/github"
	"github.com/google/go-containerregistry/pkg/v1/google"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/runcache"
)

// cloudCredentials asks the cloud keychains for host's credentials, within
// ctx's deadline whatever the cloud libraries do; an authenticator that
// keeps a context (Google's token source, which refreshes its token an
// hour later) keeps life, not the read's ctx. It returns a nil
// authenticator for a host that is no cloud's registry.
func cloudCredentials(ctx, life context.Context, host string) (authn.Authenticator, string, error) {
	switch {
	case isECR(host):
		const source = "Amazon ECR (AWS default credential chain)"
		auth, err := ecrCredentials(ctx, host)
		return auth, source, err
	case IsGoogle(host):
		auth, source, err := googleCredentials(ctx, life)
		if err != nil {
			return nil, source, fmt.Errorf("cannot get Google credentials for registry %s: %w", host, err)
		}
		if auth != nil {
			return auth, source, nil
		}
	case host == "ghcr.io":
		auth, err := github.Keychain.Resolve(registryResource(host))
		if err == nil && auth != authn.Anonymous {
			return auth, "GITHUB_TOKEN", nil
		}
	}
	return nil, "", nil
}

// googleCredentials returns application default credentials, else
// gcloud's, else nil, made on life and within ctx's deadline. go-containerregistry's Google keychain would fall
// back to anonymous requests on any error, and keep the first answer for the
// process; here a GOOGLE_APPLICATION_CREDENTIALS that cannot be used is an
// error naming it, and a failure is not remembered.
func googleCredentials(ctx, life context.Context) (authn.Authenticator, string, error) {
	const adc = "Google application default credentials"
	file := os.Getenv("GOOGLE_APPLICATION_CREDENTIALS")
	auth, err := bounded(ctx, func() (authn.Authenticator, error) { return google.NewEnvAuthenticator(life) })
	switch {
	case err == nil && auth != authn.Anonymous:
		return auth, adc, nil
	case file != "" && ctx.Err() == nil:
		return nil, adc, fmt.Errorf("GOOGLE_APPLICATION_CREDENTIALS names %s, which cannot be used: %w; set it to a service account key or an external account file, or unset it", file, err)
	case ctx.Err() != nil:
		return nil, adc, ctx.Err()
	}
	auth, err = bounded(ctx, func() (authn.Authenticator, error) { return google.NewGcloudAuthenticator(life) })
	if err == nil && auth != authn.Anonymous {
		return auth, "gcloud", nil
	}
	return nil, "", ctx.Err()
}

// ecrCredentials gets an ECR registry's credentials from the AWS default
// credential chain. The AWS configuration is loaded here first, with the
// read's context, because ecr-login loads it with context.TODO and panics
// when it cannot (AWS_PROFILE naming a missing profile, AWS_MAX_ATTEMPTS=abc,
// AWS_RETRY_MODE=bogus): this way the error names what to fix.
func ecrCredentials(ctx context.Context, host string) (authn.Authenticator, error) {
	reg, err := ecrapi.ExtractRegistry(host)
	if err != nil {
		return nil, err
	}
	cfg, err := bounded(ctx, func() (awsAuth, error) {
		cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(reg.Region),
			awsconfig.WithAPIOptions([]func(*middleware.Stack) error{bindContext(ctx)}))
		if err != nil {
			return awsAuth{}, awsConfigError(err)
		}
		if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
			return awsAuth{}, err
		}
		// The credentials are cached in cfg now, so the client's own
		// context.TODO calls only ask ECR for the token.
		auth, err := ecrapi.DefaultClientFactory{}.NewClient(cfg).GetCredentials(host)
		if err != nil {
			return awsAuth{}, err
		}
		return awsAuth{user: auth.Username, password: auth.Password}, nil
	})
	var cfgErr *awsConfigErr
	switch {
	case errors.As(err, &cfgErr):
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("cannot get Amazon ECR credentials for registry %s from the AWS default credential chain (environment, shared config and credentials files, SSO, instance or task role): %w; configure AWS credentials with access to ecr:GetAuthorizationToken", host, err)
	}
	return authn.FromConfig(authn.AuthConfig{Username: cfg.user, Password: cfg.password}), nil
}

type awsAuth struct{ user, password string }

// bindContext ends every AWS API call of the configuration when the read's
// context ends: ecr-login makes its calls with context.TODO.
func bindContext(read context.Context) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("BindReadContext",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				ctx, cancel := context.WithCancel(ctx)
				defer cancel()
				defer context.AfterFunc(read, cancel)()
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
	}
}

// awsConfigErr is an AWS configuration that cannot be loaded.
type awsConfigErr struct{ err error }

func (e *awsConfigErr) Error() string {
	files := "the shared config file (AWS_CONFIG_FILE, default ~/.aws/config) and credentials file (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials)"
	var missing awsconfig.SharedConfigProfileNotExistError
	if errors.As(e.err, &missing) {
		return fmt.Sprintf("the AWS configuration cannot be loaded: AWS_PROFILE (or AWS_DEFAULT_PROFILE) names the profile %q, which is in neither %s: set it to a profile that exists, or unset it", missing.Profile, files)
	}
	return fmt.Sprintf("the AWS configuration cannot be loaded: %v; fix the AWS_* environment variable it names (set now: %s), or %s", e.err, awsVariablesSet(), files)
}

func (e *awsConfigErr) Unwrap() error { return e.err }

func awsConfigError(err error) error { return &awsConfigErr{err: err} }

// awsVariablesSet names the AWS_* variables that are set, never their
// values (some are secrets).
func awsVariablesSet() string {
	var names []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// bounded runs f, which may ignore ctx (the cloud libraries use
// context.TODO or exec without a context), and returns its result, or
// ctx's error as soon as ctx ends: a hung credential chain cannot hold a
// read past its timeout. A panic in f is an error.
func bounded[T any](ctx context.Context, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r.err = &runcache.PanicError{Value: fmt.Sprint(p)}
			}
			done <- r
		}()
		r.v, r.err = f()
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

func isECR(host string) bool {
	if host == "public.ecr.aws" {
		return false // public images need no credentials
	}
	_, err := ecrapi.ExtractRegistry(host)
	return err == nil
}

// IsGoogle reports whether host is one of Google's registries (Container
// Registry or Artifact Registry).
func IsGoogle(host string) bool {
	return host == "gcr.io" || strings.HasSuffix(host, ".gcr.io") || strings.HasSuffix(host, "-docker.pkg.dev")
}

type registryResource string

func (r registryResource) String() string      { return string(r) }
func (r registryResource) RegistryStr() string { return string(r) }
