package registry

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/pushtime"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/faults"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/pushapi"
)

// pushCase is one API under test: an image on a registry whose push
// times an emulator serves.
type pushCase struct {
	name  string
	image string
	api   *pushapi.Server
	// opts are the client's options for the case.
	opts Options
	// perTag is how many API requests one tag costs, perBatch how many
	// one batch of tags costs (the APIs that answer many at once), and
	// setupCost the requests before the first tag (GitLab finding the
	// repository).
	perTag, perBatch, setupCost int64
}

var (
	pushedOld   = time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	pushedNew   = time.Date(2026, 11, 30, 9, 30, 0, 0, time.UTC)
	pushedTimes = map[string]time.Time{"1.0.0": pushedOld, "1.1.0": pushedNew}
)

// pushCases returns an emulator of each API, holding 1.0.0 and 1.1.0 of
// the case's image (and not 1.2.0).
func pushCases(t *testing.T) []pushCase {
	t.Helper()
	seed := func(s *pushapi.Server, repository string) *pushapi.Server {
		for tag, at := range pushedTimes {
			s.Push(repository, tag, at)
		}
		return s
	}
	apis := func(host string, api pushtime.API) Options {
		return Options{APIs: map[string]pushtime.API{host: api}}
	}
	hub := seed(pushapi.NewDockerHub(t, map[string]string{"dora": "dora-pat"}), "library/nginx")
	quay := seed(pushapi.NewQuay(t), "acme/app")
	harbor := seed(pushapi.NewHarbor(t), "team/apps/web")
	ecr := seed(pushapi.NewECR(t), "team/app")
	gh := seed(pushapi.NewGitHub(t, "octo"), "octo/app")
	gl := pushapi.NewGitLab(t, "group/project")
	seed(gl.Server, "group/project/app")
	reg := registrytest.NewInProcess(t)
	reg.PushTags(t, "acme/acr", "1.0.0", "1.1.0", "1.2.0")
	acr := pushapi.NewACR(t, reg)
	seed(acr.Server, "acme/acr")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE00")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	return []pushCase{
		{name: "dockerhub", image: "nginx", api: hub, perTag: 1,
			opts: apis("docker.io", pushtime.API{Type: pushtime.TypeDockerHub, URL: hub.URL})},
		{name: "quay", image: "quay.example/acme/app", api: quay, perTag: 1,
			opts: apis("quay.example", pushtime.API{Type: pushtime.TypeQuay, URL: quay.URL})},
		{name: "harbor, a repository name with /", image: "harbor.example/team/apps/web", api: harbor, perTag: 1,
			opts: apis("harbor.example", pushtime.API{Type: pushtime.TypeHarbor, URL: harbor.URL})},
		{name: "ecr", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app", api: ecr, perBatch: 2, // 1.2.0 is unknown: the call again without it
			opts: apis("123456789012.dkr.ecr.eu-west-1.amazonaws.com", pushtime.API{Type: pushtime.TypeECR, URL: ecr.URL})},
		{name: "ghcr", image: "ghcr.io/octo/app", api: gh, perBatch: 2, // the organization's 404, then the user's page
			opts: apis("ghcr.io", pushtime.API{Type: pushtime.TypeGHCR, URL: gh.URL, Token: "ghp_example"})},
		{name: "gitlab", image: "gitlab.example/group/project/app", api: gl.Server, perTag: 1, setupCost: 2,
			opts: apis("gitlab.example", pushtime.API{Type: pushtime.TypeGitLab, URL: gl.URL, Token: "glpat-example"})},
		{name: "acr", image: acr.Host + "/acme/acr", api: acr.Server, perTag: 1,
			opts: apis(acr.Host, pushtime.API{Type: pushtime.TypeACR})},
	}
}

// TestPushTimes: each API's push times are read, a tag it does not know
// is reported unknown, and the requests are those the API needs: one per
// tag, or one per batch of tags, and each tag once per run.
func TestPushTimes(t *testing.T) {
	for _, tc := range pushCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			c := newClientWith(t, tc.opts)
			img := mustImage(t, tc.image)
			list := &TagList{Tags: []string{"1.2.0", "1.1.0", "1.0.0"}}
			before := tc.api.Requests.Load()
			for i, tag := range list.Tags {
				at, known, err := c.PushTime(t.Context(), img, list, tag, list.Tags[i+1:])
				if err != nil {
					t.Fatalf("PushTime(%s) = %v", tag, err)
				}
				want, wantKnown := pushedTimes[tag]
				if known != wantKnown || !at.Equal(want) {
					t.Errorf("PushTime(%s) = %v, %v; want %v, %v", tag, at, known, want, wantKnown)
				}
			}
			for _, tag := range list.Tags { // read once per run
				if _, _, err := c.PushTime(t.Context(), img, list, tag, nil); err != nil {
					t.Fatal(err)
				}
			}
			want := tc.setupCost + 3*tc.perTag + tc.perBatch
			if got := tc.api.Requests.Load() - before; got != want {
				t.Errorf("the API served %d requests, want %d", got, want)
			}
		})
	}
}

// TestPushTimeFailures: an API that fails is an error naming the API, for
// each kind of failure; a 401 is not retried.
func TestPushTimeFailures(t *testing.T) {
	for i, tc := range pushCases(t) {
		statuses := []int{http.StatusUnauthorized, http.StatusTooManyRequests}
		if i == 0 {
			statuses = append(statuses, http.StatusServiceUnavailable) // retried until the deadline: once is enough
		}
		for _, status := range statuses {
			t.Run(tc.name+"/"+http.StatusText(status), func(t *testing.T) {
				tc.api.Fail(status)
				t.Cleanup(func() { tc.api.Fail(0) })
				c := newClientWith(t, tc.opts)
				img := mustImage(t, tc.image)
				ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
				defer cancel()
				start := time.Now()
				_, _, err := c.PushTime(ctx, img, &TagList{}, "1.0.0", nil)
				t.Logf("failed after %v", time.Since(start))
				var pe *pushtime.Error
				if !errors.As(err, &pe) || !strings.Contains(err.Error(), pe.API.Title()) {
					t.Errorf("PushTime = %v, want an error naming the API", err)
				}
			})
		}
	}
}

// TestPushTimeGoogle: a Google registry's push times come from its tag
// list, with no request of their own.
func TestPushTimeGoogle(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	reg.PushTags(t, "proj/app", "1.0.0", "1.1.0", "1.2.0")
	proxy := faults.NewFaultProxy(t, reg)
	proxy.Inject(pushapi.GoogleTagList(pushedTimes))
	c := newClientWith(t, Options{APIs: map[string]pushtime.API{proxy.Host: {Type: pushtime.TypeGAR}}})
	img := mustImage(t, proxy.Host+"/proj/app")
	list, err := c.ListTags(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	before := proxy.Requests.Snapshot()
	for _, tag := range []string{"1.0.0", "1.1.0", "1.2.0"} {
		at, known, err := c.PushTime(t.Context(), img, list, tag, nil)
		want, wantKnown := pushedTimes[tag]
		if err != nil || known != wantKnown || !at.Equal(want) {
			t.Errorf("PushTime(%s) = %v, %v, %v; want %v, %v", tag, at, known, err, want, wantKnown)
		}
	}
	if after := proxy.Requests.Snapshot(); after != before {
		t.Errorf("push times cost requests: %+v, then %+v", before, after)
	}
}

// TestPushTimeCredentials: each API gets only its own credentials: Hub a
// Hub token made from the docker.io credentials, Harbor the registry's,
// GitHub, GitLab and Quay their tokens, ACR a token of the registry's for
// the metadata_read scope; and no API gets another's.
func TestPushTimeCredentials(t *testing.T) {
	hub := pushapi.NewDockerHub(t, map[string]string{"dora": "dora-pat"})
	hub.Push("dora/private", "1.0.0", pushedOld)
	hub.Require("Bearer hub-token-dora")
	harbor := pushapi.NewHarbor(t)
	harbor.Push("team/web", "1.0.0", pushedOld)
	harbor.Require("Basic aGFycnk6aGFycnktczNjcmV0") // harry:harry-s3cret
	gh := pushapi.NewGitHub(t)
	gh.Push("acme/app", "1.0.0", pushedOld)
	gh.Require("Bearer ghp_example")
	quay := pushapi.NewQuay(t)
	quay.Push("acme/app", "1.0.0", pushedOld)
	quay.Require("Bearer quay-oauth")
	c := newClientWith(t, Options{
		Auth: map[string]Credential{"docker.io": {Username: "dora", Password: "dora-pat"}, "harbor.example": {Username: "harry", Password: "harry-s3cret"}},
		APIs: map[string]pushtime.API{
			"docker.io":      {Type: pushtime.TypeDockerHub, URL: hub.URL},
			"harbor.example": {Type: pushtime.TypeHarbor, URL: harbor.URL},
			"ghcr.io":        {Type: pushtime.TypeGHCR, URL: gh.URL, Token: "ghp_example"},
			"quay.io":        {Type: pushtime.TypeQuay, URL: quay.URL, Token: "quay-oauth"},
		},
	})
	for _, image := range []string{"dora/private", "harbor.example/team/web", "ghcr.io/acme/app", "quay.io/acme/app"} {
		if _, known, err := c.PushTime(t.Context(), mustImage(t, image), &TagList{}, "1.0.0", nil); err != nil || !known {
			t.Errorf("%s: PushTime = %v, %v; want the push time", image, known, err)
		}
	}
	secrets := []string{"dora-pat", "harry", "ghp_example", "quay-oauth", "hub-token"}
	for name, api := range map[string]*pushapi.Server{"hub": hub, "harbor": harbor, "github": gh, "quay": quay} {
		for _, got := range api.Authorizations() {
			for _, s := range secrets {
				if strings.Contains(got, s) && !slices.Contains(ownSecrets[name], s) {
					t.Errorf("the %s API got %q, which holds another's credential %q", name, got, s)
				}
			}
		}
	}
}

// ownSecrets are the credentials each API of TestPushTimeCredentials may
// see.
var ownSecrets = map[string][]string{"hub": {"hub-token"}, "harbor": {"harry"}, "github": {"ghp_example"}, "quay": {"quay-oauth"}}

// TestPushTimeNoAPI: a registry without an API, and GHCR without a token,
// give ErrNoPushTimeAPI.
func TestPushTimeNoAPI(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	c := newClient(t)
	for _, image := range []string{"registry.example/team/app", "ghcr.io/acme/app"} {
		if _, _, err := c.PushTime(t.Context(), mustImage(t, image), &TagList{}, "1.0.0", nil); !errors.Is(err, ErrNoPushTimeAPI) {
			t.Errorf("%s: PushTime = %v, want ErrNoPushTimeAPI", image, err)
		}
	}
}

// TestDecodeGoogleUploads: a Google tag list's "manifest" map gives each
// valid tag's push time, whether timeUploadedMs is a string (Container
// Registry) or a number (Artifact Registry, google/go-containerregistry#667);
// a time of 0 is no time, and a map that is not one is skipped.
func TestDecodeGoogleUploads(t *testing.T) {
	t.Parallel()
	at := time.UnixMilli(1764495000000).UTC()
	for _, c := range []struct {
		body string
		want map[string]time.Time
	}{
		{`{"manifest":{"sha256:a":{"tag":["1.0","bad tag"],"timeUploadedMs":"1764495000000"}},"tags":["1.0"]}`, map[string]time.Time{"1.0": at}},
		{`{"tags":["1.0","2.0"],"manifest":{"sha256:a":{"tag":["1.0"],"timeUploadedMs":1764495000000},"sha256:b":{"tag":["2.0"],"timeUploadedMs":"0"}}}`,
			map[string]time.Time{"1.0": at, "2.0": {}}},
		{`{"tags":["1.0"],"manifest":{"sha256:a":{"tag":"1.0","timeUploadedMs":"x"}}}`, map[string]time.Time{}},
		{`{"tags":["1.0"],"manifest":["unexpected"]}`, nil},
		{`{"tags":["1.0"]}`, nil},
	} {
		page, err := decodeTags(strings.NewReader(c.body), maphash.MakeSeed())
		if err != nil {
			t.Errorf("%s: %v", c.body, err)
			continue
		}
		if !maps.EqualFunc(page.pushed, c.want, time.Time.Equal) || (page.pushed == nil) != (c.want == nil) {
			t.Errorf("%s: pushed %v, want %v", c.body, page.pushed, c.want)
		}
	}
}

// TestPushTimeReviewFixes: GitLab's search by name matches substrings, so
// a tag past the first page of matches is still found; ACR's token for the
// metadata_read scope is got once per run; and a package or repository the
// API does not know is an error, not a list of unknown tags.
func TestPushTimeReviewFixes(t *testing.T) {
	t.Run("gitlab pages", func(t *testing.T) {
		gl := pushapi.NewGitLab(t, "group/project")
		for i := range 150 {
			gl.Push("group/project/app", fmt.Sprintf("0.1.2-%03d", i), pushedOld) // all match "1.2", and sort before it
		}
		gl.Push("group/project/app", "1.2", pushedNew) // the last of 151 matches: on the second page
		c := newClientWith(t, Options{APIs: map[string]pushtime.API{"gitlab.example": {Type: pushtime.TypeGitLab, URL: gl.URL, Token: "glpat"}}})
		at, known, err := c.PushTime(t.Context(), mustImage(t, "gitlab.example/group/project/app"), &TagList{}, "1.2", nil)
		if err != nil || !known || !at.Equal(pushedNew) {
			t.Errorf("PushTime(1.2) = %v, %v, %v; want %v from the second page", at, known, err, pushedNew)
		}
	})
	t.Run("acr token once", func(t *testing.T) {
		reg := registrytest.NewInProcess(t)
		reg.PushTags(t, "acme/acr", "1.0.0", "1.1.0")
		acr := pushapi.NewACR(t, reg)
		acr.Push("acme/acr", "1.0.0", pushedOld)
		acr.Push("acme/acr", "1.1.0", pushedNew)
		c := newClientWith(t, Options{APIs: map[string]pushtime.API{acr.Host: {Type: pushtime.TypeACR}}})
		img := mustImage(t, acr.Host+"/acme/acr")
		for _, tag := range []string{"1.1.0", "1.0.0"} {
			if _, known, err := c.PushTime(t.Context(), img, &TagList{}, tag, nil); err != nil || !known {
				t.Fatalf("PushTime(%s) = %v, %v", tag, known, err)
			}
		}
		if len(acr.Scopes) != 1 || acr.Scopes[0] != "repository:acme/acr:metadata_read" {
			t.Errorf("tokens asked for %q, want one for repository:acme/acr:metadata_read", acr.Scopes)
		}
	})
	t.Run("unknown package or repository", func(t *testing.T) {
		gh := pushapi.NewGitHub(t)
		gl := pushapi.NewGitLab(t, "group/project")
		c := newClientWith(t, Options{APIs: map[string]pushtime.API{
			"ghcr.io":        {Type: pushtime.TypeGHCR, URL: gh.URL, Token: "ghp_example"},
			"gitlab.example": {Type: pushtime.TypeGitLab, URL: gl.URL, Token: "glpat"},
		}})
		for _, image := range []string{"ghcr.io/nobody/app", "gitlab.example/group/project/missing"} {
			_, _, err := c.PushTime(t.Context(), mustImage(t, image), &TagList{}, "1.0.0", nil)
			var pe *pushtime.Error
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), "knows no") {
				t.Errorf("%s: PushTime = %v, want an error saying the API does not know it", image, err)
			}
		}
	})
	t.Run("public APIs only for their own registry", func(t *testing.T) {
		for _, api := range []pushtime.API{{Type: pushtime.TypeDockerHub}, {Type: pushtime.TypeGHCR, Token: "ghp"}} {
			_, err := New(t.Context(), Options{APIs: map[string]pushtime.API{"registry.corp.example": api}})
			if err == nil || !strings.Contains(err.Error(), "url is required") {
				t.Errorf("%s on registry.corp.example without url: New = %v, want url required", api.Type, err)
			}
		}
	})
}
