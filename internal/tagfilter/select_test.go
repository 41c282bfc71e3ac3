package tagfilter

import (
	"reflect"
	"slices"
	"testing"
)

func TestSelect(t *testing.T) {
	t.Parallel()
	sig := "sha256-" + hex64 + ".sig"
	stable, err := ParseConstraint(">= 0")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		filter     string
		tags       []string
		constraint *Constraint
		candidates int
		want       Selection
	}{
		{
			name: "counts", filter: "semver()",
			tags:       []string{"1.0", "1.0", "1.1", "latest", sig, "2.0-rc1", "latest"},
			constraint: stable, candidates: 3,
			want: Selection{Tag: "1.1", Version: "1.1", Listed: 5, Kept: 2, RejectedByFilter: 1, RejectedByCosign: 1,
				RejectedByConstraint: 1, Candidates: []string{"1.1", "1.0"}},
		},
		{
			name: "no constraint", filter: "semver()",
			tags:       []string{"v1.0", "latest", "v2.0-rc1", "v1.9"},
			candidates: 2,
			want: Selection{Tag: "v2.0-rc1", Version: "2.0-rc1", Listed: 4, Kept: 3, RejectedByFilter: 1,
				Candidates: []string{"v2.0-rc1", "v1.9"}},
		},
		{
			name: "no candidates asked", filter: "number()",
			tags:       []string{"1", "10", "9"},
			candidates: 0,
			want:       Selection{Tag: "10", Version: "10", Listed: 3, Kept: 3},
		},
		{
			name: "none kept", filter: "number()",
			tags:       []string{"latest", "v1"},
			candidates: 5,
			want:       Selection{Listed: 2, RejectedByFilter: 2},
		},
		{
			name: "empty list", filter: "semver()",
			candidates: 5,
			want:       Selection{},
		},
		{
			name: "tie broken by the tag", filter: "prefix('master-', suffix=number())",
			tags:       []string{"master-007", "master-7", "master-07"},
			candidates: 10,
			want: Selection{Tag: "master-7", Version: "7", Listed: 3, Kept: 3,
				Candidates: []string{"master-7", "master-07", "master-007"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := mustParse(t, tt.filter)
			got := f.Select(tt.tags, tt.constraint, tt.candidates)
			if !equalSelections(got, tt.want) {
				t.Errorf("Select(%q) =\n%+v, want\n%+v", tt.tags, got, tt.want)
			}
			if got.Found() != (tt.want.Kept > 0) {
				t.Errorf("Found() = %v with %d kept", got.Found(), got.Kept)
			}
		})
	}
}

func TestSelectFindsTheEmptyTag(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "semver(allow_no_nums=true)").Select([]string{"", "latest"}, nil, 1)
	if !s.Found() || s.Tag != "" || s.Kept != 2 {
		t.Errorf("Select = %+v, want the empty tag found", s)
	}
}

// equalSelections reports whether two selections have the same fields, the
// candidates compared as lists.
func equalSelections(a, b Selection) bool {
	ca, cb := a.Candidates, b.Candidates
	a.Candidates, b.Candidates = nil, nil
	return reflect.DeepEqual(a, b) && slices.Equal(ca, cb)
}
