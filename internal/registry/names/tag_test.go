package names

import (
	"regexp"
	"strings"
	"testing"
)

// specTag is the tag grammar of the OCI distribution specification.
var specTag = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)

func TestValidTag(t *testing.T) {
	t.Parallel()
	for tag, want := range map[string]bool{
		"1.27.3": true, "v1.29.0-rc.1": true, "_x": true, "latest": true, "sha256-abc.sig": true,
		strings.Repeat("9", 128): true,
		// Tags that registries have listed and that no client can pull.
		strings.Repeat("9", 129): false, "99.9.9#x": false, "9.9.8?a=b": false,
		"9.9.7/../../other/manifests/1.0": false, "": false, ".hidden": false, "-x": false,
		"1.0 ": false, "é": false, "a\x00b": false,
	} {
		if got := ValidTag(tag); got != want {
			t.Errorf("ValidTag(%q) = %v, want %v", tag, got, want)
		}
	}
}

func FuzzValidTag(f *testing.F) {
	for _, s := range []string{"1.0", "99.9.9#x", "9.9.8?a=b", "../x", "", strings.Repeat("a", 129)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ValidTag(s), specTag.MatchString(s); got != want {
			t.Fatalf("ValidTag(%q) = %v, the specification's pattern says %v", s, got, want)
		}
	})
}
