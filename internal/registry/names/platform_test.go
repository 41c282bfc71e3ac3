package names

import (
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestParsePlatform(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"linux/amd64":       "linux/amd64",
		"linux/x86_64":      "linux/amd64",
		"linux/arm64":       "linux/arm64/v8",
		"linux/aarch64":     "linux/arm64/v8",
		"linux/arm64/8":     "linux/arm64/v8",
		"linux/arm/v7":      "linux/arm/v7",
		"linux/arm/7":       "linux/arm/v7",
		"linux/arm":         "linux/arm",
		"linux/armhf":       "linux/arm/v7",
		"Linux/AMD64":       "linux/amd64",
		"windows/amd64":     "windows/amd64",
		"linux/386":         "linux/386",
		"linux/i386":        "linux/386",
		"linux/ppc64le":     "linux/ppc64le",
		"linux/s390x":       "linux/s390x",
		"darwin/arm64/v8":   "darwin/arm64/v8",
		"linux/riscv64":     "linux/riscv64",
		"linux/mips64le/v2": "linux/mips64le/v2",
	}
	for in, want := range tests {
		p, err := ParsePlatform(in)
		if err != nil {
			t.Errorf("ParsePlatform(%q): %v", in, err)
			continue
		}
		if p.String() != want {
			t.Errorf("ParsePlatform(%q) = %q, want %q", in, p, want)
		}
	}
	for _, bad := range []string{"", "linux", "linux/", "/amd64", "linux/amd64/v1/x", "linux/ amd64", "linux//v7"} {
		if _, err := ParsePlatform(bad); err == nil || !strings.Contains(err.Error(), "platform") {
			t.Errorf("ParsePlatform(%q) = %v, want an error naming the platform", bad, err)
		}
	}
}

func TestPlatformMatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		want  string
		found v1.Platform
		match bool
	}{
		{"linux/amd64", v1.Platform{OS: "linux", Architecture: "amd64"}, true},
		{"linux/amd64", v1.Platform{OS: "linux", Architecture: "arm64"}, false},
		{"linux/arm64", v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}, true},
		{"linux/arm64", v1.Platform{OS: "linux", Architecture: "arm64"}, true},
		{"linux/arm64/v8", v1.Platform{OS: "linux", Architecture: "arm64"}, true},
		{"linux/arm", v1.Platform{OS: "linux", Architecture: "arm", Variant: "v6"}, true},
		{"linux/arm", v1.Platform{OS: "linux", Architecture: "arm", Variant: "v7"}, true},
		{"linux/arm/v7", v1.Platform{OS: "linux", Architecture: "arm", Variant: "v6"}, false},
		{"linux/arm/v7", v1.Platform{OS: "linux", Architecture: "arm"}, true},
		{"linux/amd64", v1.Platform{OS: "windows", Architecture: "amd64"}, false},
		{"linux/amd64", v1.Platform{OS: "unknown", Architecture: "unknown"}, false},
	}
	for _, tt := range tests {
		p, err := ParsePlatform(tt.want)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Matches(tt.found); got != tt.match {
			t.Errorf("%s matches %+v = %v, want %v", tt.want, tt.found, got, tt.match)
		}
	}
}

func FuzzParsePlatform(f *testing.F) {
	for _, s := range []string{"linux/amd64", "linux/arm/v7", "linux/arm64", "", "a/b/c/d", "linux//x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePlatform(s)
		if err != nil {
			return
		}
		again, err := ParsePlatform(p.String())
		if err != nil || again != p {
			t.Errorf("ParsePlatform(%q) = %q, which parses back to %q, %v", s, p, again, err)
		}
	})
}
