package provider

import (
	"strings"
	"testing"
	"time"
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
		" 0": "not an age", " 7d": "not an age", "106752d": "longer than any image", "300000d": "longer than any image",
		"0.0000000001s": "shorter than a second",
	} {
		if _, err := parseMinAge(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseMinAge(%q) = %v, want an error saying %q", in, err, want)
		}
	}
}
