package tagfilter

import (
	"strings"
	"testing"
)

func TestUpdate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		filter, current, newest string
		want                    UpdateKind
	}{
		{"semver()", "1.2.3", "2.0.0", UpdateMajor},
		{"semver()", "1.2.3", "1.3.0", UpdateMinor},
		{"semver()", "1.2.3", "1.2.4", UpdatePatch},
		{"semver()", "1.2.3.4", "1.2.3.5", UpdateOther},
		{"semver()", "1.2.3-rc1", "1.2.3", UpdateOther},
		{"semver()", "1.2.3-rc1", "1.2.3-rc2", UpdateOther},
		{"semver()", "1.2.3", "1.2.3", UpdateNone},
		{"semver()", "2.0.0", "1.9.9", UpdateNone},
		{"semver()", "1.2.3", "1.2.3-rc1", UpdateNone},
		{"semver()", "1.0", "1.0.0", UpdateOther}, // step 4
		{"semver()", "1.0", "v1.0", UpdateOther},  // step 5
		{"semver()", "v1.0", "1.0", UpdateNone},   // step 5
		{"semver()", "007", "7", UpdateOther},     // step 5
		{"semver()", "1.2", "1.2.1", UpdatePatch}, // missing counts as 0
		{"semver()", "1", "1.0.1", UpdatePatch},   // missing counts as 0
		{"semver()", "1.9", "1.10", UpdateMinor},  // by value
		{"semver()", "1.09", "1.10", UpdateMinor}, // by value
		{"semver()", "v1.28.9", "v1.29.0-rc.2", UpdateMinor},
		{"semver()", "v1.29.0-rc.2", "v1.29.0", UpdateOther},
		{"semver()", "2024.07.0", "2024.10.0", UpdateMinor},
		{"semver()", "2023.12.31", "2024.01.01", UpdateMajor},
		{"semver()", "16.1.0-debian-11-r9", "16.1.0-debian-11-r10", UpdateOther},
		{"semver()", "1.27.3-alpine3.20", "1.27.4-alpine3.21", UpdatePatch},
		{"semver()", "v2.0.7.1-ls171", "v2.0.7.2-ls1", UpdateOther},
		{"semver()", "1.99999999999999999999", "1.100000000000000000000", UpdateMinor},
		{"semver(allow_no_nums=true)", "latest", "1.0", UpdateMajor},
		{"semver(allow_no_nums=true)", "alpha", "beta", UpdateOther},
		{"number()", "9", "10", UpdateMajor},
		{"number()", "20231231235959", "20240101000000", UpdateMajor},
		{"number()", "007", "7", UpdateOther},
		{"number()", "10", "9", UpdateNone},
		{"prefix('master-', suffix=number())", "master-9", "master-10", UpdateMajor},
		{"prefix('release-')", "release-1.3", "release-1.10", UpdateMinor},
		{"regex('(?P<version>[0-9.]+)-alpine')", "1.2.3-alpine", "1.2.10-alpine", UpdatePatch},
		{"regex('(?P<version>[0-9.]+)-(alpine|slim)')", "1.2-alpine", "1.2-slim", UpdateOther},
	}
	for _, tt := range tests {
		t.Run(tt.filter+" "+tt.current+" "+tt.newest, func(t *testing.T) {
			t.Parallel()
			f := mustParse(t, tt.filter)
			got, err := f.Update(tt.current, tt.newest)
			if err != nil || got != tt.want {
				t.Errorf("Update(%q, %q) = %q, %v; want %q", tt.current, tt.newest, got, err, tt.want)
			}
		})
	}
}

func TestUpdateErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ filter, current, newest string }{
		{"semver()", "latest", "1.0"},
		{"semver()", "1.0", "latest"},
		{"prefix('master-', suffix=number())", "main-1", "master-2"},
		{"semver(allow_no_nums=true)", "sha256-" + hex64 + ".sig", "1.0"},
	}
	for _, tt := range tests {
		f := mustParse(t, tt.filter)
		kind, err := f.Update(tt.current, tt.newest)
		if err == nil {
			t.Errorf("Update(%q, %q) = %q, want an error", tt.current, tt.newest, kind)
			continue
		}
		for _, want := range []string{`"` + tt.current + `"`, `"` + tt.newest + `"`, tt.filter} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("Update(%q, %q) error %q does not name %s", tt.current, tt.newest, err, want)
			}
		}
	}
}
