package registry

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/credentials"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

// TestDockerHubAliases: credentials given for docker.io serve Docker Hub
// however the image names it.
func TestDockerHubAliases(t *testing.T) {
	t.Parallel()
	for _, given := range []string{"docker.io", "index.docker.io", "registry-1.docker.io"} {
		k, err := credentials.New(t.Context(), credentials.Options{Auth: map[string]Credential{names.CanonicalHost(given): {Username: "u", Password: "p"}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, img := range []string{"nginx", "docker.io/library/nginx", "index.docker.io/pihole/pihole"} {
			image := mustImage(t, img)
			auth, source, err := k.Resolve(t.Context(), k.Key(image), image)
			if err != nil || source != SourceOptions || auth == authn.Anonymous {
				t.Errorf("auth for %s given as %s: %v from %q, %v", img, given, auth, source, err)
			}
		}
	}
}

// TestCredentialHelperRunsOnce: a credential helper is run once per
// registry, however many repositories and reads.
func TestCredentialHelperRunsOnce(t *testing.T) {
	reg := registrytest.NewDistribution(t, registrytest.WithTokenAuth(map[string]string{"kim": "kim-s3cret"}))
	reg.PushTags(t, "team/a", "1.0")
	reg.PushTags(t, "team/b", "1.0")
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	registrytest.CredentialHelper(t, "counting", fmt.Sprintf("read server\necho x >> %q\nprintf '{\"ServerURL\":\"%%s\",\"Username\":\"kim\",\"Secret\":\"kim-s3cret\"}' \"$server\"\n", calls))
	cfg := registrytest.DockerConfig{Helpers: map[string]string{reg.Host: "counting"}}.Write(t, dir)
	c := newClientWith(t, Options{DockerConfigFile: cfg})
	readEach(t, c, reg.Host, []string{"team/a", "team/b"}, "1.0")
	data, err := os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "x"); n != 1 {
		t.Errorf("the credential helper ran %d times, want once", n)
	}
}
