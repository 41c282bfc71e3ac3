package benchmarks

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/tfrun"
)

// The plan workload: a few repositories of a few thousand tags, each read
// with three filters, and their digests.
const (
	workloadRepos = 12
	workloadTags  = 3500
	// addedLatency is what the proxy adds to every request, the token
	// server's included.
	addedLatency = 40 * time.Millisecond
	// planRuns is how many times each plan is timed; the table shows the
	// median.
	planRuns = 5
	// terraformParallelism is how many data sources Terraform reads at once
	// by default.
	terraformParallelism = 10
	// wideParallelism is the -parallelism the README advises for large plans.
	wideParallelism = 40

	benchUser     = "bench"
	benchPassword = "bench-password"

	latestTagType   = "registry_latest_tag"
	imageDigestType = "registry_image_digest"
)

// lookup is one data source of the workload and what it must find.
type lookup struct {
	// name is the data source's name and its key in the answers output.
	name string
	// typ is the data source type, latestTagType or imageDigestType.
	typ string
	// repo is the repository on the registry, "bench/app03".
	repo string
	// filter and constraint are the arguments of a registry_latest_tag.
	filter, constraint string
	// keep is the crane script's grep for the same tags (latest_tag only).
	keep *regexp.Regexp
	// tag is the tag the data source must find, or for image_digest the
	// tag it asks about; digest is that tag's digest.
	tag, digest string
}

// answer is the lookup's expected value in the answers output.
func (l lookup) answer() string { return l.tag + "@" + l.digest }

// seedWorkload pushes the workload's repositories and returns its 48
// lookups: three registry_latest_tag (semver(); semver() with ">= 0"; the
// -alpine regex) and one registry_image_digest of "latest" per repository.
func seedWorkload(b *testing.B, reg *registrytest.Registry) []lookup {
	b.Helper()
	return seedRepositories(b, reg, "app%02d", workloadRepos, workloadTags, func(short, repo string, p picks) []lookup {
		return []lookup{
			{name: short + "_semver", typ: latestTagType, repo: repo, keep: semverGrep, tag: p.Semver},
			{name: short + "_stable", typ: latestTagType, repo: repo, constraint: stableConstraint, keep: stableGrep, tag: p.Stable},
			{name: short + "_alpine", typ: latestTagType, repo: repo, filter: alpineFilter, keep: alpineGrep, tag: p.Alpine},
			{name: short + "_latest", typ: imageDigestType, repo: repo, tag: "latest"},
		}
	})
}

// seedRepositories pushes repos repositories of the release history of tags
// tags (see releaseTags), each "bench/" and a short name made from format and
// its number, and returns what lookupsOf asks of each, with the digest of the
// tag each lookup must find.
func seedRepositories(b *testing.B, reg *registrytest.Registry, format string, repos, tags int, lookupsOf func(short, repo string, p picks) []lookup) []lookup {
	b.Helper()
	seeding := time.Now()
	var lookups []lookup
	for i := range repos {
		short := fmt.Sprintf(format, i)
		repo := "bench/" + short
		history, p := releaseTags(tags, i)
		digests := reg.PushTags(b, repo, history...)
		for _, l := range lookupsOf(short, repo, p) {
			d, ok := digests[l.tag]
			if !ok {
				b.Fatalf("%s: no tag %q was pushed", repo, l.tag)
			}
			l.digest = d.String()
			lookups = append(lookups, l)
		}
	}
	b.Logf("seeded %d repositories of %d tags in %v", repos, tags, time.Since(seeding).Round(time.Millisecond))
	return lookups
}

// dataSources returns the data sources of the lookups on host, and an
// output "answers" that maps each data source's name to tag@digest.
//
// With removed, every data source has count = 0 and there is no output: the
// plan reads nothing, yet Terraform starts, validates and configures the
// provider as for the full plan. (Terraform does not start a provider at all,
// but to read its schema, when no block of the configuration uses it.)
func dataSources(host string, lookups []lookup, removed bool) string {
	var b strings.Builder
	for _, l := range lookups {
		fmt.Fprintf(&b, "\ndata %q %q {\n", l.typ, l.name)
		if removed {
			b.WriteString("  count = 0\n")
		}
		fmt.Fprintf(&b, "  image = %q\n", host+"/"+l.repo)
		if l.filter != "" {
			fmt.Fprintf(&b, "  filter = %q\n", l.filter)
		}
		if l.constraint != "" {
			fmt.Fprintf(&b, "  constraint = %q\n", l.constraint)
		}
		if l.typ == imageDigestType {
			fmt.Fprintf(&b, "  tag = %q\n", l.tag)
		}
		b.WriteString("}\n")
	}
	if removed {
		return b.String()
	}
	b.WriteString("\noutput \"answers\" {\n  value = {\n")
	for _, l := range lookups {
		ds := "data." + l.typ + "." + l.name
		if l.typ == latestTagType {
			fmt.Fprintf(&b, "    %s = \"${%s.tag}@${%s.digest}\"\n", l.name, ds, ds)
		} else {
			fmt.Fprintf(&b, "    %s = \"%s@${%s.digest}\"\n", l.name, l.tag, ds)
		}
	}
	b.WriteString("  }\n}\n")
	return b.String()
}

// planAnswers returns the answers output of the plan saved in dir.
func planAnswers(b *testing.B, ws *tfrun.Workspace, dir string) map[string]string {
	b.Helper()
	var answers map[string]string
	if err := json.Unmarshal(ws.Outputs(b, dir)["answers"], &answers); err != nil {
		b.Fatalf("the answers output: %v", err)
	}
	return answers
}

// protocolMinimum is the fewest requests the lookups need, by kind: one ping
// for the registry, one token per repository, every page of every listed
// repository once, and one HEAD per distinct tag asked about.
func protocolMinimum(lookups []lookup, tagsPerRepo int) Tally {
	repos := map[string]bool{}
	listed := map[string]bool{}
	tags := map[string]bool{}
	for _, l := range lookups {
		repos[l.repo] = true
		if l.typ == latestTagType {
			listed[l.repo] = true
		}
		tags[l.repo+":"+l.tag] = true
	}
	return Tally{
		Counts: registrytest.Counts{
			Ping:         1,
			TagList:      int64(len(listed) * tagPages(tagsPerRepo)),
			ManifestHead: int64(len(tags)),
		},
		Token: int64(len(repos)),
	}
}

// checkAnswers fails the benchmark when who found other than the lookups
// expect.
func checkAnswers(b *testing.B, who string, lookups []lookup, got map[string]string) {
	b.Helper()
	for _, l := range lookups {
		if got[l.name] != l.answer() {
			b.Errorf("%s: %s found %q, want %q", who, l.name, got[l.name], l.answer())
		}
	}
}

// BenchmarkPlanWorkload times one `terraform plan` of the workload
// (ns/op), the same plan with the data sources removed, and the same lookups
// done one at a time by crane, and counts their requests; see the package
// documentation. Run it once: -benchtime=1x.
func BenchmarkPlanWorkload(b *testing.B) {
	terraform := tfrun.TerraformPath(b)
	providerDir := filepath.Dir(provider.Path(b))
	crane := tfrun.Tool(b, "crane")

	reg := registrytest.NewDistribution(b,
		registrytest.WithTokenAuth(map[string]string{benchUser: benchPassword}),
		registrytest.WithMaxTags(pageSize))
	lookups := seedWorkload(b, reg)
	proxy := NewLatencyProxy(b, reg, addedLatency)

	ws := tfrun.NewWorkspace(b, terraform, providerDir)
	provider := providerBlock(proxy.Host, benchUser, benchPassword)
	full := ws.Config(b, "full", provider+dataSources(proxy.Host, lookups, false))
	empty := ws.Config(b, "empty", provider+dataSources(proxy.Host, lookups, true))
	script := newCraneScript(b, crane, proxy.Host, benchUser, benchPassword)

	// One untimed plan first, so that every timed run finds Terraform and
	// the provider in the page cache.
	ws.Plan(b, empty)
	proxy.Take()

	var r workloadRun
	for b.Loop() {
		tokens := reg.Token.Requests.Load()
		r.plan = ws.Plan(b, full)
		r.provider = proxy.Take()
		r.providerTokens = reg.Token.Requests.Load() - tokens

		b.StopTimer()
		checkAnswers(b, "terraform plan", lookups, planAnswers(b, ws, full))

		r.empty = ws.Plan(b, empty)
		r.emptyCounts = proxy.Take()

		// The medians: plans one after the other, each kind in turn, so
		// that a slow moment of the machine spreads over all three.
		var plans, wides, empties []time.Duration
		for range planRuns {
			plans = append(plans, ws.Plan(b, full))
			if got := proxy.Take(); got.Total() != r.provider.Total() {
				b.Errorf("a plan made %d requests, the first %d", got.Total(), r.provider.Total())
			}
			wides = append(wides, ws.Plan(b, full, fmt.Sprintf("-parallelism=%d", wideParallelism)))
			r.wideCounts = proxy.Take()
			empties = append(empties, ws.Plan(b, empty))
			proxy.Take()
		}
		r.medianPlan, r.medianWide, r.medianEmpty = median(plans), median(wides), median(empties)

		tokens = reg.Token.Requests.Load()
		start := time.Now()
		answers := map[string]string{}
		for _, l := range lookups {
			a, err := script.answer(proxy.Host, l)
			if err != nil {
				b.Fatal(err)
			}
			answers[l.name] = a
		}
		r.crane = time.Since(start)
		r.craneCounts = proxy.Take()
		r.craneTokens = reg.Token.Requests.Load() - tokens
		checkAnswers(b, "the crane script", lookups, answers)
		b.StartTimer()
	}

	if r.providerTokens != r.provider.Token || r.craneTokens != r.craneCounts.Token {
		b.Errorf("the token server counted %d and %d requests, the proxy %d and %d: some went around the proxy",
			r.providerTokens, r.craneTokens, r.provider.Token, r.craneCounts.Token)
	}
	if n := r.emptyCounts.Total(); n != 0 {
		b.Errorf("the plan without data sources made %d requests", n)
	}
	r.minimum = protocolMinimum(lookups, workloadTags)
	r.lookups = lookups
	r.report(b)
	r.table().write(os.Stdout)
}

// median returns the median of ds.
func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// criticalPath is the fewest round trips one registry_latest_tag needs, one
// after the other: ping, token, every page, one HEAD.
func criticalPath(tagsPerRepo int) int { return 3 + tagPages(tagsPerRepo) }

// workloadRun is what one iteration of BenchmarkPlanWorkload measured.
type workloadRun struct {
	medianPlan, medianWide, medianEmpty time.Duration
	wideCounts                          Tally
	plan, empty, crane                  time.Duration
	provider, emptyCounts, craneCounts  Tally
	minimum                             Tally
	lookups                             []lookup
	providerTokens, craneTokens         int64
}

func (r *workloadRun) report(b *testing.B) {
	b.ReportMetric(float64(r.provider.Total()), "requests")
	b.ReportMetric(float64(r.minimum.Total()), "min-requests")
	b.ReportMetric(float64(r.provider.Ping), "pings")
	b.ReportMetric(float64(r.provider.Token), "tokens")
	b.ReportMetric(float64(r.provider.TagList), "tag-pages")
	b.ReportMetric(float64(r.provider.ManifestHead), "manifest-heads")
	b.ReportMetric(float64(r.provider.ManifestGet), "manifest-gets")
	b.ReportMetric(float64(r.provider.Other), "other-requests")
	b.ReportMetric(r.medianPlan.Seconds(), "median-plan-s")
	b.ReportMetric(r.medianWide.Seconds(), "median-wide-plan-s")
	b.ReportMetric(r.medianEmpty.Seconds(), "median-empty-plan-s")
	b.ReportMetric(r.plan.Seconds(), "plan-s")
	b.ReportMetric(r.empty.Seconds(), "empty-plan-s")
	b.ReportMetric((r.plan - r.empty).Seconds(), "plan-minus-empty-s")
	b.ReportMetric(r.provider.Busy.Seconds(), "registry-busy-s")
	b.ReportMetric(r.crane.Seconds(), "crane-s")
	b.ReportMetric(float64(r.craneCounts.Total()), "crane-requests")
	b.ReportMetric(r.plan.Seconds()/r.crane.Seconds(), "plan/crane")
}

func (r *workloadRun) table() *table {
	t := &table{
		header: []string{fmt.Sprintf("%d lookups, %d × %d tags, +%v per request", len(r.lookups), workloadRepos, workloadTags, addedLatency),
			"terraform plan", "crane, one at a time", "protocol minimum"},
		right: []bool{false, true, true, true},
	}
	row := func(what string, f func(Tally) int64, minimum bool) {
		m := int64(-1)
		if minimum {
			m = f(r.minimum)
		}
		t.add(what, count(f(r.provider)), count(f(r.craneCounts)), count(m))
	}
	row("ping `/v2/`", func(c Tally) int64 { return c.Ping }, true)
	row("token", func(c Tally) int64 { return c.Token }, true)
	row("tag-list pages", func(c Tally) int64 { return c.TagList }, true)
	row("manifest HEAD", func(c Tally) int64 { return c.ManifestHead }, true)
	row("manifest GET", func(c Tally) int64 { return c.ManifestGet }, true)
	row("other", func(c Tally) int64 { return c.Other }, true)
	row("**requests**", Tally.Total, true)
	row("answered 401", func(c Tally) int64 { return c.Unauthorized }, false)
	row("TCP connections", func(c Tally) int64 { return c.Conns }, false)
	row("HTTPS tries on the HTTP port", func(c Tally) int64 { return c.TLSProbes }, false)
	row("most requests in flight", func(c Tally) int64 { return c.MaxInFlight }, false)
	t.add("first request to last answer", seconds(r.provider.Busy), seconds(r.craneCounts.Busy), "–")
	t.add("registry's own time, summed over requests", seconds(r.provider.Serving), seconds(r.craneCounts.Serving), "–")
	t.add("**wall time** (first run)", seconds(r.plan), seconds(r.crane), "–")
	t.add("plan without the data sources (first run)", seconds(r.empty), "–", "–")
	path := criticalPath(workloadTags)
	t.add(fmt.Sprintf("critical path: %d round trips of %v", path, addedLatency), "–", "–", seconds(time.Duration(path)*addedLatency))
	t.add(fmt.Sprintf("median of %d plans", planRuns), seconds(r.medianPlan), "–", "–")
	t.add(fmt.Sprintf("median of %d plans, -parallelism=%d", planRuns, wideParallelism), seconds(r.medianWide), "–", "–")
	t.add(fmt.Sprintf("median of %d plans without the data sources", planRuns), seconds(r.medianEmpty), "–", "–")
	t.add("median plan − empty plan (target ≤ 0.7 s)", seconds(r.medianPlan-r.medianEmpty), "–", "–")
	t.add(fmt.Sprintf("median plan, -parallelism=%d − empty plan (target ≤ 0.5 s)", wideParallelism), seconds(r.medianWide-r.medianEmpty), "–", "–")
	rtt := addedLatency + r.provider.Serving/time.Duration(max(r.provider.Total(), 1))
	for _, p := range []int{terraformParallelism, wideParallelism} {
		t.add(fmt.Sprintf("model of %d read slots: these requests at %v each (%v added + the registry's mean), reads in random order (median of %d orders)",
			p, rtt.Round(time.Millisecond), addedLatency, slotModelOrders),
			"–", "–", seconds(slotModel(r.lookups, tagPages(workloadTags), rtt, p)))
	}
	t.add("requests in flight, per 50 ms (first plan)", r.provider.InFlight(50*time.Millisecond), "–", "–")
	t.add(fmt.Sprintf("requests in flight, per 50 ms (-parallelism=%d)", wideParallelism), r.wideCounts.InFlight(50*time.Millisecond), "–", "–")
	t.add("plan ÷ crane (target ≤ 0.20)", fmt.Sprintf("%.2f", r.plan.Seconds()/r.crane.Seconds()), "–", "–")
	t.add("requests ÷ minimum (target ≤ 1)", fmt.Sprintf("%.2f", float64(r.provider.Total())/float64(r.minimum.Total())),
		fmt.Sprintf("%.2f", float64(r.craneCounts.Total())/float64(r.minimum.Total())), "–")
	return t
}
