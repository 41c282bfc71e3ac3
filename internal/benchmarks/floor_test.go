package benchmarks

import (
	"container/heap"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// floorTrials is how many read orders schedulingFloor tries.
const floorTrials = 1000

// schedulingFloor returns the median, over floorTrials read orders, of how
// long the lookups take when each of the fewest requests they need (as
// protocolMinimum counts them) takes rtt and nothing else takes any time.
// Terraform reads at most parallelism data sources at once, in an order of
// its own (its graph walk starts them from a set, so the order changes from
// plan to plan), and a read holds its slot while it waits for the ping, token
// or tag list that another read is fetching, as the provider's reads do. So
// this is the floor that the request pattern and Terraform's read slots set
// for any provider that makes these requests one provider process's way.
func schedulingFloor(lookups []lookup, pages int, rtt time.Duration, parallelism int) time.Duration {
	rng := rand.New(rand.NewPCG(1, uint64(parallelism)))
	order := slices.Clone(lookups)
	spans := make([]time.Duration, floorTrials)
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
	var free slotHeap
	for range min(parallelism, len(order)) {
		free = append(free, 0)
	}
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
		// Slots are taken in order of start time, so a read that starts
		// later never fetches what an earlier one already asked for.
		t := heap.Pop(&free).(time.Duration) //nolint:forcetypeassert // slotHeap holds durations only
		t = fetch("ping", t, 1)
		t = fetch("token "+l.repo, t, 1)
		if l.typ == latestTagType {
			t = fetch("tags "+l.repo, t, pages)
		}
		t = fetch("digest "+l.repo+":"+l.tag, t, 1)
		heap.Push(&free, t)
		span = max(span, t)
	}
	return span
}

// slotHeap holds the times at which Terraform's read slots come free.
type slotHeap []time.Duration

func (h slotHeap) Len() int           { return len(h) }
func (h slotHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h slotHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *slotHeap) Push(x any)        { *h = append(*h, x.(time.Duration)) } //nolint:forcetypeassert // heap.Push is given durations only
func (h *slotHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func TestSchedulingFloor(t *testing.T) {
	t.Parallel()
	var lookups []lookup
	for _, repo := range []string{"a", "b", "c"} {
		lookups = append(lookups,
			lookup{typ: latestTagType, repo: repo, tag: "1.0.0"},
			lookup{typ: latestTagType, repo: repo, tag: "2.0.0"},
			lookup{typ: imageDigestType, repo: repo, tag: "latest"})
	}
	const pages, rtt = 4, 10 * time.Millisecond
	// With a slot for every read, the floor is the critical path: ping,
	// token, every page, one HEAD.
	if got, want := schedulingFloor(lookups, pages, rtt, len(lookups)), time.Duration(3+pages)*rtt; got != want {
		t.Errorf("with a slot per read: %v, want the critical path %v", got, want)
	}
	// With one slot, every request waits for the one before it, whatever the
	// order: 1 ping, 3 tokens, 3 lists, 9 HEADs.
	if got, want := schedulingFloor(lookups, pages, rtt, 1), time.Duration(1+3+3*pages+9)*rtt; got != want {
		t.Errorf("with one slot: %v, want every request in turn, %v", got, want)
	}
	// In between, the floor lies between the two, and falls as slots are
	// added.
	two, three := schedulingFloor(lookups, pages, rtt, 2), schedulingFloor(lookups, pages, rtt, 3)
	if two <= three || three <= time.Duration(3+pages)*rtt {
		t.Errorf("floors with 2 and 3 slots: %v and %v, want falling and above the critical path", two, three)
	}
}
