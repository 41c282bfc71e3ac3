package registry

import (
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

// TestOneTokenPerRepository: however many reads, the token server is asked
// once per repository, and the registry is pinged once.
func TestOneTokenPerRepository(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewDistribution(t, registrytest.WithTokenAuth(map[string]string{"alice": "pw"}))
	reg.PushTags(t, "team/a", "1.0", "2.0")
	reg.PushTags(t, "team/b", "1.0")
	c, err := New(Options{Auth: map[string]Credential{reg.Host: {Username: "alice", Password: "pw"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, repo := range []string{"team/a", "team/b"} {
		img := mustImage(t, reg.Host+"/"+repo)
		if _, err := c.ListTags(t.Context(), img); err != nil {
			t.Fatal(err)
		}
		for _, tag := range []string{"1.0", "1.0"} {
			if _, err := c.Digest(t.Context(), img, tag); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := reg.Token.Requests.Load(); got != 2 {
		t.Errorf("token requests = %d, want 2 (one per repository)", got)
	}
}
