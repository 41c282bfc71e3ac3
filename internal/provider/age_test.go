package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

func TestParseMinAge(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Duration{
		"0": 0, "7d": 7 * 24 * time.Hour, "36h": 36 * time.Hour, "1d12h": 36 * time.Hour,
		"1.5d": 36 * time.Hour, "90m": 90 * time.Minute, "30s": 30 * time.Second,
	} {
		if got, err := parseMinAge(in); err != nil || got != want {
			t.Errorf("parseMinAge(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"": "empty", "-1d": "negative", "7": "not an age", "d": "not an age", "7w": "not an age", "1.2.3d": "not an age", "7d ": "not an age",
	} {
		if _, err := parseMinAge(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseMinAge(%q) = %v, want an error saying %q", in, err, want)
		}
	}
}

// TestLeftBehind: the warning for a pin at the end of its shape comes for a
// new major or minor line in another shape, not for a variant a patch
// behind, and not while the pin's own shape moves.
func TestLeftBehind(t *testing.T) {
	t.Parallel()
	f := tagfilter.Default()
	for _, tt := range []struct {
		current string
		tags    []string
		want    bool
	}{
		{"2023.11", []string{"2023.10", "2023.11", "2024.07.0"}, true},                // a new scheme, a new year
		{"v1.9.0", []string{"v1.8.0", "v1.9.0", "1.10.0"}, true},                      // the v dropped
		{"1.27.3-alpine", []string{"1.27.3-alpine", "1.27.4"}, false},                 // the Debian image a patch ahead
		{"1.27.3-alpine", []string{"1.27.3-alpine", "1.28.0-alpine", "2.0.0"}, false}, // its own shape moves
		{"1.27.3-alpine", []string{"1.27.3-alpine", "1.28.0"}, true},
	} {
		a := latestTagArgs{filter: f, current: tt.current, rules: tagfilter.Rules{Shape: tagfilter.Shape(tt.current)}}
		sel := f.SelectWith(tt.tags, a.rules, 1)
		if got := a.leftBehind(sel, sel.Tag); got != tt.want {
			t.Errorf("current %q among %q: left behind %v, want %v (%+v)", tt.current, tt.tags, got, tt.want, sel)
		}
	}
}
