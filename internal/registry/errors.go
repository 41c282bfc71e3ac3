package registry

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// Error is what every Client call returns when a registry could not answer:
// it names what was being done, to which image, on which registry, and the
// HTTP status when there was one.
type Error struct {
	// Op says what was being done: "list tags", "read the digest of 1.2".
	Op string
	// Image is the image as the user spelled it.
	Image string
	// Registry is the registry host.
	Registry string
	// Status is the HTTP status code, or 0 when no response came.
	Status int
	// Credentials says where the credentials sent came from, when the
	// registry refused them.
	Credentials string
	// Err is the underlying error.
	Err error
}

func (e *Error) Error() string {
	status := ""
	if e.Status != 0 {
		status = fmt.Sprintf(" (HTTP %d %s)", e.Status, http.StatusText(e.Status))
	}
	return fmt.Sprintf("cannot %s of %s on registry %s%s: %v", e.Op, e.Image, e.Registry, status, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Hint says what the user can do about the error, in one sentence.
func (e *Error) Hint() string {
	var netErr net.Error
	var credErr *CredentialError
	var pullErr *PullLimitError
	switch {
	case errors.As(e.Err, &pullErr):
		return "Log in to " + e.Registry + " to raise the limit (docker login, or an auth block), or pull through a mirror (the provider's mirrors argument, such as { \"docker.io\" = [\"mirror.gcr.io\"] }), then plan again."
	case errors.As(e.Err, &credErr):
		return "Fix the credential source named above, or give the credentials for " + e.Registry + " in an auth block of the provider, which wins over every other source."
	case errors.Is(e.Err, context.DeadlineExceeded):
		return "The registry did not answer within the provider's timeout: check that it is reachable, or raise timeout in the provider block."
	case errors.Is(e.Err, context.Canceled):
		return "The read was cancelled."
	case (e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden) && (e.Credentials == "" || e.Credentials == anonymous):
		return "The registry refused anonymous access to " + e.Registry + ": log in (docker login " + e.Registry + "), or give credentials in an auth block of the provider or in REGISTRY_AUTH_* variables; also check the image name."
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		return "The registry refused the credentials for " + e.Registry + " (from " + e.Credentials + "): check the user name and password or token, and that they may read this repository."
	case e.Status == http.StatusNotFound:
		return "The registry has no such repository or tag: check the image name and tag (some registries answer 404 instead of 401 to anonymous requests for private images)."
	case e.Status == http.StatusTooManyRequests:
		return "The registry is rate-limiting these requests: log in to raise the limit, use a mirror, or try again later."
	case e.Status >= 500:
		return "The registry failed to answer: try again later."
	case errors.As(e.Err, &netErr):
		return "Check that the registry host is right and reachable from here (proxy settings, DNS, TLS certificates; a plain-HTTP registry that is not on loopback must be listed in insecure_registries)."
	}
	return "Check the image name and the registry."
}

// OptionError is an option of New that cannot be used. Option names it as
// the provider's argument does ("ca_file", "mirrors"), so that the provider
// can point its error at that argument.
type OptionError struct {
	Option string
	Err    error
}

func (e *OptionError) Error() string { return e.Option + ": " + e.Err.Error() }

func (e *OptionError) Unwrap() error { return e.Err }

func wrapError(op string, img Image, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	out := &Error{Op: op, Image: img.Name, Registry: img.Registry, Err: err}
	var (
		te *transport.Error
		ra *RetryAfterError
		pl *PullLimitError
	)
	switch {
	case errors.As(err, &te):
		out.Status = te.StatusCode
	case errors.As(err, &ra):
		out.Status = ra.Status
	case errors.As(err, &pl):
		out.Status = http.StatusTooManyRequests
	}
	return out
}
