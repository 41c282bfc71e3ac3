package registry

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// rateLimits remembers, per registry host, the lowest ratelimit-remaining a
// registry reported and its ratelimit-limit, so that the provider can warn
// before a plan runs into the limit.
type rateLimits struct {
	mu     sync.Mutex
	byHost map[string]*rateLimit
}

type rateLimit struct {
	limit, remaining int
	window           string
	warned           bool
}

func (r *rateLimits) observe(host string, h map[string][]string) {
	remaining, ok := firstNumber(h["Ratelimit-Remaining"])
	if !ok {
		return
	}
	limit, _ := firstNumber(h["Ratelimit-Limit"])
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byHost == nil {
		r.byHost = map[string]*rateLimit{}
	}
	rl := r.byHost[host]
	if rl == nil {
		rl = &rateLimit{remaining: remaining}
		r.byHost[host] = rl
	}
	if remaining < rl.remaining {
		rl.remaining = remaining
	}
	if limit > 0 {
		rl.limit = limit
		if vs := h["Ratelimit-Limit"]; len(vs) > 0 {
			rl.window = describeLimit(vs[0])
		}
	}
}

// warning returns, once per host, a warning when the registry reported
// that fewer than a tenth of its limit (or fewer than 10 requests) remain.
func (r *rateLimits) warning(host string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	rl := r.byHost[host]
	if rl == nil || rl.warned {
		return ""
	}
	low := rl.remaining < 10 || (rl.limit > 0 && rl.remaining*10 < rl.limit)
	if !low {
		return ""
	}
	rl.warned = true
	limit := ""
	if rl.window != "" {
		limit = " of " + rl.window
	}
	return fmt.Sprintf("Registry %s reports %d requests left%s. Log in to raise the limit (docker login, or an auth block), use a mirror (the provider's mirrors argument), or plan less often.", host, rl.remaining, limit)
}

// firstNumber reads the number before any ";" in a header's first value.
func firstNumber(vs []string) (int, bool) {
	if len(vs) == 0 {
		return 0, false
	}
	n, _, _ := strings.Cut(vs[0], ";")
	v, err := strconv.Atoi(strings.TrimSpace(n))
	return v, err == nil
}
