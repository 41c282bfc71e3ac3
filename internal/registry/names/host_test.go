package names

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
		img, err := Parse(tt.image, "")
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.image, err)
			continue
		}
		if img.Registry != tt.registry || img.Path != tt.repository || img.Name != tt.image {
			t.Errorf("Parse(%q) = %+v, want registry %q, repository %q, name as written", tt.image, img, tt.registry, tt.repository)
		}
		if !IsLoopback(img.Registry) && strings.HasPrefix(tt.image, "LOCALHOST") {
			t.Errorf("%s is not taken for loopback", tt.image)
		}
	}
	img, err := Parse("team/app", "GHCR.io.")
	if err != nil || img.Registry != "ghcr.io" || img.Name != "GHCR.io./team/app" {
		t.Errorf("ParseImage with registry GHCR.io. = %+v, %v", img, err)
	}
}

// TestHostPorts: a port is 1-65535 without leading zeros, an empty port is
// an error, and HTTPS's default port folds away, so that docker.io:443 is
// Docker Hub and every registry has one spelling in the caches.
func TestHostPorts(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]string{
		"reg.example:":      "empty port",
		"reg.example:0443":  "leading zero",
		"reg.example:99999": "outside 1-65535",
		"reg.example:0":     "outside 1-65535",
		"reg.example:http":  "not a number",
		"reg.example:+5000": "not a number",
		"[::1]:":            "empty port",
	} {
		err := CheckRegistryHost(host)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), host) {
			t.Errorf("CheckRegistryHost(%q) = %v, want an error naming it that says %q", host, err, want)
		}
		if _, err := Parse(host+"/team/app", ""); err == nil {
			t.Errorf("Parse(%q) succeeded", host+"/team/app")
		}
	}
	for _, ok := range []string{"reg.example:1", "reg.example:65535", "reg.example:5000", "[::1]:443"} {
		if err := CheckRegistryHost(ok); err != nil {
			t.Errorf("CheckRegistryHost(%q): %v", ok, err)
		}
	}
	for in, want := range map[string]string{
		"docker.io:443": DockerHub, "index.docker.io:443": DockerHub, "ghcr.io:443": "ghcr.io",
		"[::1]:443": "[::1]", "reg.example:5000": "reg.example:5000", "reg.example:80": "reg.example:80",
	} {
		if got := CanonicalHost(in); got != want {
			t.Errorf("CanonicalHost(%q) = %q, want %q", in, got, want)
		}
	}
	img, err := Parse("docker.io:443/nginx", "")
	if err != nil || img.Registry != DockerHub || img.Path != "library/nginx" {
		t.Errorf("Parse(docker.io:443/nginx) = %+v, %v; want Docker Hub's library/nginx", img, err)
	}
}
