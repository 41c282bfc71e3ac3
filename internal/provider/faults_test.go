package provider

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/faults"
)

// faultTimeout is the provider timeout in the fault tests; a read must end
// within it, whatever the registry does.
const faultTimeout = 6 * time.Second

// TestAccFaults puts a proxy that injects one fault in front of the CNCF
// distribution registry (with basic auth) and plans: a transient fault
// still gives the right answer, a lasting one gives the named error, and no
// plan outlasts its timeout.
func TestAccFaults(t *testing.T) {
	t.Parallel()
	page := func(link string) http.Header { return http.Header{"Link": {link}} }
	pullLimit := faults.QuirkPullLimit("/tags/list")
	pullLimit.Header.Set("Retry-After", "7200")
	tests := []struct {
		name   string
		faults []faults.Fault
		// err is empty when the plan must succeed.
		err []string
		// hits is how many requests the first fault must have hit.
		hits int
	}{
		{name: "429 with Retry-After in seconds, twice", hits: 2,
			faults: []faults.Fault{{Path: "/tags/list", Times: 2, Status: 429, Header: http.Header{"Retry-After": {"1"}}}}},
		{name: "429 with Retry-After as a date, once", hits: 1,
			faults: []faults.Fault{{Path: "/tags/list", Times: 1, Status: 429, Header: http.Header{"Retry-After": {time.Now().Add(time.Second).UTC().Format(http.TimeFormat)}}}}},
		{name: "429 without Retry-After, twice", hits: 2,
			faults: []faults.Fault{{Path: "/tags/list", Times: 2, Status: 429}}},
		{name: "503 burst on manifests", hits: 3,
			faults: []faults.Fault{{Path: "/manifests/", Times: 3, Status: 503}}},
		{name: "502 on the ping, twice", hits: 2,
			faults: []faults.Fault{{Path: "/v2/", Method: http.MethodGet, Times: 2, Status: 502}}},
		{name: "408 once", hits: 1,
			faults: []faults.Fault{{Path: "/tags/list", Times: 1, Status: 408}}},
		{name: "connection reset twice", hits: 2,
			faults: []faults.Fault{{Path: "/tags/list", Times: 2, Reset: true}}},
		{name: "truncated body once", hits: 1,
			faults: []faults.Fault{{Path: "/tags/list", Times: 1, Truncate: true}}},
		{name: "slow body within the timeout", hits: 1,
			faults: []faults.Fault{{Path: "/tags/list", Times: 1, Delay: 500 * time.Millisecond}}},
		{name: "HEAD without Docker-Content-Digest", hits: 1,
			faults: []faults.Fault{{Path: "/manifests/", Method: http.MethodHead, DropHeader: []string{"Docker-Content-Digest"}}}},
		{name: "500 that lasts",
			faults: []faults.Fault{{Path: "/tags/list", Status: 500, Body: `{"errors":[{"code":"UNKNOWN","message":"storage backend down"}]}`}},
			err:    []string{"Cannot List Tags", "HTTP 500", "storage backend down", "try again later"}},
		{name: "Retry-After past the timeout",
			faults: []faults.Fault{{Path: "/tags/list", Status: 503, Header: http.Header{"Retry-After": {"3600"}}}},
			err:    []string{"HTTP 503", "asked to wait 1h0m0s", "more than the provider's timeout leaves"}, hits: 1},
		{name: "connection reset that lasts",
			faults: []faults.Fault{{Path: "/tags/list", Reset: true}},
			err:    []string{"Cannot List Tags", "team/app"}},
		{name: "slow body past the timeout",
			faults: []faults.Fault{{Path: "/tags/list", Delay: time.Minute}},
			err:    []string{"Cannot List Tags", "did not answer within the provider's timeout"}},
		{name: "invalid JSON",
			faults: []faults.Fault{{Path: "/tags/list", Rewrite: func([]byte) []byte { return []byte(`{"name":"team/app","tags":[`) }}},
			err:    []string{"Cannot List Tags", "team/app", "not valid JSON"}},
		{name: "an HTML page instead of JSON",
			faults: []faults.Fault{{Path: "/tags/list", SetHeader: http.Header{"Content-Type": {"text/html"}}, Rewrite: func([]byte) []byte { return []byte("<html>Sign in</html>") }}},
			err:    []string{"team/app", "not valid JSON", `content type "text/html"`}},
		{name: "a tag list with no tags",
			faults: []faults.Fault{{Path: "/tags/list", Rewrite: func([]byte) []byte { return []byte(`{"name":"team/app"}`) }}},
			err:    []string{"team/app", `no "tags" field`}},
		{name: "an empty tag list (a repository the registry does not have, as olareg answers)",
			faults: []faults.Fault{{Path: "/tags/list", Rewrite: func([]byte) []byte { return []byte(`{"name":"team/app","tags":[]}`) }}},
			err:    []string{"No Tags Listed", "lists no tags for", "team/app", "check the image name"}},
		{name: "a Link to another repository",
			faults: []faults.Fault{{Path: "/tags/list", SetHeader: page(`</v2/other/secret/tags/list>; rel="next"`)}},
			err:    []string{"team/app", "points to another path (/v2/other/secret/tags/list)"}},
		{name: "a Link that loops",
			faults: []faults.Fault{{Path: "/tags/list", SetHeader: page(`</v2/team/app/tags/list?n=1000>; rel="next"`)}},
			err:    []string{"team/app", "pagination loops"}},
		{name: "a Link to another host",
			faults: []faults.Fault{{Path: "/tags/list", SetHeader: page(`<http://elsewhere.test/v2/team/app/tags/list?last=1.0.0&n=1000>; rel="next"`)}},
			err:    []string{"team/app", "points to another host (elsewhere.test)"}},
		{name: "Docker Hub's pull limit, with the time it resets",
			faults: []faults.Fault{pullLimit},
			err:    []string{"HTTP 429", "pull rate limit is reached (100 pulls per 6h0m0s for 192.0.2.7)", "it resets at", "Log in", "mirror"},
			hits:   1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			reg := registrytest.NewDistribution(t, registrytest.WithBasicAuth("lee", "lee-s3cret"))
			digests := reg.PushTags(t, "team/app", "1.0.0", "2.0.0")
			proxy := faults.NewFaultProxy(t, reg)
			for _, f := range tt.faults {
				proxy.Inject(f)
			}
			cfg := latestTagConfig(proxy.Host, authBlock(proxy.Host, "lee", `"lee-s3cret"`), fmt.Sprintf("timeout = %q", faultTimeout))
			step := resource.TestStep{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{
				expect("data.registry_latest_tag.app", "tag", knownvalue.StringExact("2.0.0")),
				expect("data.registry_latest_tag.app", "digest", knownvalue.StringExact(digests["2.0.0"].String())),
			}}
			if tt.err != nil {
				step = resource.TestStep{Config: cfg, ExpectError: errorContaining(tt.err...)}
			}
			start := time.Now()
			accTest(t, step)
			if tt.err != nil {
				// One failed plan: its one read must end within the timeout.
				if took := time.Since(start); took > faultTimeout+10*time.Second {
					t.Errorf("the failing plan took %s, more than the timeout of %s allows", took.Round(time.Second), faultTimeout)
				}
			}
			if tt.hits > 0 {
				got := proxy.Hits(tt.faults[0].Path)
				if got < tt.hits {
					t.Errorf("the fault hit %d requests, want at least %d", got, tt.hits)
				}
				if tt.err != nil && got != tt.hits {
					t.Errorf("the fault hit %d requests, want exactly %d: it must not be retried", got, tt.hits)
				}
			}
		})
	}
}

// TestAccRedirectCarriesNoCredentials: a registry that redirects a blob to
// storage elsewhere must not see its credentials sent there.
func TestAccRedirectCarriesNoCredentials(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewDistribution(t, registrytest.WithBasicAuth("mia", "mia-s3cret"))
	want := reg.PushImage(t, "team/tool", "1.0", registrytest.WithPlatform("linux/arm64")).String()
	var requests, withAuth atomic.Int64
	storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		requests.Add(1)
		if req.Header.Get("Authorization") != "" {
			withAuth.Add(1)
		}
		// Serve the blob the way storage would, fetched with the test's own credentials.
		out, err := http.NewRequestWithContext(req.Context(), http.MethodGet, reg.URL()+req.URL.RequestURI(), nil)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		out.SetBasicAuth("mia", "mia-s3cret")
		resp, err := reg.Transport().RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	t.Cleanup(storage.Close)
	proxy := faults.NewFaultProxy(t, reg)
	proxy.Inject(faults.Fault{Path: "/blobs/", RedirectTo: storage.URL})

	accTest(t, resource.TestStep{
		Config: hcl(providerBlock(authBlock(proxy.Host, "mia", `"mia-s3cret"`)),
			fmt.Sprintf(`data "registry_image_digest" "tool" {
  image    = "%s/team/tool"
  tag      = "1.0"
  platform = "linux/arm64"
}`, proxy.Host)),
		ConfigStateChecks: []statecheck.StateCheck{expect("data.registry_image_digest.tool", "digest", knownvalue.StringExact(want))},
	})
	if requests.Load() == 0 {
		t.Fatal("no request followed the redirect: the test proves nothing")
	}
	if n := withAuth.Load(); n != 0 {
		t.Errorf("%d of %d redirected requests carried the registry's credentials", n, requests.Load())
	}
}
