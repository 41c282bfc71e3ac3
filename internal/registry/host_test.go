package registry

import (
	"strings"
	"testing"
)

func TestCanonicalHost(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"ghcr.io": "ghcr.io", "GHCR.io": "ghcr.io", "ghcr.io.": "ghcr.io", "Registry.Example.:5000": "registry.example:5000",
		"docker.io": DockerHub, "Docker.IO": DockerHub, "registry-1.docker.io": DockerHub, "index.docker.io.": DockerHub,
		"LOCALHOST:5000": "localhost:5000", "[::1]:5000": "[::1]:5000", "127.0.0.1:5000": "127.0.0.1:5000",
	} {
		if got := CanonicalHost(in); got != want {
			t.Errorf("CanonicalHost(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckRegistryHostIPv6(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"[::1]:5000", "[::1]", "[fd00::1]:443"} {
		if err := CheckRegistryHost(ok); err != nil {
			t.Errorf("CheckRegistryHost(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"::1", "::1:5000", "fd00::1"} {
		err := CheckRegistryHost(bad)
		if err == nil || !strings.Contains(err.Error(), "IPv6 address without brackets") || !strings.Contains(err.Error(), "["+bad+"]") {
			t.Errorf("CheckRegistryHost(%q) = %v, want an error that says to bracket it", bad, err)
		}
	}
}

// TestParseImageHostSpelling: however the host is spelled, the image goes
// to one registry, and its name stays as the user wrote it.
func TestParseImageHostSpelling(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ image, registry, repository string }{
		{"LOCALHOST:5000/x", "localhost:5000", "x"},
		{"Docker.io/library/nginx", DockerHub, "library/nginx"},
		{"registry-1.docker.io/pihole/pihole", DockerHub, "pihole/pihole"},
		{"ghcr.io./acme/app", "ghcr.io", "acme/app"},
		{"[::1]:5000/team/app", "[::1]:5000", "team/app"},
	} {
		img, err := ParseImage(tt.image, "")
		if err != nil {
			t.Errorf("ParseImage(%q): %v", tt.image, err)
			continue
		}
		if img.Registry != tt.registry || img.Repository != tt.repository || img.Name != tt.image {
			t.Errorf("ParseImage(%q) = %+v, want registry %q, repository %q, name as written", tt.image, img, tt.registry, tt.repository)
		}
		if !IsLoopback(img.Registry) && strings.HasPrefix(tt.image, "LOCALHOST") {
			t.Errorf("%s is not taken for loopback", tt.image)
		}
	}
	img, err := ParseImage("team/app", "GHCR.io.")
	if err != nil || img.Registry != "ghcr.io" || img.Name != "GHCR.io./team/app" {
		t.Errorf("ParseImage with registry GHCR.io. = %+v, %v", img, err)
	}
}
