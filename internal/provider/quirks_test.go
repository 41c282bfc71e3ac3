package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/faults"
)

// quirkTimeout is the provider timeout in the quirk tests; a read must end
// within it, whatever the registry does.
const quirkTimeout = 8 * time.Second

// TestRegistryQuirks reads the CNCF distribution registry through a proxy
// that answers the way a real registry bends the API (each quirk names its
// public report in registrytest/quirks.go), and checks that the newest tag
// and its digest come out right, or that the error says what happened.
//
// The repository holds 1,250 tags, 1.1000.0 to 1.2249.0, so that a list cut
// at the first page of 1,000 misses the newest, 1.2249.0.
func TestRegistryQuirks(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewDistribution(t)
	tags := make([]string, 1250)
	for i := range tags {
		tags[i] = fmt.Sprintf("1.%d.0", 1000+i)
	}
	digests := reg.PushTags(t, "team/app", tags...)
	const newest, firstPageNewest = "1.2249.0", "1.1999.0"
	invalid := []string{"99.9.9#x", "9.9.8?a=b", "9.9.7/../../other/manifests/1.0", strings.Repeat("9", 200)}

	tests := []struct {
		name   string
		faults func(proxyHost string) []faults.Fault
		// localhost names the image with localhost instead of 127.0.0.1.
		localhost bool
		// tag is the tag the read must choose; err, when set, the error.
		tag string
		err []string
		// hits is how many requests the first fault must have hit (0: any).
		hits int
	}{
		{name: "full page without Link", tag: newest, faults: one(faults.QuirkNoLink())},
		{name: "distribution 3.1.0 refuses n above maxtags", tag: newest, faults: one(faults.DistributionPageLimit(500))},
		{name: "ECR refuses maxResults above its limit", tag: newest, faults: one(faults.ECRPageLimit(300))},
		{name: "Quay refuses more than 100", tag: newest, faults: one(faults.QuayPageLimit())},
		{name: "registry ignores last", tag: newest, faults: one(faults.QuirkIgnoreLast(0))},
		{name: "registry ignores last and cuts its whole list at a page", tag: firstPageNewest, faults: one(faults.QuirkIgnoreLast(1000))},
		{name: "registry ignores paging", tag: newest, faults: one(faults.QuirkIgnorePaging())},
		{name: "absolute Link spelling the host otherwise", tag: newest, localhost: true, faults: func(host string) []faults.Fault {
			return []faults.Fault{faults.QuirkAbsoluteLink("http", strings.Replace(host, "127.0.0.1", "LOCALHOST", 1))}
		}},
		{name: "tags repeated across pages", tag: newest, faults: one(faults.QuirkTags(func(page []string) []string { return append(page, "1.1000.0", "1.2249.0") }))},
		{name: "tags that are not valid tags", tag: newest, faults: one(faults.QuirkTags(func(page []string) []string { return append(page, invalid...) }))},
		{name: "tag list as text/plain", tag: newest, faults: one(faults.QuirkPlainText())},
		{name: "HEAD answered 405", tag: newest, hits: 1, faults: one(faults.QuirkHeadRefused())},
		{name: "HEAD answered with an HTML 404", tag: newest, hits: 1, faults: one(faults.QuirkHeadHTMLNotFound())},
		{name: "no Docker-Content-Digest", tag: newest, faults: one(faults.QuirkNoDigestHeader())},
		{name: "throttled tag list, TOOMANYREQUESTS with Retry-After", tag: newest, hits: 2, faults: one(faults.QuirkThrottle("/tags/list", 2))},
		{name: "throttled manifest, TOOMANYREQUESTS with Retry-After", tag: newest, hits: 1, faults: one(faults.QuirkThrottle("/manifests/", 1))},
		{name: "Docker Hub pull limit", hits: 1, faults: one(faults.QuirkPullLimit("/tags/list")),
			err: []string{"Cannot List Tags", "HTTP 429", "pull rate limit is reached (100 pulls per 6h0m0s for 192.0.2.7)", "Log in"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			proxy := faults.NewFaultProxy(t, reg)
			faults := tt.faults(proxy.Host)
			for _, f := range faults {
				proxy.Inject(f)
			}
			host := proxy.Host
			if tt.localhost {
				host = strings.Replace(host, "127.0.0.1", "localhost", 1)
			}
			step := resource.TestStep{Config: latestTagConfig(host, fmt.Sprintf("timeout = %q", quirkTimeout))}
			if tt.err != nil {
				step.ExpectError = errorContaining(tt.err...)
			} else {
				step.ConfigStateChecks = []statecheck.StateCheck{
					expect("data.registry_latest_tag.app", "tag", knownvalue.StringExact(tt.tag)),
					expect("data.registry_latest_tag.app", "digest", knownvalue.StringExact(digests[tt.tag].String())),
				}
			}
			start := time.Now()
			unitTest(t, step)
			if took := time.Since(start); took > 3*quirkTimeout {
				t.Errorf("the test took %s: a read outlasted the provider's timeout", took)
			}
			// Every quirk must have shaped some answer, or the case proves nothing.
			if got := proxy.Hits(faults[0].Path); got < max(tt.hits, 1) {
				t.Errorf("the quirk hit %d requests, want at least %d", got, max(tt.hits, 1))
			}
			if tt.err != nil && tt.hits > 0 {
				// Terraform reads the data source once for the failing plan.
				if got := proxy.Hits(faults[0].Path); got != tt.hits {
					t.Errorf("the quirk hit %d requests, want %d: the failure must not be retried", got, tt.hits)
				}
			}
		})
	}
}

func one(f faults.Fault) func(string) []faults.Fault {
	return func(string) []faults.Fault { return []faults.Fault{f} }
}

// TestMissingRepositoryWithToken: Docker Hub answers 401 insufficient_scope
// for a repository that does not exist, even to a valid token
// (distribution/distribution#2376). The provider asks for a new token once,
// then says the repository does not exist or the credentials may not read
// it, instead of telling a logged-in user to log in.
func TestMissingRepositoryWithToken(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewDistribution(t, registrytest.WithTokenAuth(map[string]string{"alice": "alice-s3cret"}))
	reg.PushTags(t, "team/app", "1.0.0")
	proxy := faults.NewFaultProxy(t, reg)
	proxy.Inject(faults.QuirkInsufficientScope("/v2/team/typo/", reg.Token.Realm, reg.Token.Service))
	unitTest(t, resource.TestStep{
		Config: hcl(providerBlock(authBlock(proxy.Host, "alice", `"alice-s3cret"`)),
			fmt.Sprintf(`data "registry_latest_tag" "app" { image = "%s/team/typo" }`, proxy.Host)),
		ExpectError: errorContaining("Cannot List Tags", proxy.Host+"/team/typo", "HTTP 401",
			"the repository does not exist, or these credentials may not read it", "Check the image name first"),
	})
	// One token for the session, one refresh after the first 401; the
	// plan reads once.
	if got := reg.Token.Requests.Load(); got != 2 {
		t.Errorf("token requests = %d, want 2 (one, then one refresh)", got)
	}
	if got := proxy.Hits("/v2/team/typo/"); got != 2 {
		t.Errorf("tag-list requests = %d, want 2 (before and after the refresh)", got)
	}
}
