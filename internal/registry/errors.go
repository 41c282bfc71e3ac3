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
	"time"
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

// Kind is what kind of failure an Error is, for the caller to say what the
// user can do about it.
type Kind int

// The kinds of failure, from the most specific.
const (
	// KindOther is none of the below.
	KindOther Kind = iota
	// KindInternal is a bug: a panic on a read path, recovered.
	KindInternal
	// KindInvalidTag is a tag that is not a valid tag; nothing was sent.
	KindInvalidTag
	// KindCredentialSource is a credential source that failed (a
	// credential helper, a cloud's credential chain).
	KindCredentialSource
	// KindNotFoundOrDenied is a 401 or 403 that persisted after a new
	// token: the repository does not exist, or the credentials may not
	// read it.
	KindNotFoundOrDenied
	// KindRefused is a 401 or 403 to the credentials sent (or to none).
	KindRefused
	// KindNotFound is a 404.
	KindNotFound
	// KindPullLimit is a pull rate limit (Docker Hub's), not worth a retry.
	KindPullLimit
	// KindRateLimited is a 429 that lasted through the retries, or a
	// Retry-After longer than the time left.
	KindRateLimited
	// KindUnavailable is a 5xx that lasted through the retries.
	KindUnavailable
	// KindTimeout is a read that ran out of time.
	KindTimeout
	// KindCanceled is a read that was cancelled.
	KindCanceled
	// KindUnreachable is a registry that could not be reached: DNS, a
	// refused connection, TLS, a proxy, or plain HTTP refused.
	KindUnreachable
)

// Kind says what kind of failure the error is.
func (e *Error) Kind() Kind {
	var (
		netErr  net.Error
		credErr *CredentialError
		pullErr *PullLimitError
		waitErr *RetryAfterError
		denied  *DeniedError
		panics  *PanicError
	)
	switch {
	case errors.As(e.Err, &panics):
		return KindInternal
	case errors.Is(e.Err, ErrInvalidTag):
		return KindInvalidTag
	case errors.As(e.Err, &credErr):
		return KindCredentialSource
	case errors.As(e.Err, &denied):
		return KindNotFoundOrDenied
	case errors.As(e.Err, &pullErr):
		return KindPullLimit
	case errors.Is(e.Err, context.DeadlineExceeded):
		return KindTimeout
	case errors.Is(e.Err, context.Canceled):
		return KindCanceled
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		return KindRefused
	case e.Status == http.StatusNotFound:
		return KindNotFound
	case e.Status == http.StatusTooManyRequests, errors.As(e.Err, &waitErr):
		return KindRateLimited
	case e.Status >= 500:
		return KindUnavailable
	case errors.Is(e.Err, ErrPlainHTTP), errors.As(e.Err, &netErr):
		return KindUnreachable
	}
	return KindOther
}

// Anonymous reports whether the request that failed carried no
// credentials.
func (e *Error) Anonymous() bool {
	return e.Credentials == "" || e.Credentials == SourceAnonymous
}

// OptionError is an option of New that cannot be used. Field names it as
// Options does ("CAFile", "Mirrors"), so that the caller can point its
// error at the setting the option came from.
type OptionError struct {
	Field string
	Err   error
}

func (e *OptionError) Error() string { return e.Err.Error() }

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

// TagInImageError is a repository name written with a tag: the caller says
// where the tag goes instead.
type TagInImageError struct {
	Image string
	// Tag is the tag part, with its colon (":1.27").
	Tag string
}

func (e *TagInImageError) Error() string {
	return fmt.Sprintf("image %q holds a tag (%s): remove it from image", e.Image, e.Tag)
}

// ErrInvalidTag is a tag that is not a valid tag ([ValidTag]): it is never
// sent to a registry.
var ErrInvalidTag = errors.New("the tag is not a valid tag: " + tagRule)

// StatusError is an answer with an HTTP status other than the one asked
// for: the status, and what the registry said of it, shortened, so that no
// error quotes a whole answer (a token server's, or a page of HTML).
type StatusError struct {
	Status int
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
	Err      error
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

// ErrPlainHTTP is returned for a plain-HTTP request to a host that may not
// have one.
var ErrPlainHTTP = errors.New("plain HTTP refused")

// RetryAfterError is returned when a registry asks to wait longer than the
// read's timeout leaves.
type RetryAfterError struct {
	Status   int
	Wait     time.Duration
	Attempts int
}

// PullLimitError is Docker Hub's (or a registry like it) pull rate limit:
// not worth retrying within a plan.
type PullLimitError struct {
	Registry string
	// Limit is the ratelimit-limit header, such as "100;w=21600".
	Limit string
	// Source is the docker-ratelimit-source header (the IP or account limited).
	Source string
	// Reset is when the limit resets, when the registry said.
	Reset time.Time
	// Message is the registry's own message.
	Message string
}

// errTooLarge is returned when a response body passes MaxResponseBytes.
var errTooLarge = fmt.Errorf("the response is larger than the safety cap of %d MiB", MaxResponseBytes>>20)

// errRedirect is a redirect the client refuses to follow.
var errRedirect = errors.New("redirect refused")

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("the registry answered HTTP %d %s and asked to wait %s before trying again (Retry-After), more than the time left for the read (after %d attempts)",
		e.Status, http.StatusText(e.Status), e.Wait.Round(time.Second), e.Attempts)
}

func (e *PullLimitError) Error() string {
	var b strings.Builder
	b.WriteString("the registry's pull rate limit is reached")
	if l := describeLimit(e.Limit); l != "" {
		b.WriteString(" (" + l)
		if e.Source != "" {
			b.WriteString(" for " + e.Source)
		}
		b.WriteString(")")
	}
	if !e.Reset.IsZero() {
		fmt.Fprintf(&b, "; it resets at %s", e.Reset.UTC().Format(time.RFC3339))
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	return b.String()
}
