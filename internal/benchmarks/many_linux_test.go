package benchmarks

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

const (
	// manyRepos and manyPerRepo make BenchmarkManyDataSources' 500
	// registry_latest_tag.
	manyRepos   = 100
	manyPerRepo = 5
	// manyTags is each repository's size: one page.
	manyTags = 300
)

// BenchmarkManyDataSources plans 500 registry_latest_tag over 100
// repositories of 300 tags (five per repository: the workload's three
// filters, and the stable one twice more under other names) and reports the
// requests, which must grow linearly with the repositories and the distinct
// tags asked about, the provider's peak resident set size, and the plan's
// wall time (ns/op). Run it once: -benchtime=1x.
func BenchmarkManyDataSources(b *testing.B) {
	registrytest.TerraformPath(b) // skips the benchmark before seeding when there is none

	reg := registrytest.NewInProcess(b)
	seeding := time.Now()
	var lookups []lookup
	for i := range manyRepos {
		repo := fmt.Sprintf("bench/many%03d", i)
		tags, p := releaseTags(manyTags, i)
		digests := reg.PushTags(b, repo, tags...)
		short := fmt.Sprintf("many%03d", i)
		for _, l := range []lookup{
			{name: short + "_semver", typ: latestTagType, repo: repo, tag: p.Semver},
			{name: short + "_stable", typ: latestTagType, repo: repo, constraint: stableConstraint, tag: p.Stable},
			{name: short + "_alpine", typ: latestTagType, repo: repo, filter: alpineFilter, tag: p.Alpine},
			{name: short + "_stable_b", typ: latestTagType, repo: repo, constraint: stableConstraint, tag: p.Stable},
			{name: short + "_stable_c", typ: latestTagType, repo: repo, constraint: stableConstraint, tag: p.Stable},
		}[:manyPerRepo] {
			l.digest = digests[l.tag].String()
			lookups = append(lookups, l)
		}
	}
	b.Logf("seeded %d repositories of %d tags in the in-process registry in %v", manyRepos, manyTags, time.Since(seeding).Round(time.Millisecond))
	proxy := registrytest.NewLatencyProxy(b, reg, 0)

	m := measureRSS(b, "many", proxy, lookups, fmt.Sprintf("-parallelism=%d", wideParallelism))

	// Linear: one ping, one page per repository, one HEAD per distinct tag.
	minimum := int64(1 + manyRepos*tagPages(manyTags) + manyRepos*3)
	if m.counts.Total() != minimum {
		b.Errorf("the plan made %d requests, want %d", m.counts.Total(), minimum)
	}
	if m.peak > rssTarget {
		b.Errorf("the provider's peak RSS, %.1f MiB, is over the target of %d MiB", float64(m.peak)/(1<<20), rssTarget>>20)
	}
	b.ReportMetric(float64(m.peak)/(1<<20), "peak-RSS-MiB")
	b.ReportMetric(m.plan.Seconds(), "plan-s")
	b.ReportMetric(float64(m.counts.Total()), "requests")

	t := &table{
		header: []string{fmt.Sprintf("%d registry_latest_tag over %d repositories of %d tags", len(lookups), manyRepos, manyTags), "terraform plan", "target"},
		right:  []bool{false, true, true},
	}
	t.add("provider peak RSS (VmHWM of the largest of "+fmt.Sprint(m.processes)+" provider processes)",
		fmt.Sprintf("%.1f MiB", float64(m.peak)/(1<<20)), fmt.Sprintf("< %d MiB", rssTarget>>20))
	t.add(fmt.Sprintf("wall time, -parallelism=%d", wideParallelism), seconds(m.plan), "–")
	t.add("of which the in-process registry answering", seconds(m.counts.Serving), "–")
	t.add("**requests** (1 ping, 1 page per repository, 1 HEAD per distinct tag)", count(m.counts.Total()), count(minimum))
	t.write(os.Stdout)
}
