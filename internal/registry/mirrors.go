package registry

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"time"
)

// mirrorsOf returns the mirrors of img's registry, in order, each as an
// Image that keeps the name as the user spelled it.
func (c *Client) mirrorsOf(img Image) []Image {
	mirrors := c.mirrors[CanonicalHost(img.Registry)]
	out := make([]Image, 0, len(mirrors))
	for _, m := range mirrors {
		out = append(out, img.On(m))
	}
	return out
}

// fromMirrors runs read on img's registry and, when the registry cannot
// answer (it is unreachable, fails with 5xx or 429 after the retries, has
// hit its pull limit, or runs out of its share of the time), on each of
// its mirrors in order; it returns the answer and the mirror that gave it
// ("" for the registry itself). With mirrors, the registry, and each
// mirror but the last, gets at most half of the time left, so that a host
// that hangs leaves time for the next. An answer that
// settles the question (404, 401, a malformed list) is the registry's and
// is never asked of a mirror, whose lists may be partial or stale
// (goharbor/harbor#15513).
func fromMirrors[T any](ctx context.Context, c *Client, img Image, read func(context.Context, Image) (T, error)) (T, string, error) {
	mirrors := c.mirrorsOf(img)
	if len(mirrors) == 0 {
		v, err := read(ctx, img)
		return v, "", err
	}
	v, err := readWithin(ctx, img, read)
	if err == nil || ctx.Err() != nil || !unavailable(err) {
		return v, "", err
	}
	c.log(ctx, "the registry cannot answer; asking its mirrors", map[string]any{"image": img.Name, "error": err.Error()})
	for i, m := range mirrors {
		var mv T
		var merr error
		if i == len(mirrors)-1 {
			mv, merr = read(ctx, m)
		} else {
			mv, merr = readWithin(ctx, m, read)
		}
		if merr == nil {
			c.log(ctx, "answered by a mirror", map[string]any{"image": img.Name, "mirror": m.Registry})
			return mv, m.Registry, nil
		}
		if ctx.Err() != nil {
			break
		}
		c.log(ctx, "mirror failed", map[string]any{"image": img.Name, "mirror": m.Registry, "error": merr.Error()})
	}
	return v, "", err
}

// readWithin runs read with half of the time left, so that a host that
// hangs leaves time for the next.
func readWithin[T any](ctx context.Context, img Image, read func(context.Context, Image) (T, error)) (T, error) {
	short, cancel := context.WithTimeout(ctx, halfOfTimeLeft(ctx))
	defer cancel()
	return read(short, img)
}

// halfOfTimeLeft returns half the time to ctx's deadline, or a minute
// when it has none.
func halfOfTimeLeft(ctx context.Context) time.Duration {
	deadline, ok := ctx.Deadline()
	if !ok {
		return time.Minute
	}
	return time.Until(deadline) / 2
}

// unavailable reports whether err means the registry could not answer
// (it could not be reached, failed with 5xx, 408 or 429 after the retries,
// hit its pull limit, or ran out of its time), as opposed to an answer or
// a failure a mirror would not mend: a safety cap, a certificate, a
// refused redirect or plain HTTP.
func unavailable(err error) bool {
	var (
		status *StatusError
		pull   *PullLimitError
		wait   *RetryAfterError
		cert   *tls.CertificateVerificationError
		netErr net.Error
	)
	switch {
	case errors.As(err, &pull), errors.As(err, &wait), errors.Is(err, context.DeadlineExceeded):
		return true
	case errors.As(err, &status):
		return status.Status >= 500 || status.Status == http.StatusTooManyRequests || status.Status == http.StatusRequestTimeout
	case errors.Is(err, errTooLarge), errors.Is(err, ErrPlainHTTP), errors.Is(err, errRedirect), errors.As(err, &cert):
		return false
	case errors.As(err, &netErr):
		return true
	}
	return retryableError(err)
}
