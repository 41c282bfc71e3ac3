package benchmarks

import (
	"fmt"
	"os"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/tfrun"
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
	tfrun.TerraformPath(b) // skips the benchmark before seeding when there is none

	reg := registrytest.NewInProcess(b)
	lookups := seedRepositories(b, reg, "many%03d", manyRepos, manyTags, func(short, repo string, p picks) []lookup {
		return []lookup{
			{name: short + "_semver", typ: latestTagType, repo: repo, tag: p.Semver},
			{name: short + "_stable", typ: latestTagType, repo: repo, constraint: stableConstraint, tag: p.Stable},
			{name: short + "_alpine", typ: latestTagType, repo: repo, filter: alpineFilter, tag: p.Alpine},
			{name: short + "_stable_b", typ: latestTagType, repo: repo, constraint: stableConstraint, tag: p.Stable},
			{name: short + "_stable_c", typ: latestTagType, repo: repo, constraint: stableConstraint, tag: p.Stable},
		}[:manyPerRepo]
	})
	proxy := NewLatencyProxy(b, reg, 0)

	m := measureRSS(b, "many", proxy, lookups, fmt.Sprintf("-parallelism=%d", wideParallelism))

	// Linear: one ping, one page per repository, one HEAD per distinct tag;
	// the in-process registry asks for no token.
	least := protocolMinimum(lookups, manyTags)
	least.Token = 0
	minimum := least.Total()
	if m.counts.Total() != minimum {
		b.Errorf("the plan made %d requests, want %d", m.counts.Total(), minimum)
	}
	m.report(b)
	t := m.table(fmt.Sprintf("%d registry_latest_tag over %d repositories of %d tags", len(lookups), manyRepos, manyTags))
	t.add(fmt.Sprintf("wall time, -parallelism=%d", wideParallelism), seconds(m.plan), "–")
	t.add("of which the in-process registry answering", seconds(m.counts.Serving), "–")
	t.add("**requests** (1 ping, 1 page per repository, 1 HEAD per distinct tag)", count(m.counts.Total()), count(minimum))
	t.write(os.Stdout)
}
