package tagfilter

import "fmt"

// UpdateKind tells how a newer tag differs from the tag in use.
type UpdateKind string

// The kinds of update, by the first numeric component that differs.
const (
	// UpdateMajor: the first numeric component differs.
	UpdateMajor UpdateKind = "major"
	// UpdateMinor: the second numeric component is the first that differs.
	UpdateMinor UpdateKind = "minor"
	// UpdatePatch: the third numeric component is the first that differs.
	UpdatePatch UpdateKind = "patch"
	// UpdateOther: a later numeric component differs, or none does and the
	// tag is newer only by its suffix, its number of components or the tag
	// text itself.
	UpdateOther UpdateKind = "other"
	// UpdateNone: the newest tag is not newer than the tag in use.
	UpdateNone UpdateKind = "none"
)

// Update tells whether newest is newer than current in the full order
// (steps 1 to 5) and, if so, by which numeric component: the numeric part of
// the version text (for number(), the number itself is the one component,
// so a greater number is a major update). Both tags must be kept by the
// filter; the constraint does not apply to current. It returns an error
// naming both tags when one of them is not kept.
func (f *Filter) Update(current, newest string) (UpdateKind, error) {
	cur, ok := f.VersionText(current)
	if !ok {
		return "", fmt.Errorf("current tag %q is not one that filter %s keeps, so newest tag %q cannot be compared with it",
			current, f, newest)
	}
	nw, ok := f.VersionText(newest)
	if !ok {
		return "", fmt.Errorf("newest tag %q is not one that filter %s keeps, so it cannot be compared with current tag %q",
			newest, f, current)
	}
	if f.Compare(newest, current) <= 0 {
		return UpdateNone, nil
	}
	cn, _ := splitVersion(stripV(cur))
	nn, _ := splitVersion(stripV(nw))
	for i := 0; cn != "" || nn != ""; i++ {
		var a, b string
		a, cn = nextComponent(cn)
		b, nn = nextComponent(nn)
		if compareDigits(a, b) != 0 {
			switch i {
			case 0:
				return UpdateMajor, nil
			case 1:
				return UpdateMinor, nil
			case 2:
				return UpdatePatch, nil
			}
			return UpdateOther, nil
		}
	}
	return UpdateOther, nil
}
