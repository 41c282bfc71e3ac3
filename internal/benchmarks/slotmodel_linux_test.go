package benchmarks

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// slotModelOrders is how many read orders slotModel plays.
const slotModelOrders = 1000

// slotModel returns the median, over slotModelOrders read orders, of how
// long the lookups take in a model of Terraform's read slots, where each of
// the fewest requests the lookups need (as protocolMinimum counts them)
// takes rtt and nothing else takes any time. Terraform reads at most
// parallelism data sources at once, in an order of its own (its graph walk
// starts them from a set, so the order changes from plan to plan), and a
// read holds its slot while it waits for the ping, token or tag list that
// another read is fetching, as the provider's reads do. It is not a bound: a
// plan whose order is lucky takes less, and a tag page costs a registry more
// than a HEAD. It says how much of a plan's time the request pattern and
// the read slots account for.
func slotModel(lookups []lookup, pages int, rtt time.Duration, parallelism int) time.Duration {
	rng := rand.New(rand.NewPCG(1, uint64(parallelism)))
	order := slices.Clone(lookups)
	spans := make([]time.Duration, slotModelOrders)
	for i := range spans {
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		spans[i] = planSpan(order, pages, rtt, parallelism)
	}
	return median(spans)
}

// planSpan is the time the reads take in this order: each read starts when a
// slot is free, and the first read to need the ping, a repository's token,
// its tag list or a tag's digest fetches it while later reads wait for it.
func planSpan(order []lookup, pages int, rtt time.Duration, parallelism int) time.Duration {
	// free holds the times at which the slots come free.
	free := make([]time.Duration, min(parallelism, len(order)))
	ready := map[string]time.Duration{}
	fetch := func(key string, t time.Duration, cost int) time.Duration {
		done, ok := ready[key]
		if !ok {
			done = t + time.Duration(cost)*rtt
			ready[key] = done
		}
		return max(t, done)
	}
	var span time.Duration
	for _, l := range order {
		// Reads take the slot that comes free first, so they start in
		// order of time, and a read never fetches what an earlier one
		// already asked for.
		slot := slices.Index(free, slices.Min(free))
		t := fetch("ping", free[slot], 1)
		t = fetch("token "+l.repo, t, 1)
		if l.typ == latestTagType {
			t = fetch("tags "+l.repo, t, pages)
		}
		t = fetch("digest "+l.repo+":"+l.tag, t, 1)
		free[slot] = t
		span = max(span, t)
	}
	return span
}

func TestSlotModel(t *testing.T) {
	t.Parallel()
	var lookups []lookup
	for _, repo := range []string{"a", "b", "c"} {
		lookups = append(lookups,
			lookup{typ: latestTagType, repo: repo, tag: "1.0.0"},
			lookup{typ: latestTagType, repo: repo, tag: "2.0.0"},
			lookup{typ: imageDigestType, repo: repo, tag: "latest"})
	}
	const pages, rtt = 4, 10 * time.Millisecond
	// With a slot for every read, the plan takes the critical path: ping,
	// token, every page, one HEAD.
	if got, want := slotModel(lookups, pages, rtt, len(lookups)), time.Duration(3+pages)*rtt; got != want {
		t.Errorf("with a slot per read: %v, want the critical path %v", got, want)
	}
	// With one slot, every request waits for the one before it, whatever the
	// order: 1 ping, 3 tokens, 3 lists, 9 HEADs.
	if got, want := slotModel(lookups, pages, rtt, 1), time.Duration(1+3+3*pages+9)*rtt; got != want {
		t.Errorf("with one slot: %v, want every request in turn, %v", got, want)
	}
	// A read that waits for a list holds its slot: with two slots, the
	// second read of a waits with the first (ping, token, 4 pages, its
	// HEAD: 7 round trips), and b's digest starts only then (token, HEAD),
	// at 9. Were the slot free while it waits, b would end at 5 and the
	// plan at 7.
	order := []lookup{lookups[0], lookups[1], lookups[5]}
	if got, want := planSpan(order, pages, rtt, 2), 9*rtt; got != want {
		t.Errorf("two slots, two reads of a then b's digest: %v, want %v", got, want)
	}
	// In between, the median falls as slots are added.
	two, three := slotModel(lookups, pages, rtt, 2), slotModel(lookups, pages, rtt, 3)
	if two <= three || three <= time.Duration(3+pages)*rtt {
		t.Errorf("with 2 and 3 slots: %v and %v, want falling and above the critical path", two, three)
	}
}
