// Package runcache remembers values for the life of one provider run: each
// is fetched once, concurrent asks for one key wait on one fetch, failures
// are not remembered, and a panic in a fetch is an error of that fetch.
//
// It knows nothing of registries, HTTP or credentials.
package runcache

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/sync/singleflight"
)

// Map remembers values by key for the life of a provider run. Concurrent
// asks for the same key wait on one call; failures are not remembered, so a
// later ask tries again. The zero Map is ready to use.
type Map[V any] struct {
	group singleflight.Group
	mu    sync.Mutex
	done  map[string]V
}

// Get returns the value for key, fetching it unless it is known; shared is
// true when the value came from another caller's fetch.
func (m *Map[V]) Get(ctx context.Context, key string, fetch func(context.Context) (V, error)) (v V, shared bool, err error) {
	var zero V
	for {
		if v, ok := m.Peek(key); ok {
			return v, true, nil
		}
		ran := false
		ch := m.group.DoChan(key, func() (any, error) {
			// A fetch for key may have finished between the Peek above
			// and this call: singleflight forgets a key once its call
			// returns, so look again before fetching a second time.
			if v, ok := m.Peek(key); ok {
				return v, nil
			}
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

// Set remembers v for key unless a value is known already: a fetch that
// learnt several values at once (a batch) keeps the others.
func (m *Map[V]) Set(key string, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.done == nil {
		m.done = make(map[string]V)
	}
	if _, ok := m.done[key]; !ok {
		m.done[key] = v
	}
}

// Peek returns the value for key when it is known, without fetching it.
func (m *Map[V]) Peek(key string) (V, bool) {
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

// PanicError is a panic on a read path, turned into an error.
type PanicError struct {
	Value string
}

func (e *PanicError) Error() string {
	return "internal error (a panic, recovered): " + e.Value
}
