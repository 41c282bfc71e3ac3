package benchmarks

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/tfrun"
)

// rssTarget is the most memory the provider may hold at its peak.
const rssTarget = 150 << 20

// BenchmarkLargeRepository plans three registry_latest_tag (the workload's
// filters) on one repository of 100,000 tags and reports the provider
// process's peak resident set size and the plan's wall time (ns/op). Run it
// once: -benchtime=1x.
//
// The repository is in the in-process registry, not distribution: pushing
// costs distribution about 1.5 ms of a manifest PUT per tag on two cores
// (20,000 tags take 30 s, so 100,000 would take 2.5 minutes and a million
// inodes of tmpfs), and the provider's memory does not depend on which
// registry serves the pages. The in-process registry sorts and encodes the
// whole list again for each of the 101 pages, so much of the wall time is
// the registry's: the table shows it.
func BenchmarkLargeRepository(b *testing.B) {
	tfrun.TerraformPath(b) // skips the benchmark before seeding when there is none

	reg := registrytest.NewInProcess(b)
	tags, p := largeTags(largeRepoTags)
	seeding := time.Now()
	digests := reg.PushTags(b, largeRepo, tags...)
	b.Logf("seeded %d tags in the in-process registry in %v", len(tags), time.Since(seeding).Round(time.Millisecond))
	// No delay: the proxy only counts.
	proxy := NewLatencyProxy(b, reg, 0)

	var lookups []lookup
	for _, l := range []lookup{
		{name: "big_semver", typ: latestTagType, repo: largeRepo, tag: p.Semver},
		{name: "big_stable", typ: latestTagType, repo: largeRepo, constraint: stableConstraint, tag: p.Stable},
		{name: "big_alpine", typ: latestTagType, repo: largeRepo, filter: alpineFilter, tag: p.Alpine},
	} {
		l.digest = digests[l.tag].String()
		lookups = append(lookups, l)
	}

	m := measureRSS(b, "large", proxy, lookups)
	least := protocolMinimum(lookups, largeRepoTags)

	b.ReportMetric(m.counts.Serving.Seconds(), "registry-serving-s")
	b.ReportMetric(float64(m.counts.TagList), "tag-pages")
	m.report(b)
	t := m.table(fmt.Sprintf("%d tags in one repository, 3 × registry_latest_tag", largeRepoTags))
	t.add("wall time", seconds(m.plan), "–")
	t.add("of which the in-process registry answering", seconds(m.counts.Serving), "–")
	t.add("tag-list pages (minimum "+fmt.Sprint(least.TagList)+")", count(m.counts.TagList), "–")
	t.add("manifest HEAD (minimum "+fmt.Sprint(least.ManifestHead)+")", count(m.counts.ManifestHead), "–")
	t.add("**requests**", count(m.counts.Total()), "–")
	t.write(os.Stdout)
}
