package tagfilter

import (
	"fmt"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// Constraint is a Masterminds/semver v3 version constraint, such as "~1.25",
// ">= 1.2, < 2.0" or ">= 1.2 || 3.x", checked against the version texts of
// kept tags.
type Constraint struct {
	text string
	c    *semver.Constraints
}

// ParseConstraint parses a constraint. A blank or malformed constraint is an
// error that names the constraint text.
func ParseConstraint(s string) (*Constraint, error) {
	text := strings.TrimSpace(s)
	if text == "" {
		return nil, fmt.Errorf("constraint %q is empty; leave the constraint unset to accept every version", s)
	}
	c, err := semver.NewConstraint(text)
	if err != nil {
		return nil, fmt.Errorf("invalid constraint %q: %w", s, err)
	}
	return &Constraint{text: text, c: c}, nil
}

// String returns the constraint as given, less surrounding whitespace. A nil
// Constraint gives "".
func (c *Constraint) String() string {
	if c == nil {
		return ""
	}
	return c.text
}

// Check reports whether a version text satisfies the constraint. A text that
// semver.NewVersion cannot parse satisfies none. Masterminds' rules stand: a
// version with a pre-release part (1.2.3-rc1, and also 1.2.3-alpine) only
// satisfies a constraint that names a pre-release itself. A nil Constraint is
// satisfied by every text.
func (c *Constraint) Check(versionText string) bool {
	if c == nil {
		return true
	}
	v, err := parseVersion(versionText)
	if err != nil {
		return false
	}
	return c.c.Check(v)
}

// parseVersion parses a version text into what semver.NewVersion gives. It
// tries semver.StrictNewVersion first: a text in strict SemVer form, which
// is most of what Check sees, it reads without a regular expression and
// into the same version, at a fraction of the cost, which counts when every
// tag of a long list is checked. Any other text goes to NewVersion.
func parseVersion(text string) (*semver.Version, error) {
	if v, err := semver.StrictNewVersion(text); err == nil {
		return v, nil
	}
	return semver.NewVersion(text)
}
