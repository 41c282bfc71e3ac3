package tagfilter

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics, that every error is a
// *ParseError with a column inside the expression or just past it, and that
// a parsed filter's canonical form parses back to itself.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"semver()", "semver(allow_no_nums=true)", "number()", "prefix('master-', suffix=number())",
		`prefix("a-", prefix('b-', semver(true)))`, "regex('(?P<version>[0-9.]+)-alpine')", "regex('foo|bar')",
		"", " ", "semver() x", "prefix('a', suffix=number)", "foo()", "regex('[')", "prefix('abc",
		"semver(true,)", "prefix(suffix=number(), 'a')", "regex('(?P<version>a)(?P<version>b)')", "prefix('é', numbr())",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		flt, err := Parse(expr)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T is not a *ParseError", expr, err)
			}
			if n := utf8.RuneCountInString(expr); pe.Column < 1 || pe.Column > n+1 {
				t.Fatalf("Parse(%q) error column %d is outside [1, %d]", expr, pe.Column, n+1)
			}
			if pe.Expr != expr || pe.Msg == "" || !strings.HasPrefix(err.Error(), "filter ") {
				t.Fatalf("Parse(%q) error %q is malformed", expr, err)
			}
			return
		}
		canonical := flt.String()
		again, err := Parse(canonical)
		if err != nil {
			t.Fatalf("Parse(%q) = %s, which does not parse: %v", expr, canonical, err)
		}
		if again.String() != canonical {
			t.Fatalf("canonical form of %q is not stable: %q then %q", expr, canonical, again.String())
		}
		for _, tag := range []string{"1.2.3", "v1.2.3-rc.1", "master-10", "latest", expr} {
			if flt.Keep(tag) != again.Keep(tag) {
				t.Fatalf("%q and its canonical form %q disagree on %q", expr, canonical, tag)
			}
		}
	})
}

// FuzzSort checks Sort, Select and the sort keys against Compare on the tags
// of a comma-separated list, for every filter of the property tests.
func FuzzSort(f *testing.F) {
	for _, seed := range []string{
		"1.9,1.10,1.2,latest",
		"1.0,1.0-rc1,1.0-rc10,1.0-rc2",
		"2022.12,2022.12.1,2022.11.30",
		"20221201123457,20221201123456",
		"7,007,07,v7,1.0,1.0.0,v1.0",
		"1.2.3,1.2.3.,1.2.3..,1.2.3-,1.2.3.a",
		"1.0-rc.5,1.0-rc5,1.0-rc.05,1.0-rc,1.0-beta,1.0-alpha",
		"a-1,a-01,a-10,a-,v1,v,vv1,V1",
		"1.27.3-alpine3.21,1.27.3,v1.29.0-rc.2,2024.07.0,16.1.0-debian-11-r10,v2.0.7.1-2.0.7.1_beta_2023-05-25-ls171",
		"99999999999999999999,100000000000000000000,1.99999999999999999999.1",
		"1.0-\x00,1.0-\x00\x00,1.0-\x01,1.0-é,1.0-~",
	} {
		f.Add(seed)
	}
	filters := make([]*Filter, len(propertyFilters))
	for i, expr := range propertyFilters {
		filters[i] = MustParse(expr)
	}
	f.Fuzz(func(t *testing.T, list string) {
		tags := strings.Split(list, ",")
		for _, flt := range filters {
			sorted := flt.Sort(tags)
			for i := 1; i < len(sorted); i++ {
				if flt.Compare(sorted[i-1], sorted[i]) <= 0 {
					t.Fatalf("%s: Sort(%q) = %q: %q is not newer than %q", flt, tags, sorted, sorted[i-1], sorted[i])
				}
			}
			for _, tag := range tags {
				if flt.Keep(tag) != slices.Contains(sorted, tag) {
					t.Fatalf("%s: Sort(%q) = %q, Keep(%q) = %v", flt, tags, sorted, tag, flt.Keep(tag))
				}
			}
			for i := range tags {
				a, b := tags[i], tags[(i+1)%len(tags)]
				ka, kb := keyOf(flt, a), keyOf(flt, b)
				if ka != nil && kb != nil && sign(bytes.Compare(ka, kb)) != sign(flt.Compare(a, b)) {
					t.Fatalf("%s: keys and Compare disagree on %q and %q", flt, a, b)
				}
			}
			s := flt.Select(tags, nil, 2)
			if len(sorted) > 0 && (s.Tag != sorted[0] || s.Kept != len(sorted) || !slices.Equal(s.Candidates, sorted[:min(2, len(sorted))])) {
				t.Fatalf("%s: Select(%q) = %+v, Sort = %q", flt, tags, s, sorted)
			}
		}
	})
}

// FuzzParseConstraint: a constraint either parses or fails with an error
// that names it; a parsed one never panics when checked, whatever the text.
func FuzzParseConstraint(f *testing.F) {
	for _, s := range []string{">= 0", "~1.2", "^2", ">= 1.2, < 2.0", "1.2.x", ">= 1.2 || 3.x", ">= 1.30.0-0", "", " ", ">= banana", "~", "||", "1.2.3 - 2.3.4", "!=1.0"} {
		f.Add(s, "1.2.3")
	}
	f.Fuzz(func(t *testing.T, constraint, version string) {
		c, err := ParseConstraint(constraint)
		if err != nil {
			if !strings.Contains(err.Error(), "constraint") {
				t.Errorf("ParseConstraint(%q) error %q does not say constraint", constraint, err)
			}
			return
		}
		_ = c.Check(version)
		if c.String() == "" {
			t.Errorf("ParseConstraint(%q) = a constraint with empty text", constraint)
		}
	})
}
