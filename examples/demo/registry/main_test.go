package main

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// TestSeedAndPush seeds a registry, reads it back over HTTP the way the
// provider does, publishes the next releases and checks that the moving
// tags moved.
func TestSeedAndPush(t *testing.T) {
	srv := httptest.NewServer(newServer(false).Handler)
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	ctx := context.Background()

	if err := pushAll(ctx, host, seedReleases()); err != nil {
		t.Fatalf("seeding: %v", err)
	}

	tags := listTags(t, host, "library/nginx")
	for _, want := range []string{"1.26.2", "1.26.3", "1.27.2", "1.27.3", "1.27.3-alpine", "1.27.3-alpine3.21", "1.27.3-perl", "mainline", "stable", "latest"} {
		if !slices.Contains(tags, want) {
			t.Errorf("library/nginx tags = %v, want %s among them", tags, want)
		}
	}
	if got := len(listTags(t, host, "acme/app")); got != 44 {
		t.Errorf("acme/app has %d tags, want 41 master builds and 3 feature builds", got)
	}
	if head(t, host, "library/nginx:latest") != head(t, host, "library/nginx:1.27.3") {
		t.Error("nginx:latest does not point to nginx:1.27.3")
	}

	idx, err := remote.Index(ref(t, host, "pihole/pihole:latest"))
	if err != nil {
		t.Fatalf("reading the pihole index: %v", err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	var platforms []string
	for _, m := range im.Manifests {
		platforms = append(platforms, m.Platform.String())
	}
	if want := []string{"linux/amd64", "linux/arm64/v8", "linux/arm/v7"}; !slices.Equal(platforms, want) {
		t.Errorf("pihole:latest platforms = %v, want %v", platforms, want)
	}

	oldLatest := head(t, host, "pihole/pihole:latest")
	if err := pushAll(ctx, host, nextReleases()); err != nil {
		t.Fatalf("pushing the next releases: %v", err)
	}
	if head(t, host, "library/nginx:latest") != head(t, host, "library/nginx:1.27.4") {
		t.Error("after push, nginx:latest does not point to nginx:1.27.4")
	}
	if head(t, host, "pihole/pihole:latest") == oldLatest {
		t.Error("after push, pihole:latest did not move")
	}
	if !slices.Contains(listTags(t, host, "acme/app"), "master-42") {
		t.Error("after push, acme/app has no master-42")
	}
}

func ref(t *testing.T, host, s string) name.Reference {
	t.Helper()
	r, err := name.ParseReference(host+"/"+s, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func listTags(t *testing.T, host, repo string) []string {
	t.Helper()
	r, err := name.NewRepository(host+"/"+repo, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	tags, err := remote.List(r)
	if err != nil {
		t.Fatalf("listing %s: %v", repo, err)
	}
	return tags
}

func head(t *testing.T, host, s string) string {
	t.Helper()
	d, err := remote.Head(ref(t, host, s))
	if err != nil {
		t.Fatalf("HEAD %s: %v", s, err)
	}
	return d.Digest.String()
}
