package tagfilter

import "strings"

// This file holds the loose version order written out step by step as the
// specification states it. Compare and Update use it directly; the sort keys
// in sortkey.go encode the same order and the tests hold them to agreement.

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isLetter(c byte) bool { return 'A' <= c&^0x20 && c&^0x20 <= 'Z' }

// stripV removes a leading lower-case "v" when a digit follows it.
func stripV(s string) string {
	if len(s) >= 2 && s[0] == 'v' && isDigit(s[1]) {
		return s[1:]
	}
	return s
}

// startsLikeVersion reports whether s starts with a digit, or with "v" and
// a digit.
func startsLikeVersion(s string) bool {
	return len(s) > 0 && (isDigit(s[0]) || len(s) > 1 && s[0] == 'v' && isDigit(s[1]))
}

// isCommitHash reports whether a version text looks like a commit hash: 7
// to 64 characters of 0-9 and a-f, at least one of them a letter. Short SHAs
// start with a digit often enough that semver() would take them for
// versions (fluxcd/flux#2729); all-digit texts stay, as build numbers.
func isCommitHash(s string) bool {
	if len(s) < 7 || len(s) > 64 {
		return false
	}
	letter := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c):
		case 'a' <= c && c <= 'f':
			letter = true
		default:
			return false
		}
	}
	return letter
}

// Shape returns a tag's shape: the tag with every maximal run of ASCII
// digits replaced by one "#", so that "1.27.3-alpine3.21" has the shape
// "#.#.#-alpine#.#". Tags of one shape differ only in their numbers: a pin
// that follows its shape keeps its precision, its "v", its variant words and
// its separators.
func Shape(tag string) string {
	var b strings.Builder
	b.Grow(len(tag))
	for i := 0; i < len(tag); i++ {
		if !isDigit(tag[i]) {
			b.WriteByte(tag[i])
			continue
		}
		b.WriteByte('#')
		for i+1 < len(tag) && isDigit(tag[i+1]) {
			i++
		}
	}
	return b.String()
}

// splitVersion splits a version text, already without its leading "v", into
// its numeric part (the longest leading run of digits { "." digits }) and its
// suffix (the rest).
func splitVersion(s string) (nums, suffix string) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		if i < len(s) && s[i] == '.' && i+1 < len(s) && isDigit(s[i+1]) {
			i++
		}
	}
	return s[:i], s[i:]
}

// nextComponent returns the first dot-separated component of a numeric part
// and the rest after the dot. An exhausted numeric part yields "", which
// compares as zero.
func nextComponent(nums string) (comp, rest string) {
	if i := strings.IndexByte(nums, '.'); i >= 0 {
		return nums[:i], nums[i+1:]
	}
	return nums, ""
}

// countComponents returns the number of components of a numeric part.
func countComponents(nums string) int {
	if nums == "" {
		return 0
	}
	return strings.Count(nums, ".") + 1
}

// trimZeros removes leading zeros from a digit string; zero becomes "".
func trimZeros(d string) string {
	for len(d) > 0 && d[0] == '0' {
		d = d[1:]
	}
	return d
}

// compareDigits compares two digit strings of any length by value.
func compareDigits(a, b string) int {
	a, b = trimZeros(a), trimZeros(b)
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// pieceKind tells what a suffix piece is made of.
type pieceKind uint8

const (
	pieceDigits pieceKind = iota + 1
	pieceLetters
	pieceOther
)

// classify returns the kind of piece that byte c belongs to; "." belongs to
// none (it only separates pieces).
func classify(c byte) pieceKind {
	switch {
	case isDigit(c):
		return pieceDigits
	case isLetter(c):
		return pieceLetters
	case c == '.':
		return 0
	default:
		return pieceOther
	}
}

// nextPiece returns the first piece of a suffix and what follows it. It
// returns kind 0 when no piece is left.
func nextPiece(s string) (piece string, kind pieceKind, rest string) {
	for len(s) > 0 && s[0] == '.' {
		s = s[1:]
	}
	if s == "" {
		return "", 0, ""
	}
	kind = classify(s[0])
	i := 1
	for i < len(s) && classify(s[i]) == kind {
		i++
	}
	return s[:i], kind, s[i:]
}

// compareVersions compares two version texts by steps 1 to 4 of the loose
// version order. The texts may still carry their leading "v".
func compareVersions(a, b string) int {
	an, as := splitVersion(stripV(a))
	bn, bs := splitVersion(stripV(b))

	// Step 1: numeric parts by value, missing components counting as 0.
	for ra, rb := an, bn; ra != "" || rb != ""; {
		var ca, cb string
		ca, ra = nextComponent(ra)
		cb, rb = nextComponent(rb)
		if c := compareDigits(ca, cb); c != 0 {
			return c
		}
	}

	// Step 2: an empty suffix beats a non-empty one.
	if (as == "") != (bs == "") {
		if as == "" {
			return 1
		}
		return -1
	}

	// Step 3: the suffixes piece by piece.
	if c := compareSuffixes(as, bs); c != 0 {
		return c
	}

	// Step 4: more numeric components is newer.
	return cmpInt(countComponents(an), countComponents(bn))
}

// compareSuffixes compares two suffixes piece by piece (step 3).
func compareSuffixes(a, b string) int {
	for {
		pa, ka, ra := nextPiece(a)
		pb, kb, rb := nextPiece(b)
		switch {
		case ka == 0 && kb == 0:
			return 0
		case ka == 0:
			return -1
		case kb == 0:
			return 1
		case ka == pieceDigits && kb == pieceDigits:
			if c := compareDigits(pa, pb); c != 0 {
				return c
			}
		case ka == pieceDigits:
			return 1
		case kb == pieceDigits:
			return -1
		default:
			if c := strings.Compare(pa, pb); c != 0 {
				return c
			}
		}
		a, b = ra, rb
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
