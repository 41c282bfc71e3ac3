package tagfilter

import (
	"bytes"
	"slices"
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
	// RejectedByFilter is the number of distinct tags the filter does not
	// keep.
	RejectedByFilter int
	// RejectedByConstraint is the number of distinct tags the filter keeps
	// but whose version text does not satisfy the constraint.
	RejectedByConstraint int
	// Candidates holds up to the requested number of kept tags, newest
	// first; Candidates[0] is Tag.
	Candidates []string
}

// Found reports whether a tag was selected.
func (s Selection) Found() bool { return s.Tag != "" || s.Kept > 0 }

// Select picks the newest of tags that the filter keeps and whose version
// text satisfies c (nil for no constraint), and returns up to candidates of
// the newest kept tags. Duplicate tags count once. It keeps only the best
// max(candidates, 1) tags while it reads the list, so it does not sort the
// whole list.
func (f *Filter) Select(tags []string, c *Constraint, candidates int) Selection {
	var s Selection
	seen := make(map[string]struct{}, len(tags))
	top := topK{k: max(candidates, 1)}
	var scratch []byte
	for _, tag := range tags {
		if _, dup := seen[tag]; dup {
			continue
		}
		seen[tag] = struct{}{}
		s.Listed++
		text, ok := f.VersionText(tag)
		switch {
		case !ok:
			s.RejectedByFilter++
			continue
		case !c.Check(text):
			s.RejectedByConstraint++
			continue
		}
		s.Kept++
		scratch = appendKey(scratch[:0], text, tag)
		top.offer(scratch, tag, text)
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
