package registry

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/sync/singleflight"
)

// memo remembers values by key for the life of a provider run. Concurrent
// asks for the same key wait on one call; failures are not remembered, so a
// later ask tries again.
type memo[V any] struct {
	group singleflight.Group
	mu    sync.Mutex
	done  map[string]V
}

// get returns the value for key, fetching it unless it is known; shared is
// true when the value came from another caller's fetch.
func (m *memo[V]) get(ctx context.Context, key string, fetch func(context.Context) (V, error)) (v V, shared bool, err error) {
	var zero V
	for {
		if v, ok := m.peek(key); ok {
			return v, true, nil
		}
		ran := false
		ch := m.group.DoChan(key, func() (any, error) {
			ran = true
			v, err := recovered(ctx, fetch)
			if err != nil {
				return nil, err
			}
			m.mu.Lock()
			if m.done == nil {
				m.done = make(map[string]V)
			}
			m.done[key] = v
			m.mu.Unlock()
			return v, nil
		})
		select {
		case <-ctx.Done():
			return zero, false, ctx.Err()
		case r := <-ch:
			if r.Err != nil {
				// The call we waited on was run under another caller's
				// context; if that one was cancelled and ours was not, ask
				// again instead of failing with someone else's cancellation.
				if r.Shared && ctx.Err() == nil && (errors.Is(r.Err, context.Canceled) || errors.Is(r.Err, context.DeadlineExceeded)) {
					continue
				}
				return zero, false, r.Err
			}
			v, ok := r.Val.(V)
			if !ok {
				return zero, false, fmt.Errorf("internal error: cached value of type %T", r.Val)
			}
			return v, !ran, nil
		}
	}
}

// peek returns the value for key when it is known, without fetching it.
func (m *memo[V]) peek(key string) (V, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.done[key]
	return v, ok
}

// recovered runs fetch and turns a panic in it into an error, so that a
// bug on a read path (here or in a library: ecr-login panics on a broken
// AWS configuration) fails that read instead of crashing the process and
// every read in it. singleflight would re-panic it in
// a goroutine that nothing can recover.
func recovered[V any](ctx context.Context, fetch func(context.Context) (V, error)) (v V, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: fmt.Sprint(r)}
		}
	}()
	return fetch(ctx)
}
