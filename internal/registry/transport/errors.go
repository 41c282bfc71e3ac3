package transport

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

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

// Kind is KindNotFoundOrDenied.
func (e *DeniedError) Kind() Kind { return KindNotFoundOrDenied }

// TokenError is a failed request to a registry's token server.
type TokenError struct {
	Scope string
	Err   error
}

func (e *TokenError) Error() string {
	return fmt.Sprintf("cannot get a token for %s: %v", e.Scope, e.Err)
}

func (e *TokenError) Unwrap() error { return e.Err }

// untrustedError is a connection the client refused to make or follow.
type untrustedError string

func (e untrustedError) Error() string { return string(e) }

// Kind is KindUntrusted.
func (e untrustedError) Kind() Kind { return KindUntrusted }

// ErrPlainHTTP is returned for a plain-HTTP request to a host that may not
// have one.
var ErrPlainHTTP error = untrustedError("plain HTTP refused")

// errRedirect is a redirect the client refuses to follow.
var errRedirect error = untrustedError("redirect refused")

// TooLargeError is an answer past a safety cap: a body larger than the
// client reads (Size is its length when the registry said, else 0), or a
// list longer than it keeps.
type TooLargeError struct {
	// What is what was too large: "the answer", "the manifest".
	What string
	// Size is its size in bytes when known, else 0.
	Size int64
	// Limit is the cap, in bytes.
	Limit int64
}

func (e *TooLargeError) Error() string {
	if e.Size > 0 {
		return fmt.Sprintf("%s is %s, more than the safety cap of %s", e.What, bytesText(e.Size), bytesText(e.Limit))
	}
	return fmt.Sprintf("%s is larger than the safety cap of %s", e.What, bytesText(e.Limit))
}

// Kind is KindBadAnswer.
func (e *TooLargeError) Kind() Kind { return KindBadAnswer }

// bytesText spells a size in MiB when it is a whole number of them, else
// in bytes.
func bytesText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB (%d bytes)", float64(n)/(1<<20), n)
	}
	return fmt.Sprintf("%d bytes", n)
}

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

// Kind is KindWaitPastTimeout.
func (e *RetryAfterError) Kind() Kind { return KindWaitPastTimeout }

// Kind is KindPullLimit.
func (e *PullLimitError) Kind() Kind { return KindPullLimit }

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
