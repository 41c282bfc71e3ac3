package names

import (
	"strings"
	"testing"
)

func TestParseReference(t *testing.T) {
	t.Parallel()
	digest := "sha256:" + strings.Repeat("ab", 32)
	for ref, want := range map[string]Reference{
		"nginx":                              {Registry: "docker.io", Repository: "library/nginx"},
		"nginx:1.27.3@" + digest:             {Registry: "docker.io", Repository: "library/nginx", Tag: "1.27.3", Digest: digest},
		"index.docker.io/pihole/pihole:v5":   {Registry: "docker.io", Repository: "pihole/pihole", Tag: "v5"},
		"registry-1.docker.io/library/nginx": {Registry: "docker.io", Repository: "library/nginx"},
		"ghcr.io/acme/app@" + digest:         {Registry: "ghcr.io", Repository: "acme/app", Digest: digest},
		"127.0.0.1:5000/team/app:1.0":        {Registry: "127.0.0.1:5000", Repository: "team/app", Tag: "1.0"},
		"localhost:5000/team/app":            {Registry: "localhost:5000", Repository: "team/app"},
	} {
		got, err := ParseReference(ref)
		if err != nil || got != want {
			t.Errorf("ParseReference(%q) = %+v, %v; want %+v", ref, got, err, want)
		}
	}
	for ref, want := range map[string]string{
		"nginx:":            "not a valid tag",
		"nginx:-x":          "not a valid tag",
		"nginx@sha256:12":   "malformed digest",
		"Nginx:1.0":         "not a valid repository name",
		"https://ghcr.io/x": "URL scheme",
		"":                  "empty",
	} {
		if _, err := ParseReference(ref); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseReference(%q) = %v, want an error saying %q", ref, err, want)
		}
	}
}
