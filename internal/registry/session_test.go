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
	c := newClientWith(t, Options{Auth: map[string]Credential{reg.Host: {Username: "alice", Password: "pw"}}})
	readEach(t, c, reg.Host, []string{"team/a", "team/b"}, "1.0", "1.0")
	if got := reg.Token.Requests.Load(); got != 2 {
		t.Errorf("token requests = %d, want 2 (one per repository)", got)
	}
}
