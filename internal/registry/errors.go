package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
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
	var denied *DeniedError
	var panicErr *PanicError
	switch {
	case errors.As(e.Err, &panicErr):
		return "This is a bug in the provider: please report it, with the error above."
	case errors.Is(e.Err, ErrInvalidTag):
		return "Give a valid tag: letters, digits, '_', '.' and '-', at most 128 of them."
	case errors.As(e.Err, &denied) && (e.Credentials == "" || e.Credentials == anonymous):
		return "The registry refused anonymous access to " + e.Registry + ": check the image name first (Docker Hub's official images are library/<name>, and a typo reads as a private repository); if the repository is private, log in (docker login " + e.Registry + "), or give credentials in an auth block of the provider or in REGISTRY_AUTH_* variables."
	case errors.As(e.Err, &denied):
		return "Check the image name first; then check that the credentials for " + e.Registry + " (from " + e.Credentials + ") may read this repository."
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
		se *StatusError
		ra *RetryAfterError
		pl *PullLimitError
	)
	switch {
	case errors.As(err, &se):
		out.Status = se.Status
	case errors.As(err, &ra):
		out.Status = ra.Status
	case errors.As(err, &pl):
		out.Status = http.StatusTooManyRequests
	}
	return out
}

// ErrInvalidTag is a tag that is not a valid tag ([ValidTag]): it is never
// sent to a registry.
var ErrInvalidTag = errors.New("the tag is not a valid tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'")

// StatusError is an answer with an HTTP status other than the one asked
// for: the status, and what the registry said of it, shortened, so that no
// error quotes a whole answer (a token server's, or a page of HTML).
type StatusError struct {
	Status int
	// Codes are the distribution API error codes of the answer, such as
	// "MANIFEST_UNKNOWN" or "TOOMANYREQUESTS".
	Codes []string
	// Message is what the registry said: its error messages, or the start
	// of a short plain-text answer; "" when it said nothing usable.
	Message string
	// HTML is true when the answer was an HTML page (a sign-in page, a
	// proxy's error page, an old Nexus's 404).
	HTML bool
	// Numbers holds the numbers in the registry's messages and details, in
	// order, so that a refused page size can be asked again within the
	// registry's own limit.
	Numbers []int
}

func (e *StatusError) Error() string {
	if e.Message != "" {
		return "the registry said: " + e.Message
	}
	if e.HTML {
		return "the registry answered with an HTML page"
	}
	return "the registry gave no reason"
}

// maxErrorBody is the most of an error answer that is read.
const maxErrorBody = 64 << 10

// checkStatus returns nil when resp has status want, else a *StatusError
// made from its body (which it reads, at most maxErrorBody bytes).
func checkStatus(resp *http.Response, want int) error {
	if resp.StatusCode == want {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	return newStatusError(resp.StatusCode, resp.Header.Get("Content-Type"), body)
}

func newStatusError(status int, contentType string, body []byte) *StatusError {
	html := strings.Contains(strings.ToLower(contentType), "html") || bytes.HasPrefix(bytes.TrimSpace(body), []byte("<"))
	if parsed, ok := parseRegistryErrors(body); ok {
		e := parsed.statusError(status)
		e.HTML = html
		return e
	}
	e := &StatusError{Status: status, HTML: html}
	if !html && utf8.Valid(body) {
		text := strings.Join(strings.Fields(string(body)), " ")
		e.Message = shorten(text)
		e.Numbers = numbersIn(text)
	}
	return e
}

// registryErrors is the error body of the distribution API:
// {"errors":[{"code":…,"message":…,"detail":…}]}.
type registryErrors struct {
	Errors []registryError `json:"errors"`
}

type registryError struct {
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Detail  json.RawMessage `json:"detail"`
}

// parseRegistryErrors parses an error body; ok is false when it is not one.
func parseRegistryErrors(body []byte) (registryErrors, bool) {
	var parsed registryErrors
	if json.Unmarshal(body, &parsed) != nil || len(parsed.Errors) == 0 {
		return registryErrors{}, false
	}
	return parsed, true
}

// statusError makes a *StatusError of the errors, for an answer with status.
func (r registryErrors) statusError(status int) *StatusError {
	e := &StatusError{Status: status}
	var parts []string
	for _, d := range r.Errors {
		e.Codes = append(e.Codes, d.Code)
		parts = append(parts, strings.TrimPrefix(strings.TrimSpace(d.Code+": "+d.Message), ": "))
		e.Numbers = append(e.Numbers, numbersIn(d.Message)...)
		e.Numbers = append(e.Numbers, numbersIn(string(d.Detail))...)
	}
	e.Message = shorten(strings.Join(parts, "; "))
	return e
}

// numbersIn returns the decimal numbers in s (at most 16 of them).
func numbersIn(s string) []int {
	var out []int
	for i := 0; i < len(s) && len(out) < 16; {
		if s[i] < '0' || s[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if n, err := strconv.Atoi(s[i:j]); err == nil {
			out = append(out, n)
		}
		i = j
	}
	return out
}

// DeniedError is a 401 or 403 that a token, granted and then refreshed,
// did not get past: the repository does not exist, or the credentials may
// not read it. Registries answer both alike.
type DeniedError struct {
	Err error
}

func (e *DeniedError) Error() string {
	return "the repository does not exist, or these credentials may not read it (" + e.Err.Error() + ")"
}

func (e *DeniedError) Unwrap() error { return e.Err }

// PanicError is a panic on a read path, turned into an error.
type PanicError struct {
	Value string
}

func (e *PanicError) Error() string {
	return "internal error (a panic, recovered): " + e.Value
}

// CredentialError is a failure to get a registry's credentials from their
// source (a credential helper, a cloud's credential chain), as opposed to a
// registry refusing them.
type CredentialError struct {
	Registry string
	// Source names where the credentials were looked for.
	Source string
	Err    error
}

func (e *CredentialError) Error() string { return e.Err.Error() }

func (e *CredentialError) Unwrap() error { return e.Err }

// TokenError is a failed request to a registry's token server.
type TokenError struct {
	Scope string
	Err   error
}

func (e *TokenError) Error() string {
	return fmt.Sprintf("cannot get a token for %s: %v", e.Scope, e.Err)
}

func (e *TokenError) Unwrap() error { return e.Err }
