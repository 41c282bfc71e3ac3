package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"testing"
)

// TestUnavailable: errors that a mirror would not mend (a safety cap, a
// refused redirect, a certificate) are the registry's, and its mirrors are
// not asked.
func TestUnavailable(t *testing.T) {
	t.Parallel()
	for _, err := range []error{
		&url.Error{Op: "Get", URL: "https://x/v2/", Err: &TooLargeError{What: "the answer", Limit: 64 << 20}},
		&url.Error{Op: "Get", URL: "https://x/v2/", Err: fmt.Errorf("%w: from HTTPS to http://x", errRedirect)},
		&url.Error{Op: "Get", URL: "https://x/v2/", Err: &tls.CertificateVerificationError{Err: errors.New("unknown authority")}},
		&StatusError{Status: http.StatusNotFound},
		&StatusError{Status: http.StatusUnauthorized},
	} {
		if Classify(err).Unavailable() {
			t.Errorf("Classify(%v).Unavailable() = true, want false", err)
		}
	}
	for _, err := range []error{
		&url.Error{Op: "Get", URL: "https://x/v2/", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}},
		&StatusError{Status: http.StatusServiceUnavailable},
		&StatusError{Status: http.StatusTooManyRequests},
		&PullLimitError{},
		context.DeadlineExceeded,
	} {
		if !Classify(err).Unavailable() {
			t.Errorf("Classify(%v).Unavailable() = false, want true", err)
		}
	}
}
