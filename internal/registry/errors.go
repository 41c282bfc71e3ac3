package registry

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/transport"
)

// Error is what every Client call returns when a registry could not answer:
// it names what was being done, to which image, on which registry, the
// HTTP status when there was one, and the kind of failure.
type Error struct {
	// Op says what was being done: "list the tags", "read the digest of
	// tag 1.2".
	Op string
	// Image is the image as the user spelled it.
	Image string
	// Registry is the registry host.
	Registry string
	// Status is the HTTP status code, or 0 when no response came.
	Status int
	// Kind is what kind of failure this is, computed once, when the error
	// was made (transport.Classify).
	Kind Kind
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

// Anonymous reports whether the request that failed carried no
// credentials.
func (e *Error) Anonymous() bool {
	return e.Credentials == "" || e.Credentials == SourceAnonymous
}

// Kind is what kind of failure an Error is, for the caller to say what the
// user can do about it; see transport.Kind.
type Kind = transport.Kind

// The kinds of failure (transport.Kind).
const (
	KindOther            = transport.KindOther
	KindInternal         = transport.KindInternal
	KindInvalidTag       = transport.KindInvalidTag
	KindCredentialSource = transport.KindCredentialSource
	KindNotFoundOrDenied = transport.KindNotFoundOrDenied
	KindRefused          = transport.KindRefused
	KindNotFound         = transport.KindNotFound
	KindPullLimit        = transport.KindPullLimit
	KindRateLimited      = transport.KindRateLimited
	KindWaitPastTimeout  = transport.KindWaitPastTimeout
	KindUnavailable      = transport.KindUnavailable
	KindTimeout          = transport.KindTimeout
	KindCanceled         = transport.KindCanceled
	KindDropped          = transport.KindDropped
	KindUnreachable      = transport.KindUnreachable
	KindUntrusted        = transport.KindUntrusted
	KindBadAnswer        = transport.KindBadAnswer
)

// OptionError is an option of New that cannot be used. Field names it as
// Options does ("CAFile", "Mirrors"), so that the caller can point its
// error at the setting the option came from.
type OptionError struct {
	Field string
	Err   error
}

func (e *OptionError) Error() string { return e.Err.Error() }

func (e *OptionError) Unwrap() error { return e.Err }

// CredentialError is a failure to get a registry's credentials from their
// source (a credential helper, a cloud's credential chain), as opposed to a
// registry refusing them.
type CredentialError struct {
	Err error
}

func (e *CredentialError) Error() string { return e.Err.Error() }

func (e *CredentialError) Unwrap() error { return e.Err }

// Kind is KindCredentialSource.
func (e *CredentialError) Kind() Kind { return KindCredentialSource }

// HostsError is a read that failed on the registry and on each of its
// mirrors: every host tried, in order, and how it failed.
type HostsError struct {
	Failures []HostFailure
}

// HostFailure is how one host failed.
type HostFailure struct {
	Host string
	Err  error
}

func (e *HostsError) Error() string {
	parts := make([]string, 0, len(e.Failures))
	for i, f := range e.Failures {
		what := "mirror " + f.Host
		if i == 0 {
			what = "registry " + f.Host
		}
		parts = append(parts, what+": "+f.Err.Error())
	}
	return "the registry and each of its mirrors failed: " + strings.Join(parts, "; ")
}

// Unwrap returns the registry's own failure, which decides the kind and
// status of the read.
func (e *HostsError) Unwrap() error { return e.Failures[0].Err }

// NoPlatformError is a tag whose image has no manifest for the platform
// asked for.
type NoPlatformError struct {
	Platform names.Platform
	// Single is the image's own platform when it is single-platform.
	Single string
	// Found names the platforms there are, at most maxPlatformsNamed.
	Found []string
}

func (e *NoPlatformError) Error() string {
	if e.Single != "" {
		return fmt.Sprintf("the image is single-platform and its platform is %s, not %s; the platforms there are: %s", e.Single, e.Platform, e.Single)
	}
	return fmt.Sprintf("the image has no manifest for platform %s; the platforms there are: %s", e.Platform, listOrNone(e.Found))
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// wrapError wraps the error of the public method that names the
// operation, once, computing its kind and status.
func wrapError(op string, repo names.Repository, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	out := &Error{Op: op, Image: repo.Name, Registry: repo.Registry, Kind: transport.Classify(err), Err: err}
	var (
		se *transport.StatusError
		ra *transport.RetryAfterError
	)
	switch {
	case errors.As(err, &se):
		out.Status = se.Status
	case errors.As(err, &ra):
		out.Status = ra.Status
	case out.Kind == KindPullLimit:
		out.Status = http.StatusTooManyRequests
	}
	return out
}
