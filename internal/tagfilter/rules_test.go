package tagfilter

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestShape(t *testing.T) {
	t.Parallel()
	for tag, want := range map[string]string{
		"1.27.3-alpine3.21":    "#.#.#-alpine#.#",
		"16.1.0-debian-12-r10": "#.#.#-debian-#-r#",
		"v1.29.0":              "v#.#.#",
		"1.27":                 "#.#",
		"2024.01.05":           "#.#.#",
		"master-41":            "master-#",
		"latest":               "latest",
		"v2.0.7.1-ls171":       "v#.#.#.#-ls#",
		"007":                  "#",
		"":                     "",
	} {
		if got := Shape(tag); got != want {
			t.Errorf("Shape(%q) = %q, want %q", tag, got, want)
		}
	}
}

// TestCommitHashes: semver() (and so prefix()'s default suffix) never keeps
// a commit hash (fluxcd/flux#2729); number() and regex() do not apply the
// rule, and all-digit texts stay.
func TestCommitHashes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		filter, tag string
		keep        bool
	}{
		{"semver()", "3f2a1b9", false},
		{"semver()", "12ab34c", false},
		{"semver()", "0d1e2f3a4b5c", false},
		{"semver()", "v3f2a1b9", false},
		{"semver()", strings.Repeat("1a2b", 16), false},
		{"semver()", strings.Repeat("1a2b", 16) + "a", true}, // 65 characters: not a hash
		{"semver()", "0123456", true},                        // all digits: a build number
		{"semver()", "1a2b3c", true},                         // 6 characters
		{"semver()", "1.4.2", true},
		{"semver(allow_no_nums=true)", "3f2a1b9", true},
		{"prefix('main-')", "main-3f2a1b9", false},
		{"prefix('main-')", "main-1.2.0", true},
		{"regex('[0-9a-f]+')", "3f2a1b9", true},
	} {
		if got := mustParse(t, tt.filter).Keep(tt.tag); got != tt.keep {
			t.Errorf("%s keeps %q: %v, want %v", tt.filter, tt.tag, got, tt.keep)
		}
	}
	if got := mustParse(t, "semver()").Select([]string{"1.4.2", "3f2a1b9", "12ab34c", "latest"}, nil, 1).Tag; got != "1.4.2" {
		t.Errorf("newest of 1.4.2, 3f2a1b9, 12ab34c, latest = %q, want 1.4.2", got)
	}
}

// nginx, postgres, bitnami, linuxserver and Kubernetes tags as the
// registries list them.
var (
	nginxTags = []string{
		"1.27.3", "1.27.3-alpine", "1.27.3-alpine3.21", "1.27.3-perl", "1.27.3-otel", "1.27.3-bookworm",
		"1.27.4", "1.27.4-alpine", "1.27.4-alpine3.21", "1.27.4-perl", "1.27", "1.27-alpine",
		"1.28.0", "1.28.0-alpine", "1.28.0-alpine3.22", "1.28", "1.28-alpine", "1", "mainline", "latest", "stable",
	}
	postgresTags  = []string{"16.4", "16.4-alpine", "16.4-alpine3.20", "16.5", "16.5-alpine", "16.5-alpine3.20", "17.0", "17.0-alpine", "17.0-alpine3.20"}
	bitnamiTags   = []string{"16.1.0-debian-12-r10", "16.1.0-debian-12-r11", "16.2.0-debian-12-r0", "16.2.0", "latest"}
	lsioTags      = []string{"v2.0.7.1-ls171", "v2.0.7.2-ls172", "v2.0.7.2-ls173", "2.0.7", "latest"}
	kubernetesTag = []string{"v1.29.0", "v1.29.1", "v1.30.0-rc.1", "v1.30.0-rc.2", "v1.30.0", "v1.31.0-alpha.0"}
)

// TestFollowTheShape: with current's shape as a rule, a pin keeps its
// precision, its v, its variant words and its separators, while every
// number in it may move; the constraint sees the numeric part only.
func TestFollowTheShape(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, filter, current, constraint string
		tags                              []string
		exclude                           []string
		want, other                       string
	}{
		{name: "alpine3.x follows alpine3.x", current: "1.27.3-alpine3.21", constraint: ">= 0", tags: nginxTags, want: "1.28.0-alpine3.22", other: "1.28.0"},
		{name: "a plain release stays plain", current: "1.27.3", tags: nginxTags, want: "1.28.0", other: "1.28"},
		{name: "a floating minor pin moves to the next minor", current: "1.27", tags: nginxTags, want: "1.28", other: "1.28.0"},
		{name: "a floating major pin stays, and no new major warns", current: "1", tags: nginxTags, want: "1", other: ""},
		{name: "the suffix is a variant, not a pre-release", current: "16.4-alpine", constraint: "~16", tags: postgresTags, want: "16.5-alpine", other: "16.5"},
		{name: "bitnami revisions", current: "16.1.0-debian-12-r10", tags: bitnamiTags, want: "16.2.0-debian-12-r0", other: "16.2.0"},
		{name: "linuxserver build numbers", current: "v2.0.7.1-ls171", tags: lsioTags, want: "v2.0.7.2-ls173"},
		{name: "four components: the constraint sees the first three", current: "v2.0.7.1-ls171", constraint: "~2.0.7", tags: lsioTags, want: "v2.0.7.2-ls173"},
		{name: "a one-number pin under a patch policy", current: "16-alpine", constraint: "~16.0", tags: []string{"16-alpine", "17-alpine", "16.4-alpine"}, want: "16-alpine"},
		{name: "excluded release", current: "1.27.3", tags: nginxTags, exclude: []string{`1\.28\.0`}, want: "1.27.4", other: "1.28"},
		{name: "a pre-release pin never moves to the final release, which warns", current: "v1.30.0-rc.2", tags: kubernetesTag, want: "v1.30.0-rc.2", other: "v1.30.0"},
		{name: "a plain pin is not warned of a release candidate", current: "1.27", tags: []string{"1.27", "1.28.0-rc.1", "1.27.5"}, want: "1.27", other: ""},
		{name: "a regex version group that keeps its v", filter: `regex('(?P<version>v\d+\.\d+\.\d+)-alpine')`, current: "v1.2.3-alpine",
			constraint: "~1.2", tags: []string{"v1.2.3-alpine", "v1.2.4-alpine", "v1.3.0-alpine", "v1.2.5-alpine3.20"}, want: "v1.2.4-alpine", other: ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			filter := "semver()"
			if tt.filter != "" {
				filter = tt.filter
			}
			f := mustParse(t, filter)
			r := Rules{Shape: Shape(tt.current), Current: tt.current}
			if tt.constraint != "" {
				r.Constraint = mustConstraint(t, tt.constraint)
			}
			var err error
			if r.Exclude, err = ParseExclude(tt.exclude); err != nil {
				t.Fatal(err)
			}
			s := f.SelectWith(tt.tags, r, 3)
			if s.Tag != tt.want {
				t.Errorf("newest of shape %q = %q, want %q (%+v)", r.Shape, s.Tag, tt.want, s)
			}
			if s.OtherShape != tt.other {
				t.Errorf("newest of another shape = %q, want %q", s.OtherShape, tt.other)
			}
			if s.Kept+s.RejectedByCosign+s.RejectedByFilter+s.RejectedByExclude+s.RejectedByVariant+s.RejectedByConstraint != s.Listed {
				t.Errorf("counts %+v do not add up to %d listed", s, s.Listed)
			}
		})
	}
}

// TestRuleOrder: each tag is counted once, under the first rule that
// rejects it: cosign, filter, exclude, variant, constraint.
func TestRuleOrder(t *testing.T) {
	t.Parallel()
	exclude, err := ParseExclude([]string{`1\.2\.3`, `.*-perl`})
	if err != nil {
		t.Fatal(err)
	}
	tags := []string{"sha256-" + hex64 + ".sig", "latest", "1.2.3", "1.2.4-perl", "1.2.4-alpine", "1.2.4-rc1", "1.2.4", "2.0.0"}
	s := mustParse(t, "semver()").SelectWith(tags, Rules{Exclude: exclude, Shape: Shape("1.2.0"), Constraint: mustConstraint(t, "~1.2")}, 5)
	want := Selection{Tag: "1.2.4", Version: "1.2.4", Listed: 8, Kept: 1, RejectedByFilter: 1, RejectedByCosign: 1, RejectedByExclude: 2,
		RejectedByVariant: 2, RejectedByConstraint: 1, Candidates: []string{"1.2.4"}}
	if !equalSelections(s, want) {
		t.Errorf("SelectWith = %+v, want %+v", s, want)
	}
}

func TestParseExclude(t *testing.T) {
	t.Parallel()
	res, err := ParseExclude([]string{`1\.27\.4`})
	if err != nil || !res[0].MatchString("1.27.4") || res[0].MatchString("1.27.45") || res[0].MatchString("x1.27.4") {
		t.Errorf("ParseExclude(1\\.27\\.4) = %v, %v: want it to match the whole tag only", res, err)
	}
	for _, bad := range []string{"", "(", "a(?!b)"} {
		if _, err := ParseExclude([]string{bad}); err == nil || !strings.Contains(err.Error(), "exclude pattern") || strings.Contains(err.Error(), "^(?:") {
			t.Errorf("ParseExclude(%q) = %v, want an error naming the pattern", bad, err)
		}
	}
}

// TestLeavesBehind holds the spec's examples of when a tag of another
// shape warns a pin ("Following the tag in use").
func TestLeavesBehind(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		current, tag string
		want         bool
	}{
		{"1.27", "1.28.0", true},
		{"1.27", "1.28.0-rc.1", false}, // another shape's pre-release never warns a plain pin
		{"1.27.3-alpine", "1.28.0", true},
		{"1.27.3-alpine", "1.27.4", false}, // a variant a patch behind does not warn
		{"1.27.3-alpine", "2.0.0", true},
		{"16-alpine", "16.4-alpine", false}, // a one-number pin: only a new major
		{"16-alpine", "17.0", true},
		{"2023.11", "2024.07.0", true},
		{"2022.12", "2022.12.1", false}, // a precision change alone
		{"v1.9.0", "1.10.0", true},
		{"1.27.3", "1.26.9", false},
		{"v1.30.0-rc.2", "v1.30.0", true}, // the release is final
		{"v1.30.0-rc.2", "v1.30.1", true},
		{"v1.30.0-rc.2", "v1.29.9", false},
		{"v1.30.0-rc.2", "v1.31.0-alpha.0", false},
		{"1.30.0-RC1", "1.30", true}, // equal numeric parts, missing components as 0
	} {
		if got := leavesBehind(tt.current, tt.tag); got != tt.want {
			t.Errorf("leavesBehind(%q, %q) = %v, want %v", tt.current, tt.tag, got, tt.want)
		}
	}
}

// TestIsPrerelease holds the spec's examples of pre-releases.
func TestIsPrerelease(t *testing.T) {
	t.Parallel()
	for version, want := range map[string]bool{
		"1.0.0-rc.1": true, "2.0-beta2": true, "1.30.0-RC1": true, "3.1-preview-2": true, "1.0.0-alpha": true,
		"1.0_nightly.20261204": true, "4.0.0+snapshot": true, "2.0-edge": true,
		"1.27-alpine": false, "16.1.0-debian-12-r10": false, "1.22-dev": false, "2.0-developer": false,
		"1.0-prerelease": false, "1.0-rcx": false, "1.2.3": false,
	} {
		_, suffix := splitVersion(stripV(version))
		if got := isPrerelease(suffix); got != want {
			t.Errorf("isPrerelease(%q) = %v, want %v", version, got, want)
		}
	}
}

// TestShapeProperties: following a shape is an equivalence (tags of one
// shape are each other's candidates), a shape has no digits and is its own
// shape, and the answer never depends on the order of the list.
func TestShapeProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(6, 6))
	all := slices.Concat(nginxTags, postgresTags, bitnamiTags, lsioTags, kubernetesTag)
	f := Default()
	for _, tag := range all {
		s := Shape(tag)
		if Shape(s) != s || strings.ContainsAny(s, "0123456789") {
			t.Errorf("Shape(%q) = %q is not its own shape", tag, s)
		}
		want := f.SelectWith(all, Rules{Shape: s}, 5)
		for range 20 {
			shuffled := slices.Clone(all)
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			got := f.SelectWith(shuffled, Rules{Shape: s}, 5)
			if got.Tag != want.Tag || got.OtherShape != want.OtherShape || !slices.Equal(got.Candidates, want.Candidates) {
				t.Fatalf("shape %q: %+v, then %+v after a shuffle", s, want, got)
			}
		}
		for _, c := range want.Candidates {
			if Shape(c) != s {
				t.Errorf("shape %q kept %q, of shape %q", s, c, Shape(c))
			}
		}
	}
}

func FuzzShape(f *testing.F) {
	for _, s := range []string{"1.27.3-alpine3.21", "v1", "", "##", "0", "a1b22c333"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		s := Shape(tag)
		if Shape(s) != s || strings.ContainsAny(s, "0123456789") || len(s) > len(tag) {
			t.Fatalf("Shape(%q) = %q", tag, s)
		}
		// One # per run of digits, and the tag's other bytes in order.
		runs := 0
		for i := 0; i < len(tag); i++ {
			if tag[i] >= '0' && tag[i] <= '9' && (i == 0 || tag[i-1] < '0' || tag[i-1] > '9') {
				runs++
			}
		}
		if strings.Count(s, "#") != strings.Count(tag, "#")+runs {
			t.Fatalf("Shape(%q) = %q has %d #, want %d", tag, s, strings.Count(s, "#"), strings.Count(tag, "#")+runs)
		}
	})
}

func mustConstraint(t *testing.T, s string) *Constraint {
	t.Helper()
	c, err := ParseConstraint(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
