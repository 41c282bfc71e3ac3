package runcache

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// TestMemoRecoversPanics: a panic in a fetch is an error for every caller
// waiting on it, not a crash (singleflight re-panics in a goroutine that
// nothing can recover), and is not remembered.
func TestMemoRecoversPanics(t *testing.T) {
	t.Parallel()
	var m Map[int]
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, _, err := m.Get(t.Context(), "k", func(context.Context) (int, error) {
				<-start
				panic("nil map")
			})
			errs <- err
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		var p *PanicError
		if !errors.As(err, &p) || !strings.Contains(err.Error(), "nil map") {
			t.Errorf("get = %v, want the panic as an error", err)
		}
	}
	v, _, err := m.Get(t.Context(), "k", func(context.Context) (int, error) { return 7, nil })
	if err != nil || v != 7 {
		t.Errorf("get after a panic = %d, %v; want 7", v, err)
	}
}

// TestMapFetchesOnce: however the askers interleave, a key is fetched once.
// A fetch that finished between an asker's look at the known values and
// its joining the in-flight calls once started a second fetch (singleflight
// forgets a key as soon as its call returns).
func TestMapFetchesOnce(t *testing.T) {
	t.Parallel()
	for range 500 {
		var m Map[int]
		var fetches atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				v, _, err := m.Get(t.Context(), "k", func(context.Context) (int, error) {
					return int(fetches.Add(1)), nil
				})
				if err != nil || v != 1 {
					t.Errorf("get = %d, %v; want 1 from the one fetch", v, err)
				}
			})
		}
		wg.Wait()
		if n := fetches.Load(); n != 1 {
			t.Fatalf("fetched %d times, want once", n)
		}
	}
}
