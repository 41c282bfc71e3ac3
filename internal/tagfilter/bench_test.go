package tagfilter

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// realisticTags returns n tags shaped like those of busy public images:
// releases with and without v, -alpine variants, rc pre-releases, floating
// names, cosign tags, CI builds, timestamps and some garbage.
func realisticTags(n int) []string {
	rng := rand.New(rand.NewPCG(5, uint64(n)))
	hex := func() string {
		const digits = "0123456789abcdef"
		b := make([]byte, 64)
		for i := range b {
			b[i] = digits[rng.IntN(16)]
		}
		return string(b)
	}
	floating := []string{"latest", "stable", "edge", "mainline", "alpine", "stable-alpine", "nightly"}
	tags := make([]string, n)
	for i := range tags {
		major, minor, patch := rng.IntN(30), rng.IntN(40), rng.IntN(25)
		switch r := rng.IntN(100); {
		case r < 35:
			tags[i] = fmt.Sprintf("%d.%d.%d", major, minor, patch)
		case r < 45:
			tags[i] = fmt.Sprintf("v%d.%d.%d", major, minor, patch)
		case r < 58:
			tags[i] = fmt.Sprintf("%d.%d.%d-alpine3.%d", major, minor, patch, 15+rng.IntN(7))
		case r < 63:
			tags[i] = fmt.Sprintf("%d.%d-alpine", major, minor)
		case r < 71:
			tags[i] = fmt.Sprintf("v%d.%d.%d-rc.%d", major, minor, patch, rng.IntN(12))
		case r < 74:
			tags[i] = fmt.Sprintf("%d.%d.%d-debian-12-r%d", major, minor, patch, rng.IntN(40))
		case r < 77:
			tags[i] = floating[rng.IntN(len(floating))]
		case r < 85:
			tags[i] = "sha256-" + hex() + []string{".sig", ".att", ".sbom", ""}[rng.IntN(4)]
		case r < 90:
			tags[i] = fmt.Sprintf("master-%d", rng.IntN(100000))
		case r < 94:
			tags[i] = fmt.Sprintf("2024%02d%02d%02d%02d%02d", 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), rng.IntN(60))
		default:
			b := make([]byte, 4+rng.IntN(16))
			for j := range b {
				b[j] = "abcdefxyz0123456789-._"[rng.IntN(22)]
			}
			tags[i] = string(b)
		}
	}
	return tags
}

func BenchmarkParse(b *testing.B) {
	for _, expr := range []string{
		"semver()",
		"prefix('master-', suffix=number())",
		`regex('(?P<version>\d+\.\d+\.\d+)-alpine')`,
	} {
		b.Run(expr, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(expr); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

var sizes = []int{1000, 10000, 100000}

func BenchmarkSort(b *testing.B) {
	for _, expr := range []string{"semver()", "prefix('master-', suffix=number())", `regex('(?P<version>\d+\.\d+\.\d+)-alpine')`} {
		f := MustParse(expr)
		for _, n := range sizes {
			tags := realisticTags(n)
			b.Run(fmt.Sprintf("%s/%d", expr, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					f.Sort(tags)
				}
			})
		}
	}
}

func BenchmarkSelect(b *testing.B) {
	f := Default()
	stable, err := ParseConstraint(">= 0")
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range sizes {
		tags := realisticTags(n)
		b.Run(fmt.Sprintf("semver()/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f.Select(tags, nil, 5)
			}
		})
		b.Run(fmt.Sprintf("semver() >= 0/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f.Select(tags, stable, 5)
			}
		})
	}
}
