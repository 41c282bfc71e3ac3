package benchmarks

import (
	"fmt"
	"regexp"
	"strings"
)

// The filters of the workload beside the default, semver(): one
// registry_latest_tag each per repository.
const (
	// alpineFilter keeps X.Y.Z-alpine, ordered by X.Y.Z.
	alpineFilter = `regex('(?P<version>\d+\.\d+\.\d+)-alpine')`
	// stableConstraint keeps releases only: a pre-release (-rc1, and also
	// -alpine) satisfies no constraint that does not name one.
	stableConstraint = ">= 0"
)

// The crane script's greps for the tags that the filters keep: semver();
// semver() with stableConstraint; alpineFilter.
var (
	semverGrep = regexp.MustCompile(`^v?[0-9]`)
	stableGrep = regexp.MustCompile(`^v?[0-9]+\.[0-9]+\.[0-9]+$`)
	alpineGrep = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+-alpine$`)
)

// picks are what the workload's three filters select from a tag list.
type picks struct {
	// Semver is the newest tag of semver() alone: the newest release
	// candidate of a major version that has no release yet.
	Semver string
	// Stable is the newest release, semver() with constraint ">= 0".
	Stable string
	// Alpine is the newest -alpine variant.
	Alpine string
}

// releaseTags returns n tags of an image's release history, oldest first, and
// what the workload's filters pick from them: releases X.Y.Z (15 patches to
// each of 30 minors to a major), an -alpine variant of every other patch, an
// -rc1 ahead of every minor's .0, then "latest" and two release candidates of
// the next major. offset shifts the major versions so that repositories
// differ. n must be at least 4.
func releaseTags(n, offset int) ([]string, picks) {
	tags := make([]string, 0, n)
	var p picks
	body := n - 3
	emit := func(tag string) bool {
		if len(tags) >= body {
			return false
		}
		tags = append(tags, tag)
		return true
	}
	major := 1 + offset
	for ; len(tags) < body; major++ {
		for minor := range 30 {
			for patch := range 15 {
				v := fmt.Sprintf("%d.%d.%d", major, minor, patch)
				if patch == 0 {
					emit(v + "-rc1")
				}
				if emit(v) {
					p.Stable = v
				}
				if patch%2 == 0 && emit(v+"-alpine") {
					p.Alpine = v + "-alpine"
				}
			}
		}
	}
	next := fmt.Sprintf("%d.0.0", major)
	tags = append(tags, next+"-rc1", next+"-rc2", "latest")
	p.Semver = next + "-rc2"
	return tags, p
}

const (
	// largeRepoTags is the size of the repository of BenchmarkLargeRepository
	// and BenchmarkListAndSelect100k.
	largeRepoTags = 100_000
	// largeRepo is its name.
	largeRepo = "bench/big"
	// pageSize is distribution's tags.maxtags, the most tags one page holds,
	// and the page size the provider asks for.
	pageSize = 1000
)

// largeTags returns n tags shaped like a busy CI image's: a fifth are
// releases (releaseTags), the rest build tags such as main-12345-3f2a9c1
// that semver() rejects.
func largeTags(n int) ([]string, picks) {
	releases := n / 5
	tags, p := releaseTags(releases, 0)
	for i := range n - releases {
		tags = append(tags, fmt.Sprintf("main-%d-%07x", i, uint32(i)*2654435761>>4))
	}
	return tags, p
}

// tagPages is how many requests a client that follows Link headers needs for
// a list of n tags, paged as distribution pages it (pageSize a page): a full page always
// carries a Link, so a list that ends on a page boundary costs one more
// request, which returns no tags.
func tagPages(n int) int {
	return n/pageSize + 1
}

// versionCompare orders two strings as GNU `sort -V` orders image tags:
// Debian's version comparison, where runs of digits compare by value and
// other characters by byte with letters before the rest and the end of the
// string before both, so that 1.2.3 < 1.2.3-rc1 < 1.2.10. (sort -V also sets
// file suffixes like .tar.gz apart; no tag here has one.) Equal versions fall
// back to byte order, as sort does.
func versionCompare(a, b string) int {
	if c := verrevcmp(a, b); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func verrevcmp(a, b string) int {
	isDigit := func(c byte) bool { return '0' <= c && c <= '9' }
	order := func(s string, i int) int {
		switch c := s[i]; {
		case isDigit(c):
			return 0
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z':
			return int(c)
		case c == '~':
			return -1
		default:
			return int(c) + 256
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for (i < len(a) && !isDigit(a[i])) || (j < len(b) && !isDigit(b[j])) {
			ac, bc := 0, 0
			if i < len(a) {
				ac = order(a, i)
			}
			if j < len(b) {
				bc = order(b, j)
			}
			if ac != bc {
				return ac - bc
			}
			i++
			j++
		}
		for i < len(a) && a[i] == '0' {
			i++
		}
		for j < len(b) && b[j] == '0' {
			j++
		}
		first := 0
		for i < len(a) && isDigit(a[i]) && j < len(b) && isDigit(b[j]) {
			if first == 0 {
				first = int(a[i]) - int(b[j])
			}
			i++
			j++
		}
		if i < len(a) && isDigit(a[i]) {
			return 1
		}
		if j < len(b) && isDigit(b[j]) {
			return -1
		}
		if first != 0 {
			return first
		}
	}
	return 0
}
