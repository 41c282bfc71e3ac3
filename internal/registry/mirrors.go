package registry

import (
	"context"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/transport"
)

// mirrorsOf returns the mirrors of repo's registry, in order, each as a
// Repository that keeps the name as the user spelled it.
func (c *Client) mirrorsOf(repo names.Repository) []names.Repository {
	mirrors := c.mirrors[repo.Registry]
	out := make([]names.Repository, 0, len(mirrors))
	for _, m := range mirrors {
		out = append(out, repo.On(m))
	}
	return out
}

// fromMirrors runs read on repo's registry and, when the registry cannot
// answer (its failure's Kind is Unavailable: unreachable, 5xx or 429 after
// the retries, a pull limit, its share of the time run out), on each of
// its mirrors in order; it returns the answer and the mirror that gave it
// ("" for the registry itself). With mirrors, the registry, and each
// mirror but the last, gets at most half of the time left, so that a host
// that hangs leaves time for the next. An answer that settles the question
// (404, 401, a malformed list) is the registry's and is never asked of a
// mirror, whose lists may be partial or stale (goharbor/harbor#15513).
// When every host fails, the error names each and how it failed.
func fromMirrors[T any](ctx context.Context, c *Client, repo names.Repository, read func(context.Context, names.Repository) (T, error)) (T, string, error) {
	mirrors := c.mirrorsOf(repo)
	if len(mirrors) == 0 {
		v, err := read(ctx, repo)
		return v, "", err
	}
	v, err := readWithin(ctx, repo, read)
	if err == nil || ctx.Err() != nil || !transport.Classify(err).Unavailable() {
		return v, "", err
	}
	c.log(ctx, "the registry cannot answer; asking its mirrors", map[string]any{"image": repo.Name, "error": err.Error()})
	failed := &HostsError{Failures: []HostFailure{{Host: repo.Registry, Err: err}}}
	for i, m := range mirrors {
		var mv T
		var merr error
		if i == len(mirrors)-1 {
			mv, merr = read(ctx, m)
		} else {
			mv, merr = readWithin(ctx, m, read)
		}
		if merr == nil {
			c.log(ctx, "answered by a mirror", map[string]any{"image": repo.Name, "mirror": m.Registry})
			return mv, m.Registry, nil
		}
		failed.Failures = append(failed.Failures, HostFailure{Host: m.Registry, Err: merr})
		if ctx.Err() != nil {
			break
		}
		c.log(ctx, "mirror failed", map[string]any{"image": repo.Name, "mirror": m.Registry, "error": merr.Error()})
	}
	return v, "", failed
}

// readWithin runs read with half of the time left, so that a host that
// hangs leaves time for the next.
func readWithin[T any](ctx context.Context, repo names.Repository, read func(context.Context, names.Repository) (T, error)) (T, error) {
	short, cancel := context.WithTimeout(ctx, halfOfTimeLeft(ctx))
	defer cancel()
	return read(short, repo)
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
