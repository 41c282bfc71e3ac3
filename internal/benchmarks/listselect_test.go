package benchmarks

import (
	"context"
	"runtime"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

// BenchmarkListAndSelect100k is the provider's hot path on a repository of
// 100,000 tags, in Go: a new registry.Client lists every page (list), the
// workload's three filters select from the list (select), and both (ns/op
// and allocations per plan-sized use). The pages come from a server that
// encoded them once, so that the numbers are the client's alone.
func BenchmarkListAndSelect100k(b *testing.B) {
	tags, p := largeTags(largeRepoTags)
	host := NewTagPages(b, largeRepo, tags, pageSize)
	img, err := names.Parse(host+"/"+largeRepo, "")
	if err != nil {
		b.Fatal(err)
	}
	stable, err := tagfilter.ParseConstraint(stableConstraint)
	if err != nil {
		b.Fatal(err)
	}
	selections := []struct {
		filter     *tagfilter.Filter
		constraint *tagfilter.Constraint
		want       string
	}{
		{tagfilter.Default(), nil, p.Semver},
		{tagfilter.Default(), stable, p.Stable},
		{tagfilter.MustParse(alpineFilter), nil, p.Alpine},
	}
	list := func(b *testing.B) []string {
		c, err := registry.New(context.Background(), registry.Options{})
		if err != nil {
			b.Fatal(err)
		}
		listed, err := c.ListTags(b.Context(), img)
		if err != nil {
			b.Fatal(err)
		}
		if len(listed.Tags) != len(tags) {
			b.Fatalf("listed %d tags, want %d", len(listed.Tags), len(tags))
		}
		return listed.Tags
	}
	selectAll := func(b *testing.B, listed []string) {
		for _, s := range selections {
			// The provider asks for the top candidates, for its debug log.
			if got := s.filter.Select(listed, s.constraint, 5).Tag; got != s.want {
				b.Fatalf("%s selected %q, want %q", s.filter, got, s.want)
			}
		}
	}

	b.Run("list", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			list(b)
		}
		// Reported after the loop: its first round clears the metrics.
		b.ReportMetric(retainedMiB(func() any { return list(b) }), "retained-MiB")
	})
	b.Run("select", func(b *testing.B) {
		b.ReportAllocs()
		listed := list(b)
		for b.Loop() {
			selectAll(b, listed)
		}
	})
	b.Run("list+select", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			selectAll(b, list(b))
		}
	})
}

// retainedMiB returns how much heap the value that f makes holds, in MiB.
func retainedMiB(f func() any) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := f()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
}
