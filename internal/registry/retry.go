package registry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Retry policy: 408, 429, 500, 502, 503 and 504 answers and dropped
// connections are tried again, up to maxAttempts in all, after a wait that
// doubles from retryBase up to retryMax with jitter, or as long as the
// registry's Retry-After asks; never past the read's deadline.
const (
	maxAttempts = 6
	retryBase   = 500 * time.Millisecond
	retryMax    = 30 * time.Second
)

// retryTransport retries reads (GET and HEAD) that failed in a way that may
// pass, and reads each answer's body whole (up to MaxResponseBytes), so that
// a connection dropped mid-body is retried too and an oversized body is an
// error. Docker Hub's pull-limit 429 is not retried: it becomes a
// *PullLimitError at once.
type retryTransport struct {
	next   http.RoundTripper
	log    LogFunc
	limits *rateLimits
	// sleep waits d or until ctx ends; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

var _ http.RoundTripper = (*retryTransport)(nil)

func newRetryTransport(next http.RoundTripper, log LogFunc, limits *rateLimits) *retryTransport {
	return &retryTransport{next: next, log: log, limits: limits, sleep: sleepContext}
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		return t.next.RoundTrip(req)
	}
	ctx := req.Context()
	for attempt := 1; ; attempt++ {
		resp, err := t.once(req)
		var wait time.Duration
		switch {
		case err != nil:
			if ctx.Err() != nil || !retryableError(err) {
				return nil, err
			}
			wait = backoff(attempt)
		case retryableStatus(resp.StatusCode):
			if resp.StatusCode == http.StatusTooManyRequests {
				if pl := pullLimit(req, resp); pl != nil {
					_ = resp.Body.Close()
					return nil, pl
				}
			}
			wait = retryAfter(resp.Header, time.Now())
			if wait == 0 {
				wait = backoff(attempt)
			}
		default:
			return resp, nil
		}
		if attempt >= maxAttempts {
			if err != nil {
				return nil, fmt.Errorf("gave up after %d attempts: %w", attempt, err)
			}
			return resp, nil // the caller reports the status with the registry's message
		}
		if deadline, ok := ctx.Deadline(); ok && time.Now().Add(wait).After(deadline) {
			if err != nil {
				return nil, fmt.Errorf("gave up after %d attempts, as the next wait (%s) would pass the timeout: %w", attempt, wait.Round(time.Millisecond), err)
			}
			if resp.Header.Get("Retry-After") != "" {
				_ = resp.Body.Close()
				return nil, &RetryAfterError{Status: resp.StatusCode, Wait: wait, Attempts: attempt}
			}
			return resp, nil
		}
		fields := map[string]any{"method": req.Method, "host": req.URL.Host, "path": req.URL.Path, "attempt": attempt, "wait_ms": wait.Milliseconds()}
		if err != nil {
			fields["error"] = err.Error()
		} else {
			fields["status"] = resp.StatusCode
			_ = resp.Body.Close()
		}
		t.log(ctx, "retrying a registry request", fields)
		if err := t.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// once sends req and reads the answer's body whole.
func (t *retryTransport) once(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	t.limits.observe(req.URL.Host, resp.Header)
	body, err := io.ReadAll(&limitedReader{r: resp.Body, n: MaxResponseBytes})
	_ = resp.Body.Close()
	if err != nil {
		if errors.Is(err, errTooLarge) {
			return nil, err
		}
		return nil, fmt.Errorf("the connection dropped while reading the answer: %w", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

func sleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// backoff returns the wait before attempt+1: retryBase doubled per
// attempt, capped at retryMax, with jitter over its upper half.
func backoff(attempt int) time.Duration {
	d := retryBase << (attempt - 1)
	if d <= 0 || d > retryMax {
		d = retryMax
	}
	half := d / 2
	return half + rand.N(half+1) //nolint:gosec // jitter needs no cryptographic randomness
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableError reports a dropped connection or a network error that may
// pass, as opposed to one that will not (a refused connection, a bad
// certificate, an unknown host).
func retryableError(err error) bool {
	var netErr net.Error
	switch {
	case errors.Is(err, errTooLarge), errors.Is(err, ErrPlainHTTP):
		return false
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED):
		return true
	case errors.As(err, &netErr) && netErr.Timeout():
		return true
	}
	return strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "server closed")
}

// retryAfter reads a Retry-After header, in seconds or as an HTTP date; 0
// when there is none.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		switch {
		case secs < 0:
			return 0
		case secs > maxRetryAfter:
			// Retry-After: 9223372037 would overflow time.Duration into a
			// negative wait; any wait this long passes every timeout.
			return maxRetryAfter * time.Second
		}
		return time.Duration(secs) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil {
		if d := at.Sub(now); d > 0 {
			return d
		}
		return time.Millisecond
	}
	return 0
}

// maxRetryAfter is the longest Retry-After taken as given, in seconds (a
// year); longer ones count as a year.
const maxRetryAfter = 365 * 24 * 60 * 60

// pullLimit returns a *PullLimitError when a 429 is a pull rate limit, else
// nil. Docker Hub's pull limit says "You have reached your pull rate limit"
// and sends ratelimit-remaining: 0 (docker/docs#11648). Any other 429,
// TOOMANYREQUESTS code or not, is a throttle that passes (GHCR, Quay and
// Harbor send the standard code with Retry-After) and is retried.
func pullLimit(req *http.Request, resp *http.Response) *PullLimitError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body = io.NopCloser(bytes.NewReader(body))
	remaining, _, _ := strings.Cut(resp.Header.Get("Ratelimit-Remaining"), ";")
	lower := strings.ToLower(string(body))
	if strings.TrimSpace(remaining) != "0" && !strings.Contains(lower, "pull rate limit") {
		return nil
	}
	e := &PullLimitError{
		Registry: req.URL.Host,
		Limit:    resp.Header.Get("Ratelimit-Limit"),
		Source:   resp.Header.Get("Docker-Ratelimit-Source"),
	}
	if wait := retryAfter(resp.Header, time.Now()); wait > 0 {
		e.Reset = time.Now().Add(wait)
	} else if v, err := strconv.ParseInt(strings.TrimSpace(resp.Header.Get("Ratelimit-Reset")), 10, 64); err == nil && v > 0 {
		e.Reset = time.Unix(v, 0)
	}
	if parsed, ok := parseRegistryErrors(body); ok {
		e.Message = shorten(parsed.Errors[0].Message)
	}
	return e
}

// limitedReader reads at most n bytes and fails with errTooLarge past them,
// so that an oversized answer is an error, never a silent truncation.
type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, errTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}
