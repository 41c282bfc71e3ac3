package tagfilter

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Selection is the outcome of Select: the newest tag and the counts that
// explain it.
type Selection struct {
	// Tag is the newest tag kept by the filter and the constraint; "" when
	// none is kept.
	Tag string
	// Version is the version text of Tag.
	Version string
	// Listed is the number of distinct tags given.
	Listed int
	// Kept is the number of distinct tags kept by the filter and the
	// constraint.
	Kept int
	// RejectedByCosign is the number of distinct cosign tags
	// (sha256-<hex>.sig, .att, .sbom), which no filter keeps.
	RejectedByCosign int
	// RejectedByFilter is the number of distinct other tags the filter does
	// not keep.
	RejectedByFilter int
	// RejectedByExclude is the number of distinct tags the filter keeps
	// that an exclude pattern matches.
	RejectedByExclude int
	// RejectedByVariant is the number of distinct tags left that are not
	// of the shape the rules follow.
	RejectedByVariant int
	// RejectedByConstraint is the number of distinct tags left whose
	// version text does not satisfy the constraint.
	RejectedByConstraint int
	// RejectedByKeep is the number of distinct tags left that Rules.Keep
	// refused.
	RejectedByKeep int
	// OtherShape is, when the rules follow the shape of a current tag, the
	// newest tag of another shape that every other rule keeps and that
	// leaves current behind (see LeavesBehind); "" otherwise.
	OtherShape string
	// Candidates holds up to the requested number of kept tags, newest
	// first; Candidates[0] is Tag.
	Candidates []string
}

// Found reports whether a tag was selected.
func (s Selection) Found() bool { return s.Tag != "" || s.Kept > 0 }

// Rules are the rules that follow the filter, in the order they apply.
type Rules struct {
	// Exclude holds patterns (see ParseExclude): a tag that one of them
	// matches is left out.
	Exclude []*regexp.Regexp
	// Shape, when not "", keeps only the tags of this shape (see Shape),
	// and the constraint is then checked against the numeric part of each
	// version text only (its first three components: constrainedPart): the
	// suffix that the shape fixes is a variant, not a pre-release.
	Shape string
	// Current, when not "", is the tag in use whose shape the rules follow;
	// it decides which tag of another shape is OtherShape.
	Current string
	// Constraint, when not nil, must be satisfied by each tag's version
	// text.
	Constraint *Constraint
	// Keep, when not nil, is a last rule: a tag it refuses is counted
	// under RejectedByKeep.
	Keep func(tag string) bool
}

// ParseExclude compiles exclude patterns, RE2, each matched against a
// whole tag (^(?:pattern)$). A pattern that does not compile is an error
// that names it.
func ParseExclude(patterns []string) ([]*regexp.Regexp, error) {
	out := make([]*regexp.Regexp, 0, len(patterns))
	for _, p := range patterns {
		if p == "" {
			return nil, fmt.Errorf("exclude pattern %q is empty: give a pattern that matches the tags to leave out, such as '1\\.27\\.4'", p)
		}
		// The pattern alone first, so that an error quotes what the user
		// wrote, not the anchored pattern built from it.
		if _, err := regexp.Compile(p); err != nil {
			return nil, fmt.Errorf("exclude pattern %q is not a valid regular expression: %w", p, err)
		}
		re, err := regexp.Compile("^(?:" + p + ")$")
		if err != nil {
			return nil, fmt.Errorf("exclude pattern %q is not a valid regular expression: %w", p, err)
		}
		out = append(out, re)
	}
	return out, nil
}

// Select picks the newest of tags that the filter keeps and whose version
// text satisfies c (nil for no constraint), and returns up to candidates of
// the newest kept tags. Duplicate tags count once.
func (f *Filter) Select(tags []string, c *Constraint, candidates int) Selection {
	return f.SelectWith(tags, Rules{Constraint: c}, candidates)
}

// SelectWith picks the newest of tags that the filter and the rules keep,
// and returns up to candidates of the newest kept tags, newest first, with
// the count of tags each rule rejected (each counted once, under the first
// rule that rejects it). Duplicate tags count once. It keeps only the best
// max(candidates, 1) tags while it reads the list, so it does not sort the
// whole list.
func (f *Filter) SelectWith(tags []string, r Rules, candidates int) Selection {
	var s Selection
	seen := make(map[string]struct{}, len(tags))
	top := topK{k: max(candidates, 1)}
	other := topK{k: 1}
	var current string // current's version text, when the shape rule warns of others
	if r.Shape != "" && r.Current != "" {
		current, _ = f.root.versionText(r.Current)
	}
	var scratch []byte
	for _, tag := range tags {
		if _, dup := seen[tag]; dup {
			continue
		}
		seen[tag] = struct{}{}
		s.Listed++
		if isCosignTag(tag) {
			s.RejectedByCosign++
			continue
		}
		text, ok := f.root.versionText(tag)
		switch {
		case !ok:
			s.RejectedByFilter++
			continue
		case excluded(r.Exclude, tag):
			s.RejectedByExclude++
			continue
		}
		constrained := text
		if r.Shape != "" {
			constrained = constrainedPart(text)
			if Shape(tag) != r.Shape {
				s.RejectedByVariant++
				if current != "" && r.Constraint.Check(constrained) && leavesBehind(current, text) {
					scratch = appendKey(scratch[:0], text, tag)
					other.offer(scratch, tag, text)
				}
				continue
			}
		}
		if !r.Constraint.Check(constrained) {
			s.RejectedByConstraint++
			continue
		}
		if r.Keep != nil && !r.Keep(tag) {
			s.RejectedByKeep++
			continue
		}
		s.Kept++
		scratch = appendKey(scratch[:0], text, tag)
		top.offer(scratch, tag, text)
	}
	if len(other.heap) > 0 {
		s.OtherShape = other.heap[0].tag
	}
	best := top.newestFirst()
	if len(best) == 0 {
		return s
	}
	s.Tag, s.Version = best[0].tag, best[0].text
	if candidates > 0 {
		s.Candidates = make([]string, len(best))
		for i, e := range best {
			s.Candidates[i] = e.tag
		}
	}
	return s
}

func excluded(patterns []*regexp.Regexp, tag string) bool {
	for _, re := range patterns {
		if re.MatchString(tag) {
			return true
		}
	}
	return false
}

// constrainedPart is what a constraint sees of a version text under the
// shape rule: its numeric part, after a leading "v", cut to its first three
// components. A constraint is SemVer, which has three; a fourth component
// (LinuxServer's 2.0.7.1) ranks below a patch, as update_kind's "other"
// does, so ~2.0.7 keeps 2.0.7.2 and ^2 keeps 2.1.0.0.
func constrainedPart(text string) string {
	nums, _ := splitVersion(stripV(text))
	if i := nthDot(nums, 3); i >= 0 {
		return nums[:i]
	}
	return nums
}

// nthDot returns the index of the nth "." in s, -1 when it has fewer.
func nthDot(s string, n int) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			if n--; n == 0 {
				return i
			}
		}
	}
	return -1
}

// leavesBehind reports whether a tag of another shape, with version text
// cand, leaves the tag in use (version text cur) behind, so that a read
// whose shape has nothing newer warns of it: cand is not a pre-release,
// and either opens a new line (a greater first numeric component, or the
// same first and a greater second when cur has a second: a new major or
// minor line, or a new year), or cur is a pre-release and cand is its final
// release or later (a numeric part equal or greater). A pre-release never
// warns a pin that is not one, a variant a patch behind never warns, and a
// precision change alone (2022.12 to 2022.12.1) never does.
func leavesBehind(cur, cand string) bool {
	cn, cs := splitVersion(stripV(cur))
	dn, ds := splitVersion(stripV(cand))
	if isPrerelease(ds) {
		return false
	}
	if isPrerelease(cs) && compareNumeric(dn, cn) >= 0 {
		return true
	}
	c1, crest := nextComponent(cn)
	d1, drest := nextComponent(dn)
	if c := compareDigits(d1, c1); c != 0 || countComponents(cn) < 2 {
		return c > 0
	}
	c2, _ := nextComponent(crest)
	d2, _ := nextComponent(drest)
	return compareDigits(d2, c2) > 0
}

// IsPrerelease reports whether the filter keeps tag and its version text
// marks a pre-release (see isPrerelease).
func (f *Filter) IsPrerelease(tag string) bool {
	text, ok := f.VersionText(tag)
	if !ok {
		return false
	}
	_, suffix := splitVersion(stripV(text))
	return isPrerelease(suffix)
}

// compareNumeric compares two numeric parts by value, missing components
// counting as 0 (step 1 of the loose version order).
func compareNumeric(a, b string) int {
	for a != "" || b != "" {
		var ca, cb string
		ca, a = nextComponent(a)
		cb, b = nextComponent(b)
		if c := compareDigits(ca, cb); c != 0 {
			return c
		}
	}
	return 0
}

// prereleaseWords are the words that make a suffix a pre-release.
var prereleaseWords = []string{"alpha", "beta", "rc", "preview", "pre", "snapshot", "nightly", "canary", "edge", "unstable", "experimental"}

// isPrerelease reports whether a version text's suffix marks a
// pre-release: after any "-", ".", "_" or "+" it starts with, it begins
// with one of prereleaseWords (any case) followed by a character that is
// not a letter, or by nothing: "-rc.1", "-beta2", "-RC1", "-preview-2"
// are; "-alpine", "-debian-12-r10", "-dev", "-developer" are not.
func isPrerelease(suffix string) bool {
	s := strings.TrimLeft(suffix, "-._+")
	for _, w := range prereleaseWords {
		if len(s) >= len(w) && strings.EqualFold(s[:len(w)], w) && (len(s) == len(w) || !isLetter(s[len(w)])) {
			return true
		}
	}
	return false
}

// topEntry is a tag held by topK, with a private copy of its key.
type topEntry struct {
	key       []byte
	tag, text string
}

// topK keeps the k greatest keys offered, in a min-heap on the key.
type topK struct {
	k    int
	heap []topEntry
}

func (t *topK) offer(key []byte, tag, text string) {
	if len(t.heap) < t.k {
		t.heap = append(t.heap, topEntry{key: bytes.Clone(key), tag: tag, text: text})
		t.up(len(t.heap) - 1)
		return
	}
	root := &t.heap[0]
	if bytes.Compare(key, root.key) <= 0 {
		return
	}
	root.key = append(root.key[:0], key...)
	root.tag, root.text = tag, text
	t.down(0)
}

func (t *topK) less(i, j int) bool { return bytes.Compare(t.heap[i].key, t.heap[j].key) < 0 }

func (t *topK) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !t.less(i, parent) {
			return
		}
		t.heap[i], t.heap[parent] = t.heap[parent], t.heap[i]
		i = parent
	}
}

func (t *topK) down(i int) {
	for {
		least := i
		if l := 2*i + 1; l < len(t.heap) && t.less(l, least) {
			least = l
		}
		if r := 2*i + 2; r < len(t.heap) && t.less(r, least) {
			least = r
		}
		if least == i {
			return
		}
		t.heap[i], t.heap[least] = t.heap[least], t.heap[i]
		i = least
	}
}

// newestFirst returns the kept entries, greatest key first.
func (t *topK) newestFirst() []topEntry {
	out := slices.Clone(t.heap)
	slices.SortFunc(out, func(a, b topEntry) int { return bytes.Compare(b.key, a.key) })
	return out
}
