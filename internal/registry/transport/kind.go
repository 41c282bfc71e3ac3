package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/runcache"
)

// Kind is what kind of failure an error is: whether to try again, whether
// a mirror may answer instead, and what the user can do about it. Classify
// computes it, in one place, for every error the client meets.
type Kind int

// The kinds of failure.
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
	// KindRateLimited is a 429 that lasted through the retries.
	KindRateLimited
	// KindWaitPastTimeout is a Retry-After longer than the time left.
	KindWaitPastTimeout
	// KindUnavailable is a 5xx or 408 that lasted through the retries.
	KindUnavailable
	// KindTimeout is a read that ran out of time.
	KindTimeout
	// KindCanceled is a read that was cancelled.
	KindCanceled
	// KindDropped is a connection that dropped or timed out mid-request:
	// it may pass.
	KindDropped
	// KindUnreachable is a registry that could not be reached: DNS, a
	// refused connection, a proxy.
	KindUnreachable
	// KindUntrusted is a connection the client refused to trust or to
	// make: a certificate that failed verification, plain HTTP to a host
	// that may not have it, a redirect from HTTPS down to HTTP.
	KindUntrusted
	// KindBadAnswer is an answer the client cannot use: malformed, or past
	// a safety cap.
	KindBadAnswer
)

// Retryable reports whether a request that failed so may pass when sent
// again: a dropped connection, a throttle, a 5xx or 408.
func (k Kind) Retryable() bool {
	return k == KindDropped || k == KindRateLimited || k == KindUnavailable
}

// Unavailable reports whether the registry could not answer (it could not
// be reached, failed with 5xx, 408 or 429 after the retries, hit its pull
// limit, or ran out of its time), so that a mirror may be asked instead; an
// answer that settles the question (404, 401, a malformed list) or a
// failure a mirror would not mend (a certificate, plain HTTP) is not.
func (k Kind) Unavailable() bool {
	switch k {
	case KindDropped, KindUnreachable, KindRateLimited, KindWaitPastTimeout, KindPullLimit, KindUnavailable, KindTimeout:
		return true
	}
	return false
}

// kinded is an error that knows its kind: the error types of the registry
// packages.
type kinded interface {
	error
	Kind() Kind
}

// Classify returns the kind of err. The error types of the registry
// packages say their own kind (the outermost wins: a credential source
// that timed out is a failed credential source); for the rest it is read
// from the standard library's errors.
func Classify(err error) Kind {
	var (
		k      kinded
		panics *runcache.PanicError
		cert   *tls.CertificateVerificationError
		unk    x509.UnknownAuthorityError
		host   x509.HostnameError
		inv    x509.CertificateInvalidError
		netErr net.Error
	)
	switch {
	case err == nil:
		return KindOther
	case errors.As(err, &panics):
		return KindInternal
	case errors.As(err, &k):
		return k.Kind()
	case errors.Is(err, names.ErrInvalidTag):
		return KindInvalidTag
	case errors.Is(err, context.DeadlineExceeded):
		return KindTimeout
	case errors.Is(err, context.Canceled):
		return KindCanceled
	case errors.As(err, &cert), errors.As(err, &unk), errors.As(err, &host), errors.As(err, &inv):
		return KindUntrusted
	case dropped(err):
		return KindDropped
	case errors.As(err, &netErr) && netErr.Timeout():
		return KindDropped
	case errors.As(err, &netErr):
		return KindUnreachable
	}
	return KindOther
}

// dropped reports a connection that dropped mid-request.
func dropped(err error) bool {
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED):
		return true
	}
	return strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "server closed")
}

// StatusKind is the kind of an answer with an HTTP status other than the
// one asked for.
func StatusKind(status int) Kind {
	switch {
	case status == http.StatusUnauthorized, status == http.StatusForbidden:
		return KindRefused
	case status == http.StatusNotFound:
		return KindNotFound
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status == http.StatusRequestTimeout, status >= 500:
		return KindUnavailable
	}
	return KindOther
}
