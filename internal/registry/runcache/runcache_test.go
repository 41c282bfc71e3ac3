package runcache

import (
	"context"
	"errors"
	"strings"
	"sync"
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
