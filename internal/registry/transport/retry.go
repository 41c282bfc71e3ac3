package transport

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
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
// pass: a status or a connection error whose Kind is Retryable. It never
// reads an answer's body (the caller decodes it as it arrives; Fetch sends
// the request again when the connection drops mid-body). Docker Hub's
// pull-limit 429 is not retried: it becomes a *PullLimitError at once.
type retryTransport struct {
	next   http.RoundTripper
	log    LogFunc
	limits *RateLimits
	// sleep waits d or until ctx ends; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

var _ http.RoundTripper = (*retryTransport)(nil)

func newRetryTransport(next http.RoundTripper, log LogFunc, limits *RateLimits) *retryTransport {
	return &retryTransport{next: next, log: log, limits: limits, sleep: sleepContext}
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead && !isReadOnly(req) {
		return t.next.RoundTrip(req)
	}
	ctx := req.Context()
	for attempt := 1; ; attempt++ {
		asked := false // the wait is the registry's Retry-After
		if attempt > 1 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req = req.Clone(ctx)
			req.Body = body
		}
		resp, err := t.next.RoundTrip(req)
		var wait time.Duration
		switch {
		case err != nil:
			if ctx.Err() != nil || !Classify(err).Retryable() {
				return nil, err
			}
			wait = backoff(attempt)
		case StatusKind(resp.StatusCode).Retryable():
			t.limits.observe(req.URL.Host, resp.Header)
			if resp.StatusCode == http.StatusTooManyRequests {
				if pl := pullLimit(req, resp); pl != nil {
					_ = resp.Body.Close()
					return nil, pl
				}
			}
			wait = retryAfter(resp.Header, time.Now())
			asked = wait != 0
			if wait == 0 {
				wait = backoff(attempt)
			}
		default:
			t.limits.observe(req.URL.Host, resp.Header)
			return resp, nil
		}
		if attempt >= maxAttempts {
			if err != nil {
				return nil, fmt.Errorf("gave up after %d attempts: %w", attempt, err)
			}
			return resp, nil // the caller reports the status with the registry's message
		}
		if pastDeadline(ctx, wait) {
			if err != nil {
				return nil, fmt.Errorf("gave up after %d attempts, as the next wait (%s) would pass the timeout: %w", attempt, wait.Round(time.Millisecond), err)
			}
			if asked {
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
			drain(resp)
		}
		t.log(ctx, "retrying a registry request", fields)
		if err := t.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// Fetch sends a request with send and hands the answer to use, which reads
// its body as it arrives. When the connection drops while use reads (Kind
// KindDropped), the request is sent again, with the retry transport's
// policy: at most maxAttempts in all, after a backoff, never past ctx's
// deadline. send's own failures were retried by the transport already.
func Fetch(ctx context.Context, log LogFunc, send func() (*http.Response, error), use func(*http.Response) error) error {
	for attempt := 1; ; attempt++ {
		resp, err := send()
		if err != nil {
			return err
		}
		err = use(resp)
		drain(resp)
		if err == nil || ctx.Err() != nil || Classify(err) != KindDropped {
			return err
		}
		wait := backoff(attempt)
		if attempt >= maxAttempts || pastDeadline(ctx, wait) {
			return fmt.Errorf("gave up after %d attempts: %w", attempt, err)
		}
		log(ctx, "retrying a registry request whose answer broke off", map[string]any{"host": resp.Request.URL.Host, "path": resp.Request.URL.Path, "attempt": attempt, "wait_ms": wait.Milliseconds(), "error": err.Error()})
		if err := sleepContext(ctx, wait); err != nil {
			return err
		}
	}
}

// readOnlyKey marks a request context: a POST that only reads (an API's
// query: GraphQL, ECR's DescribeImages, a token exchange), which may be
// retried like a GET.
type readOnlyKey struct{}

// ReadOnly returns ctx marked so that the POSTs made with it are retried
// like GETs: use it for requests that change nothing.
func ReadOnly(ctx context.Context) context.Context {
	return context.WithValue(ctx, readOnlyKey{}, true)
}

func isReadOnly(req *http.Request) bool {
	v, _ := req.Context().Value(readOnlyKey{}).(bool)
	return v && (req.Body == nil || req.Body == http.NoBody || req.GetBody != nil)
}

// pastDeadline reports whether waiting d would pass ctx's deadline.
func pastDeadline(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return ok && time.Now().Add(d).After(deadline)
}

// drain reads what is left of a body, up to MaxErrorBody, so that its
// connection can be used again, and closes it.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, MaxErrorBody))
	_ = resp.Body.Close()
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

// retryAfter reads a Retry-After header, in seconds or as an HTTP date,
// else Docker Hub API's X-Retry-After, a Unix time
// (https://docs.docker.com/reference/api/hub/latest/#tag/rate-limiting); 0
// when there is neither.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		// A time already past (clock skew) asks for nothing: the backoff
		// applies.
		if at, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-Retry-After")), 10, 64); err == nil && at > 0 {
			if d := time.Unix(at, 0).Sub(now); d > 0 {
				return min(d, maxRetryAfter*time.Second)
			}
		}
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
	body, _ := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody))
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
		e.Message = Clean(parsed.Errors[0].Message)
	}
	return e
}
