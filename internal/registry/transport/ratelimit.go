package transport

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// RateLimits remembers, per registry host, the lowest ratelimit-remaining a
// registry reported and its ratelimit-limit, so that the caller can warn
// before its reads run into the limit.
type RateLimits struct {
	mu     sync.Mutex
	byHost map[string]*rateLimit
}

type rateLimit struct {
	limit, remaining int
	window           string
	warned           bool
}

func (r *RateLimits) observe(host string, h map[string][]string) {
	host = names.CanonicalHost(host)
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

// RateLimit is what a registry reported of its rate limit: the fewest
// requests it said were left, and its limit.
type RateLimit struct {
	Registry  string
	Remaining int
	// Limit is the limit and its window, such as "100 pulls per 6h0m0s";
	// "" when the registry did not say.
	Limit string
}

// Low returns, once per host (in canonical spelling), what the registry reported when fewer than a
// tenth of its limit (or fewer than 10 requests) remain.
func (r *RateLimits) Low(host string) (RateLimit, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rl := r.byHost[host]
	if rl == nil || rl.warned {
		return RateLimit{}, false
	}
	if rl.remaining >= 10 && (rl.limit == 0 || rl.remaining*10 >= rl.limit) {
		return RateLimit{}, false
	}
	rl.warned = true
	return RateLimit{Registry: host, Remaining: rl.remaining, Limit: rl.window}, true
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

// describeLimit turns "100;w=21600" into "100 pulls per 6h0m0s".
func describeLimit(h string) string {
	if h == "" {
		return ""
	}
	n, params, _ := strings.Cut(h, ";")
	out := strings.TrimSpace(n) + " pulls"
	for _, p := range strings.Split(params, ";") {
		if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && k == "w" {
			if secs, err := strconv.Atoi(v); err == nil {
				out += " per " + (time.Duration(secs) * time.Second).String()
			}
		}
	}
	return out
}
