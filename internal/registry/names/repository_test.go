package names

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		image, registry string
		name, host      string
		repo            string
	}{
		{"nginx", "", "nginx", DockerHub, "library/nginx"},
		{"pihole/pihole", "", "pihole/pihole", DockerHub, "pihole/pihole"},
		{"docker.io/nginx", "", "docker.io/nginx", DockerHub, "library/nginx"},
		{"index.docker.io/library/nginx", "", "index.docker.io/library/nginx", DockerHub, "library/nginx"},
		{"nginx", "docker.io", "docker.io/nginx", DockerHub, "library/nginx"},
		{"ghcr.io/acme/app", "", "ghcr.io/acme/app", "ghcr.io", "acme/app"},
		{"acme/app", "ghcr.io", "ghcr.io/acme/app", "ghcr.io", "acme/app"},
		{"quotidian-ennui/tesla-powerwall-exporter", "ghcr.io", "ghcr.io/quotidian-ennui/tesla-powerwall-exporter", "ghcr.io", "quotidian-ennui/tesla-powerwall-exporter"},
		{"127.0.0.1:5000/team/app", "", "127.0.0.1:5000/team/app", "127.0.0.1:5000", "team/app"},
		{"localhost/app", "", "localhost/app", "localhost", "app"},
		{"team/app", "127.0.0.1:5000", "127.0.0.1:5000/team/app", "127.0.0.1:5000", "team/app"},
		{"gcr.io/project/sub/image", "", "gcr.io/project/sub/image", "gcr.io", "project/sub/image"},
		{"app", "quay.io", "quay.io/app", "quay.io", "app"},
	}
	for _, tt := range tests {
		t.Run(tt.image+"|"+tt.registry, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.image, tt.registry)
			if err != nil {
				t.Fatalf("Parse(%q, %q): %v", tt.image, tt.registry, err)
			}
			if got.Name != tt.name || got.Registry != tt.host || got.Path != tt.repo {
				t.Errorf("Parse(%q, %q) = %+v, want name %q host %q repo %q", tt.image, tt.registry, got, tt.name, tt.host, tt.repo)
			}
		})
	}
}

func TestParseImageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		image, registry string
		want            []string // substrings of the error
	}{
		{"", "", []string{"image is empty"}},
		{"  ", "", []string{"image is empty"}},
		{" nginx", "", []string{"whitespace"}},
		{"nginx:1.27", "", []string{"holds a tag", ":1.27", "remove it"}},
		{"ghcr.io/acme/app:latest", "", []string{"holds a tag", ":latest"}},
		{"127.0.0.1:5000/app:v1", "", []string{"holds a tag", ":v1"}},
		{"nginx@sha256:abc", "", []string{"holds a digest", "@sha256:abc", "remove it"}},
		{"https://ghcr.io/acme/app", "", []string{"URL scheme", "https://"}},
		{"Nginx", "", []string{"not a valid repository name", "part \"Nginx\""}},
		{"acme/-app", "", []string{"not a valid repository name"}},
		{"acme//app", "", []string{"not a valid repository name"}},
		{"ghcr.io/acme/app", "ghcr.io", []string{"already names the registry host", "set only one"}},
		{"localhost:5000/app", "ghcr.io", []string{"already names the registry host"}},
		{"app", "https://ghcr.io", []string{"URL scheme", "https://"}},
		{"app", "ghcr.io/acme", []string{"not a host name", "path in image"}},
		{"app", " ghcr.io", []string{"not a host name"}},
	}
	for _, tt := range tests {
		t.Run(tt.image+"|"+tt.registry, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.image, tt.registry)
			if err == nil {
				t.Fatalf("Parse(%q, %q) succeeded, want an error", tt.image, tt.registry)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Parse(%q, %q) error %q does not contain %q", tt.image, tt.registry, err, w)
				}
			}
		})
	}
}

func TestIsLoopback(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"localhost": true, "localhost:5000": true, "127.0.0.1:5000": true, "127.1.2.3": true, "[::1]:5000": true,
		"10.0.0.1:5000": false, "192.168.1.2": false, "ghcr.io": false, "localhost.example.com": false,
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"nginx", "ghcr.io/acme/app", "127.0.0.1:5000/a/b", "nginx:1", "a@sha256:x", "https://x/y", "", "localhost", "a//b", "[::1]:5000/app"} {
		f.Add(s, "")
		f.Add(s, "ghcr.io")
	}
	f.Fuzz(func(t *testing.T, image, reg string) {
		img, err := Parse(image, reg)
		if err != nil {
			if !strings.Contains(err.Error(), "image") && !strings.Contains(err.Error(), "registry") {
				t.Errorf("error %q names neither image nor registry", err)
			}
			return
		}
		if img.Registry == "" || img.Path == "" || img.Name == "" {
			t.Errorf("Parse(%q, %q) = %+v with an empty part", image, reg, img)
		}
		// A reference parses to the same repository, and its tag and
		// digest (which parse_image_ref returns) are valid or absent.
		base, err := Parse(image, "")
		if err != nil {
			return
		}
		for _, ref := range []string{image, image + ":" + reg, image + "@" + reg} {
			r, err := ParseReference(ref)
			if err != nil {
				if !strings.Contains(err.Error(), "reference") {
					t.Errorf("error %q does not name the reference", err)
				}
				continue
			}
			if r.Repository != base.Path || r.Tag != "" && !ValidTag(r.Tag) {
				t.Errorf("ParseReference(%q) = %+v, ParseImage gave %+v", ref, r, base)
			}
		}
	})
}
