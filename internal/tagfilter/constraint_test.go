package tagfilter

import (
	"slices"
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"
)

func TestConstraint(t *testing.T) {
	t.Parallel()
	releases := []string{
		"1.2.3", "1.2.4", "1.2.4-alpine", "1.3.0", "1.29.5", "1.30.0-rc.1", "1.30.0",
		"2.0.0", "2.1.0-rc1", "latest",
	}
	tests := []struct {
		name, filter, constraint string
		tags                     []string
		newest, version          string
		kept                     int
	}{
		{"stable only", "semver()", ">= 0", releases, "2.0.0", "2.0.0", 6},
		{"tilde", "semver()", "~1.2", releases, "1.2.4", "1.2.4", 2},
		{"pre-release opt-in", "semver()", ">= 1.30.0-0", releases, "2.1.0-rc1", "2.1.0-rc1", 4},
		{"caret", "semver()", "^2", releases, "2.0.0", "2.0.0", 1},
		{"x-range", "semver()", "1.2.x", releases, "1.2.4", "1.2.4", 2},
		{"and", "semver()", ">= 1.2, < 1.30", releases, "1.29.5", "1.29.5", 4},
		{"or", "semver()", ">= 1.2 || 3.x", []string{"1.1.0", "1.2.5", "3.1.0", "4.0.0-rc1"}, "3.1.0", "3.1.0", 2},
		{"or picks the older branch", "semver()", "1.2.x || >= 5", []string{"1.1.0", "1.2.5", "3.1.0", "4.0.0"}, "1.2.5", "1.2.5", 1},
		{"leading v", "semver()", "~1.29", []string{"v1.29.0", "v1.29.1", "v1.30.0"}, "v1.29.1", "1.29.1", 2},
		{"kubernetes stable", "semver()", ">= 0", []string{"v1.29.0-rc.2", "v1.28.4", "v1.29.0-alpha.1"}, "v1.28.4", "1.28.4", 1},
		{"kubernetes pre-releases of 1.29", "semver()", ">= 1.29.0-0", []string{"v1.29.0-rc.2", "v1.28.4", "v1.29.0-rc.1"}, "v1.29.0-rc.2", "1.29.0-rc.2", 2},
		{"alpine line", `regex('(?P<version>\d+\.\d+\.\d+)-alpine')`, ">= 0",
			[]string{"1.27.3-alpine", "1.27.4-alpine", "1.27.5", "1.28.0-alpine3.21"}, "1.27.4-alpine", "1.27.4", 2},
		{"alpine line without constraint lets pre-release texts in", `regex('(?P<version>\d+\.\d+\.\d+)-alpine')`, "~1.27",
			[]string{"1.27.3-alpine", "1.28.0-alpine"}, "1.27.3-alpine", "1.27.3", 1},
		{"prefix delegates to its suffix", "prefix('master-', suffix=number())", "< 1000",
			[]string{"master-99", "master-150", "master-2000", "main-5"}, "master-150", "150", 2},
		{"calver", "semver()", "~2024.7", []string{"2024.07.0", "2024.07.1", "2024.10.0"}, "2024.07.1", "2024.07.1", 2},
		{"unparseable texts are left out", "semver(allow_no_nums=true)", ">= 0", []string{"latest", "1.0", "1.2.3.4"}, "1.0", "1.0", 1},
		{"bitnami revisions are pre-releases", "semver()", "^16",
			[]string{"16.1.0-debian-11-r10", "16.0.0", "16.1.0-debian-11-r9"}, "16.0.0", "16.0.0", 1},
		{"nothing satisfies", "semver()", ">= 3", releases, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := mustParse(t, tt.filter)
			c, err := ParseConstraint(tt.constraint)
			if err != nil {
				t.Fatalf("ParseConstraint(%q): %v", tt.constraint, err)
			}
			s := f.Select(tt.tags, c, len(tt.tags))
			if s.Tag != tt.newest || s.Version != tt.version || s.Kept != tt.kept {
				t.Errorf("Select(%q, %q) = %q (%q), %d kept; want %q (%q), %d kept",
					tt.tags, tt.constraint, s.Tag, s.Version, s.Kept, tt.newest, tt.version, tt.kept)
			}
			if s.Found() != (tt.newest != "") {
				t.Errorf("Found() = %v with tag %q", s.Found(), s.Tag)
			}
			// The kept candidates are the sorted tags that satisfy the
			// constraint.
			var want []string
			for _, tag := range f.Sort(tt.tags) {
				if v, _ := f.VersionText(tag); c.Check(v) {
					want = append(want, tag)
				}
			}
			if !slices.Equal(s.Candidates, want) {
				t.Errorf("Candidates = %q, want %q", s.Candidates, want)
			}
		})
	}
}

func TestParseConstraint(t *testing.T) {
	t.Parallel()
	for _, s := range []string{">= 0", "~1.2", "^2", "1.2.x", ">= 1.2 || 3.x", " >= 1.2, < 2.0 ", ">= 1.30.0-0"} {
		c, err := ParseConstraint(s)
		if err != nil {
			t.Errorf("ParseConstraint(%q): %v", s, err)
			continue
		}
		if c.String() != strings.TrimSpace(s) {
			t.Errorf("ParseConstraint(%q).String() = %q", s, c.String())
		}
	}
	for _, s := range []string{"", "   ", ">= foo", "~>", "1.2.3.4", "!!1", ">= 1.2 ||| 3"} {
		c, err := ParseConstraint(s)
		if err == nil {
			t.Errorf("ParseConstraint(%q) = %v, want an error", s, c)
			continue
		}
		if want := "constraint \"" + s + "\""; !strings.Contains(err.Error(), want) {
			t.Errorf("ParseConstraint(%q) error %q does not name the constraint (%s)", s, err, want)
		}
	}
}

func TestConstraintCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		constraint, text string
		want             bool
	}{
		{">= 0", "1.2.3", true},
		{">= 0", "1.2.3-rc1", false},
		{">= 0", "1.2.3-alpine", false},
		{">= 0", "latest", false},
		{">= 0", "", false},
		{">= 1.30.0-0", "1.30.0-rc.2", true},
		{">= 1.30.0-0", "1.29.9", false},
		{"~1.2", "1.2.9", true},
		{"~1.2", "1.3.0", false},
		{"^2", "2.9.9", true},
		{"^2", "3.0.0", false},
		{"1.2.x", "1.2.0", true},
		{">= 1.2 || 3.x", "3.4.5", true},
		{">= 1.2 || 3.x", "1.1.9", false},
	}
	for _, tt := range tests {
		c, err := ParseConstraint(tt.constraint)
		if err != nil {
			t.Fatalf("ParseConstraint(%q): %v", tt.constraint, err)
		}
		if got := c.Check(tt.text); got != tt.want {
			t.Errorf("%q.Check(%q) = %v, want %v", tt.constraint, tt.text, got, tt.want)
		}
	}
	var none *Constraint
	if !none.Check("anything") || none.String() != "" {
		t.Error("a nil Constraint must accept everything and print as empty")
	}
}

// The strict fast path of parseVersion must give what semver.NewVersion
// gives, for every text: the same version, or an error both ways.
func TestParseVersionMatchesNewVersion(t *testing.T) {
	t.Parallel()
	texts := []string{
		"1.2.3", "0.0.0", "10.20.30", "1.2.3-rc1", "1.2.3-rc.1", "1.2.3-rc-1.2", "1.2.3+build.7", "1.2.3-rc.1+b-7",
		"01.2.3", "1.02.3", "1.2.03", "1.2.3-01", "1.2.3-", "1.2.3+", "1.2.3-rc..1", "1.2.3-rc.", "1.2.3-+b",
		"v1.2.3", "1.2", "1", "1.2.3.4", "1.2.3-alpine3.21", "1.2.3_x", "", ".", "1..3", "-1.2.3", "1.2.3-ünï",
		"99999999999999999999.0.0", "1.2.3+b+c",
	}
	f := Default()
	for _, tag := range realisticTags(5000) {
		if text, ok := f.VersionText(tag); ok {
			texts = append(texts, text)
		}
		texts = append(texts, tag)
	}
	for _, text := range texts {
		checkParseVersion(t, text)
	}
}

func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"1.2.3", "1.2.3-rc.1+b", "01.2.3", "1.2.3-", "v1.2"} {
		f.Add(s)
	}
	f.Fuzz(checkParseVersion)
}

func checkParseVersion(t *testing.T, text string) {
	t.Helper()
	got, gotErr := parseVersion(text)
	want, wantErr := semver.NewVersion(text)
	switch {
	case (gotErr == nil) != (wantErr == nil):
		t.Errorf("parseVersion(%q) error %v, semver.NewVersion error %v", text, gotErr, wantErr)
	case gotErr == nil && (!got.Equal(want) || got.Metadata() != want.Metadata() || got.Original() != want.Original()):
		t.Errorf("parseVersion(%q) = %v+%s, semver.NewVersion = %v+%s", text, got, got.Metadata(), want, want.Metadata())
	}
}
