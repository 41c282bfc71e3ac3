package registry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

// readEach lists the tags of each repository on host and reads the digest
// of each tag, failing the test on the first error.
func readEach(t *testing.T, c *Client, host string, repos []string, tags ...string) {
	t.Helper()
	for _, repo := range repos {
		img := mustImage(t, host+"/"+repo)
		if _, err := c.ListTags(t.Context(), img); err != nil {
			t.Fatal(err)
		}
		for _, tag := range tags {
			if _, err := c.Digest(t.Context(), img, tag); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func newClient(t *testing.T) *Client {
	t.Helper()
	return newClientWith(t, Options{})
}

// newClientWith returns a client with options o, failing the test when o
// is refused.
func newClientWith(t *testing.T, o Options) *Client {
	t.Helper()
	c, err := New(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustImage(t *testing.T, image string) names.Repository {
	t.Helper()
	img, err := names.Parse(image, "")
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestClientReadsOnce asks for the same tag list and digest from many
// goroutines at once, and again afterwards: the registry sees one request
// for each.
func TestClientReadsOnce(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	digests := reg.PushTags(t, "acme/app", "1.0", "1.1", "2.0")
	c := newClient(t)
	img := mustImage(t, reg.Host+"/acme/app")

	const askers = 20
	var g errgroup.Group
	for range askers {
		g.Go(func() error {
			list, err := c.ListTags(t.Context(), img)
			if err == nil && len(list.Tags) != 3 {
				return fmt.Errorf("got %d tags, want 3", len(list.Tags))
			}
			if err != nil {
				return err
			}
			d, err := c.Digest(t.Context(), img, "2.0")
			if err == nil && d.Digest != digests["2.0"].String() {
				return fmt.Errorf("digest %s, want %s", d.Digest, digests["2.0"])
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListTags(t.Context(), img); err != nil {
		t.Fatal(err)
	}
	// One of each: a digest is read with HEAD, never GET.
	if got, want := reg.Requests.Snapshot(), (registrytest.Counts{Ping: 1, TagList: 1, ManifestHead: 1}); got != want {
		t.Errorf("requests = %+v, want %+v", got, want)
	}
}

// TestClientDoesNotRememberFailures: a failed read is tried again by the
// next ask, so one failure does not stick for the whole run.
func TestClientDoesNotRememberFailures(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	c := newClient(t)
	img := mustImage(t, reg.Host+"/acme/late")
	if _, err := c.ListTags(t.Context(), img); err == nil {
		t.Fatal("listing a repository that does not exist succeeded")
	}
	reg.PushTags(t, "acme/late", "1.0")
	list, err := c.ListTags(t.Context(), img)
	if err != nil || len(list.Tags) != 1 {
		t.Fatalf("second ListTags = %v, %v; want [1.0]", list, err)
	}
}

func TestClientErrors(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	reg.PushTags(t, "acme/app", "1.0")
	c := newClient(t)

	_, err := c.Digest(t.Context(), mustImage(t, reg.Host+"/acme/app"), "9.9")
	var re *Error
	if !errors.As(err, &re) {
		t.Fatalf("Digest of a missing tag: %v, want a *registry.Error", err)
	}
	if re.Status != http.StatusNotFound || re.Registry != reg.Host || re.Image != reg.Host+"/acme/app" {
		t.Errorf("error = %+v, want status 404, registry %s, image %s/acme/app", re, reg.Host, reg.Host)
	}
	for _, want := range []string{"tag 9.9", reg.Host + "/acme/app", "HTTP 404"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if re.Kind != KindNotFound {
		t.Errorf("kind %v, want KindNotFound", re.Kind)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = c.ListTags(ctx, mustImage(t, reg.Host+"/acme/other"))
	if !errors.Is(err, context.Canceled) || !errors.As(err, &re) {
		t.Errorf("ListTags with a cancelled context: %v, want a *registry.Error wrapping context.Canceled", err)
	}
}

// TestNoInternet proves the guard in TestMain: a request to a host that is
// not on loopback fails without leaving the machine.
func TestNoInternet(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	_, err := c.ListTags(t.Context(), mustImage(t, "registry.example.com/acme/app"))
	if err == nil || !strings.Contains(err.Error(), "Forbidden") {
		t.Fatalf("ListTags on a host that is not on loopback: %v, want the test proxy to refuse it", err)
	}
}

// TestMirrorAliases: two spellings of one registry in mirrors are an error,
// not an order left to chance; mirror hosts are canonical.
func TestMirrorAliases(t *testing.T) {
	t.Parallel()
	_, err := New(t.Context(), Options{Mirrors: map[string][]string{"docker.io": {"a.example"}, "index.docker.io": {"b.example"}}})
	var oe *OptionError
	if !errors.As(err, &oe) || oe.Field != "Mirrors" || !strings.Contains(err.Error(), `"docker.io" and "index.docker.io" name the same registry`) {
		t.Errorf("New = %v, want an error about the two Docker Hub keys", err)
	}
	c := newClientWith(t, Options{Mirrors: map[string][]string{"Docker.io": {"Mirror.GCR.io."}}})
	if got := c.mirrorsOf(mustImage(t, "nginx")); len(got) != 1 || got[0].Registry != "mirror.gcr.io" {
		t.Errorf("mirrors of nginx = %v, want mirror.gcr.io", got)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
