package faults

import (
	"net"
	"sync"
	"testing"
)

// NewSilent starts a server on 127.0.0.1 that accepts connections and never
// answers, and returns its host:port. It stands for a registry that hangs,
// so that tests can prove a read ends with its timeout. Connections are
// closed when the test ends.
func NewSilent(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("faults: %v", err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return ln.Addr().String()
}
