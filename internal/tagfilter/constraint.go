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

// parseVersion parses a version text into what semver.NewVersion gives. A
// text in strict SemVer form (MAJOR.MINOR.PATCH without leading zeros, then
// an optional pre-release and build part of non-empty dot-separated
// identifiers), which is most of what Check sees, goes to
// semver.StrictNewVersion: it reads the text without a regular expression and
// yields the same version, at a fraction of the cost, which counts when every
// tag of a long list is checked. Any other text goes to NewVersion.
func parseVersion(text string) (*semver.Version, error) {
	if strictSemver(text) {
		return semver.StrictNewVersion(text)
	}
	return semver.NewVersion(text)
}

// strictSemver reports whether text has the strict SemVer form that
// parseVersion hands to semver.StrictNewVersion.
func strictSemver(text string) bool {
	rest := text
	for i := range 3 {
		n := 0
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 0 || (n > 1 && rest[0] == '0') {
			return false
		}
		rest = rest[n:]
		if i < 2 {
			if rest == "" || rest[0] != '.' {
				return false
			}
			rest = rest[1:]
		}
	}
	if pre, ok := strings.CutPrefix(rest, "-"); ok {
		rest = pre
		if rest, ok = identifiers(rest); !ok {
			return false
		}
	}
	if meta, ok := strings.CutPrefix(rest, "+"); ok {
		rest = meta
		if rest, ok = identifiers(rest); !ok {
			return false
		}
	}
	return rest == ""
}

// identifiers reads non-empty dot-separated identifiers of [0-9A-Za-z-] from
// the start of s, and returns what follows them; ok is false when s does not
// start with one or ends in a dot.
func identifiers(s string) (rest string, ok bool) {
	for {
		n := 0
		for n < len(s) && (s[n] == '-' || s[n] >= '0' && s[n] <= '9' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= 'a' && s[n] <= 'z') {
			n++
		}
		if n == 0 {
			return s, false
		}
		s = s[n:]
		if s == "" || s[0] != '.' {
			return s, true
		}
		s = s[1:]
	}
}
