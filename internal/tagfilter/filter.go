package tagfilter

import (
	"bytes"
	"encoding/binary"
	"math"
	"regexp"
	"slices"
	"strings"
)

// Filter is a parsed filter expression. It is immutable and safe for
// concurrent use.
type Filter struct {
	root *node
}

// callKind names the function of a call.
type callKind uint8

const (
	callSemver callKind = iota + 1
	callNumber
	callPrefix
	callRegex
)

// node is one call of a filter expression.
type node struct {
	kind callKind

	allowNoNums bool // semver

	prefix string // prefix
	suffix *node  // prefix

	pattern string         // regex, as written
	re      *regexp.Regexp // regex, anchored
	group   int            // regex: index of the version group, or -1
}

// Default returns the filter used when none is given: semver().
func Default() *Filter {
	return &Filter{root: &node{kind: callSemver}}
}

// String returns the canonical form of the expression: arguments by position
// where that is unambiguous, defaults left out, strings in single quotes
// unless they hold one. Parse(f.String()) gives an equal filter.
func (f *Filter) String() string {
	var b strings.Builder
	f.root.write(&b)
	return b.String()
}

func (n *node) write(b *strings.Builder) {
	switch n.kind {
	case callSemver:
		if n.allowNoNums {
			b.WriteString("semver(allow_no_nums=true)")
		} else {
			b.WriteString("semver()")
		}
	case callNumber:
		b.WriteString("number()")
	case callPrefix:
		b.WriteString("prefix(")
		writeQuoted(b, n.prefix)
		if !n.suffix.isDefaultSuffix() {
			b.WriteString(", suffix=")
			n.suffix.write(b)
		}
		b.WriteString(")")
	case callRegex:
		b.WriteString("regex(")
		writeQuoted(b, n.pattern)
		b.WriteString(")")
	}
}

func (n *node) isDefaultSuffix() bool {
	return n.kind == callSemver && !n.allowNoNums
}

func writeQuoted(b *strings.Builder, s string) {
	q := "'"
	if strings.Contains(s, "'") {
		q = `"`
	}
	b.WriteString(q)
	b.WriteString(s)
	b.WriteString(q)
}

// Keep reports whether the filter keeps the tag. Signature, attestation and
// SBOM tags written by cosign are never kept.
func (f *Filter) Keep(tag string) bool {
	_, ok := f.VersionText(tag)
	return ok
}

// VersionText returns the version text of a tag, the text a constraint is
// checked against: for semver() the tag less a leading "v" followed by a
// digit, for number() the tag, for prefix() the version text that its suffix
// gives for the rest, for regex() the version group when the pattern has one,
// else the tag less a leading "v" followed by a digit. ok is false when the
// filter does not keep the tag.
func (f *Filter) VersionText(tag string) (text string, ok bool) {
	if isCosignTag(tag) {
		return "", false
	}
	return f.root.versionText(tag)
}

func (n *node) versionText(s string) (string, bool) {
	for {
		switch n.kind {
		case callSemver:
			v := stripV(s)
			if !n.allowNoNums && (!startsLikeVersion(s) || isCommitHash(v)) {
				return "", false
			}
			return v, true
		case callNumber:
			if s == "" {
				return "", false
			}
			for i := 0; i < len(s); i++ {
				if !isDigit(s[i]) {
					return "", false
				}
			}
			return s, true
		case callPrefix:
			rest, ok := strings.CutPrefix(s, n.prefix)
			if !ok {
				return "", false
			}
			n, s = n.suffix, rest
		case callRegex:
			if n.group < 0 {
				if !n.re.MatchString(s) {
					return "", false
				}
				return stripV(s), true
			}
			m := n.re.FindStringSubmatchIndex(s)
			if m == nil || m[2*n.group] < 0 || m[2*n.group] == m[2*n.group+1] {
				return "", false
			}
			return s[m[2*n.group]:m[2*n.group+1]], true
		default:
			return "", false
		}
	}
}

// isCosignTag reports whether tag is sha256-<64 hex digits>, alone or
// followed by .sig, .att or .sbom.
func isCosignTag(tag string) bool {
	rest, ok := strings.CutPrefix(tag, "sha256-")
	if !ok || len(rest) < 64 {
		return false
	}
	for i := 0; i < 64; i++ {
		c := rest[i]
		if !isDigit(c) && (c|0x20 < 'a' || c|0x20 > 'f') {
			return false
		}
	}
	switch rest[64:] {
	case "", ".sig", ".att", ".sbom":
		return true
	}
	return false
}

// Compare orders two tags by the full order of the specification (steps 1
// to 5). It returns a positive number when a is newer than b, a negative one
// when a is older, and 0 only when a == b. It is meant for tags the filter
// keeps; to stay a total order it counts a kept tag newer than one the filter
// does not keep, and orders two tags it does not keep byte by byte.
func (f *Filter) Compare(a, b string) int {
	va, oka := f.VersionText(a)
	vb, okb := f.VersionText(b)
	switch {
	case oka && okb:
		if c := compareVersions(va, vb); c != 0 {
			return c
		}
	case oka:
		return 1
	case okb:
		return -1
	}
	// Step 5.
	return strings.Compare(a, b)
}

// sortEntry locates the key of one kept tag in the shared key arena. head
// holds the first 16 bytes of the key (zero-padded), big-endian, so that
// most comparisons do not reach the arena.
type sortEntry struct {
	head     [2]uint64
	off, end uint32
	tag      uint32 // index into the input
}

func compareEntries(arena []byte) func(x, y sortEntry) int {
	return func(x, y sortEntry) int {
		if x.head[0] != y.head[0] {
			if x.head[0] < y.head[0] {
				return -1
			}
			return 1
		}
		if x.head[1] != y.head[1] {
			if x.head[1] < y.head[1] {
				return -1
			}
			return 1
		}
		return bytes.Compare(arena[x.off:x.end], arena[y.off:y.end])
	}
}

// Sort returns the tags the filter keeps, newest first, each once. The input
// is not modified.
func (f *Filter) Sort(tags []string) []string {
	arena, entries, ok := f.keys(tags)
	if !ok {
		return f.sortByCompare(tags)
	}
	slices.SortFunc(entries, compareEntries(arena))
	out := make([]string, 0, len(entries))
	for i := len(entries) - 1; i >= 0; i-- {
		tag := tags[entries[i].tag]
		if len(out) > 0 && tag == out[len(out)-1] {
			continue // equal keys mean equal tags: a duplicate
		}
		out = append(out, tag)
	}
	return out
}

// keys builds the sort keys of the kept tags in one arena. ok is false when
// the keys would not fit in 4 GiB.
func (f *Filter) keys(tags []string) (arena []byte, entries []sortEntry, ok bool) {
	size := 0
	for _, t := range tags {
		size += len(t)
	}
	if 3*size+16*len(tags) > math.MaxUint32 {
		return nil, nil, false
	}
	arena = make([]byte, 0, 2*size+8*len(tags))
	entries = make([]sortEntry, 0, len(tags))
	for i, t := range tags {
		text, kept := f.VersionText(t)
		if !kept {
			continue
		}
		off := len(arena)
		arena = appendKey(arena, text, t)
		if len(arena) > math.MaxUint32 {
			return nil, nil, false
		}
		//nolint:gosec // off, len(arena) and i are at most len(arena), checked against math.MaxUint32 above
		entries = append(entries, sortEntry{head: keyHead(arena[off:]), off: uint32(off), end: uint32(len(arena)), tag: uint32(i)})
	}
	return arena, entries, true
}

// keyHead returns the first 16 bytes of key, zero-padded, as two
// big-endian numbers. keyHead(a) < keyHead(b) implies a < b bytewise.
func keyHead(key []byte) [2]uint64 {
	var b [16]byte
	copy(b[:], key)
	return [2]uint64{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

// sortByCompare is Sort for inputs too large for the key arena.
func (f *Filter) sortByCompare(tags []string) []string {
	var out []string
	for _, t := range tags {
		if f.Keep(t) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return f.Compare(b, a) })
	return slices.Compact(out)
}
