package tagfilter

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// propertyFilters are the filters the property tests run, chosen so that
// random tags are often kept.
var propertyFilters = []string{
	"semver()",
	"semver(allow_no_nums=true)",
	"number()",
	"prefix('v')",
	"prefix('a-', suffix=number())",
	"regex('(?P<version>[0-9.]*)[a-z-]*')",
	"regex('.*')",
}

// randomTag builds a short tag from pieces that hit the edge cases of the
// order: digits with leading zeros, dots, v, letters, other characters.
func randomTag(rng *rand.Rand) string {
	parts := []string{
		"0", "1", "2", "7", "007", "10", "9", "00", "99999999999999999999", "1844674407370955161600",
		".", ".", ".", "-", "_", "v", "V", "rc", "a", "b", "alpha", "beta", "alpine", "é", "\x00", "~",
		"a-", "sha256-",
	}
	var b strings.Builder
	for range rng.IntN(6) + 1 {
		b.WriteString(parts[rng.IntN(len(parts))])
	}
	return b.String()
}

func randomTags(rng *rand.Rand, n int) []string {
	tags := make([]string, n)
	for i := range tags {
		tags[i] = randomTag(rng)
	}
	return tags
}

func keyOf(f *Filter, tag string) []byte {
	v, ok := f.VersionText(tag)
	if !ok {
		return nil
	}
	return appendKey(nil, v, tag)
}

// eachPropertyFilter runs check on each filter of propertyFilters, in
// parallel subtests, with a random source made from seed and the filter.
func eachPropertyFilter(t *testing.T, seed uint64, check func(t *testing.T, f *Filter, rng *rand.Rand)) {
	t.Helper()
	for _, expr := range propertyFilters {
		t.Run(expr, func(t *testing.T) {
			t.Parallel()
			check(t, mustParse(t, expr), rand.New(rand.NewPCG(seed, uint64(len(expr)))))
		})
	}
}

// TestPropertyStrictTotalOrder checks on random tags that Compare is a
// strict total order (antisymmetric, transitive, 0 only for equal tags) and
// that the sort keys order kept tags exactly as Compare does.
func TestPropertyStrictTotalOrder(t *testing.T) {
	t.Parallel()
	eachPropertyFilter(t, 2, func(t *testing.T, f *Filter, rng *rand.Rand) {
		for range 20000 {
			a, b, c := randomTag(rng), randomTag(rng), randomTag(rng)
			ab, ba := sign(f.Compare(a, b)), sign(f.Compare(b, a))
			if ab != -ba {
				t.Fatalf("Compare(%q, %q) = %d but Compare(%q, %q) = %d", a, b, ab, b, a, ba)
			}
			if (ab == 0) != (a == b) {
				t.Fatalf("Compare(%q, %q) = %d", a, b, ab)
			}
			bc, ac := sign(f.Compare(b, c)), sign(f.Compare(a, c))
			if ab > 0 && bc > 0 && ac <= 0 || ab < 0 && bc < 0 && ac >= 0 {
				t.Fatalf("not transitive: %q, %q, %q give %d, %d, %d", a, b, c, ab, bc, ac)
			}
			ka, kb := keyOf(f, a), keyOf(f, b)
			if ka != nil && kb != nil {
				if got := sign(bytes.Compare(ka, kb)); got != ab {
					t.Fatalf("keys order %q, %q as %d, Compare as %d (keys %x, %x)", a, b, got, ab, ka, kb)
				}
			}
		}
	})
}

// TestPropertySort checks that Sort keeps exactly the distinct tags the
// filter keeps, in strictly decreasing Compare order, whatever the order of
// the input, and that Select agrees with it.
func TestPropertySort(t *testing.T) {
	t.Parallel()
	eachPropertyFilter(t, 3, func(t *testing.T, f *Filter, rng *rand.Rand) {
		for range 300 {
			tags := randomTags(rng, rng.IntN(60))
			tags = append(tags, tags[:len(tags)/4]...) // duplicates
			sorted := f.Sort(tags)

			var kept []string
			for _, tag := range tags {
				if f.Keep(tag) && !slices.Contains(kept, tag) {
					kept = append(kept, tag)
				}
			}
			if len(sorted) != len(kept) {
				t.Fatalf("Sort(%q) = %q, want the %d kept tags %q", tags, sorted, len(kept), kept)
			}
			for _, tag := range kept {
				if !slices.Contains(sorted, tag) {
					t.Fatalf("Sort(%q) = %q misses %q", tags, sorted, tag)
				}
			}
			for i := 1; i < len(sorted); i++ {
				if f.Compare(sorted[i-1], sorted[i]) <= 0 {
					t.Fatalf("Sort(%q) = %q: %q is not newer than %q", tags, sorted, sorted[i-1], sorted[i])
				}
			}

			shuffled := slices.Clone(tags)
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			if again := f.Sort(shuffled); !slices.Equal(again, sorted) {
				t.Fatalf("Sort depends on the input order:\n%q gives %q\n%q gives %q", tags, sorted, shuffled, again)
			}

			k := rng.IntN(8)
			s := f.Select(shuffled, nil, k)
			wantCandidates := sorted[:min(k, len(sorted))]
			if k == 0 {
				wantCandidates = nil
			}
			want := Selection{
				Listed: countDistinct(tags), Kept: len(sorted),
				RejectedByFilter: countDistinct(tags) - len(sorted), Candidates: wantCandidates,
			}
			if len(sorted) > 0 {
				want.Tag = sorted[0]
				want.Version, _ = f.VersionText(sorted[0])
			}
			if !equalSelections(s, want) {
				t.Fatalf("Select(%q, %d) =\n%+v, want\n%+v", shuffled, k, s, want)
			}
		}
	})
}

// TestPropertyConstraintSelect checks that Select with a constraint picks the
// newest sorted tag whose version text satisfies it.
func TestPropertyConstraintSelect(t *testing.T) {
	t.Parallel()
	f := Default()
	rng := rand.New(rand.NewPCG(4, 4))
	for _, cs := range []string{">= 0", "~1.2", ">= 1.0.0-0", "^2 || 7.x"} {
		c, err := ParseConstraint(cs)
		if err != nil {
			t.Fatal(err)
		}
		for range 200 {
			tags := make([]string, rng.IntN(40))
			for i := range tags {
				tags[i] = fmt.Sprintf("%d.%d.%d", rng.IntN(8), rng.IntN(4), rng.IntN(3))
				if rng.IntN(3) == 0 {
					tags[i] += []string{"-rc1", "-alpine", ".1", "-beta.2"}[rng.IntN(4)]
				}
			}
			var want []string
			rejected := 0
			for _, tag := range f.Sort(tags) {
				if v, _ := f.VersionText(tag); c.Check(v) {
					want = append(want, tag)
				} else {
					rejected++
				}
			}
			s := f.Select(tags, c, 3)
			if !slices.Equal(s.Candidates, want[:min(3, len(want))]) || s.Kept != len(want) ||
				s.RejectedByConstraint != rejected || s.RejectedByFilter != 0 {
				t.Fatalf("Select(%q, %q) = %+v, want candidates from %q and %d rejected", tags, cs, s, want, rejected)
			}
		}
	}
}

func countDistinct(tags []string) int {
	seen := map[string]bool{}
	for _, t := range tags {
		seen[t] = true
	}
	return len(seen)
}
