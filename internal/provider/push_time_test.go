package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/faults"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/pushapi"
)

// The release-age tests push three tags whose creation times say little
// about when they were pushed, as a publisher can make them:
//
//	tag    created                 pushed
//	1.0.0  1970 (reproducible)     60 days ago
//	1.1.0  2021 (backdated)        30 days ago
//	1.2.0  2021 (backdated)        an hour ago
//
// With min_age = "7d", push time chooses 1.1.0 and creation time 1.2.0.
var (
	backdated = time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)
	ageTags   = []string{"1.0.0", "1.1.0", "1.2.0"}
)

func agePushTimes(now time.Time) map[string]time.Time {
	return map[string]time.Time{
		"1.0.0": now.Add(-60 * 24 * time.Hour).Truncate(time.Second),
		"1.1.0": now.Add(-30 * 24 * time.Hour).Truncate(time.Second),
		"1.2.0": now.Add(-time.Hour).Truncate(time.Second),
	}
}

// pushAgeImages pushes the three tags to repo.
func pushAgeImages(t *testing.T, reg *registrytest.Registry, repo string) {
	t.Helper()
	for _, tag := range ageTags {
		created := backdated
		if tag == "1.0.0" {
			created = time.Unix(0, 0)
		}
		img, err := registrytest.NewImage("linux/amd64", func(cf *v1.ConfigFile) { cf.Created = v1.Time{Time: created} })
		if err != nil {
			t.Fatal(err)
		}
		reg.Push(t, repo, tag, img)
	}
}

// ageCase is one API: the image to read, the provider's registry_api, and
// the emulator's request count.
type ageCase struct {
	name     string
	image    string
	api      string // the registry_api entry's body, "" for none
	requests func() int64
}

// ageCases sets up a registry and an emulator of each API that reports
// push times, seeded with agePushTimes.
func ageCases(t *testing.T) []ageCase {
	t.Helper()
	now := time.Now()
	times := agePushTimes(now)
	reg := registrytest.NewInProcess(t)
	seed := func(s *pushapi.Server, repository string) *pushapi.Server {
		pushAgeImages(t, reg, repository)
		for tag, at := range times {
			s.Push(repository, tag, at)
		}
		return s
	}
	entry := func(host, typ, url, token string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "%q = { type = %q", host, typ)
		if url != "" {
			fmt.Fprintf(&b, ", url = %q", url)
		}
		if token != "" {
			fmt.Fprintf(&b, ", token = %q", token)
		}
		return b.String() + " }"
	}
	hub := seed(pushapi.NewDockerHub(t, nil), "acme/hub")
	quay := seed(pushapi.NewQuay(t), "acme/quay")
	harbor := seed(pushapi.NewHarbor(t), "team/apps/web")
	ecr := seed(pushapi.NewECR(t), "team/ecr")
	gh := seed(pushapi.NewGitHub(t), "octo/apps/gh")
	gl := pushapi.NewGitLab(t, "group/project")
	seed(gl.Server, "group/project/app")
	acrReg := registrytest.NewInProcess(t)
	acr := pushapi.NewACR(t, acrReg)
	pushAgeImages(t, acrReg, "acme/acr")
	for tag, at := range times {
		acr.Push("acme/acr", tag, at)
	}
	google := faults.NewFaultProxy(t, reg)
	google.Inject(pushapi.GoogleTagList(times))
	pushAgeImages(t, reg, "proj/gar")
	var garRequests int64 // the tag list only: no request of its own
	return []ageCase{
		{"dockerhub", reg.Host + "/acme/hub", entry(reg.Host, "dockerhub", hub.URL, ""), hub.Requests.Load},
		{"quay", reg.Host + "/acme/quay", entry(reg.Host, "quay", quay.URL, ""), quay.Requests.Load},
		{"harbor", reg.Host + "/team/apps/web", entry(reg.Host, "harbor", harbor.URL, ""), harbor.Requests.Load},
		{"ecr", reg.Host + "/team/ecr", entry(reg.Host, "ecr", ecr.URL, ""), ecr.Requests.Load},
		{"ghcr", reg.Host + "/octo/apps/gh", entry(reg.Host, "ghcr", gh.URL, "ghp_example"), gh.Requests.Load},
		{"gitlab", reg.Host + "/group/project/app", entry(reg.Host, "gitlab", gl.URL, "glpat-example"), gl.Requests.Load},
		{"acr", acr.Host + "/acme/acr", entry(acr.Host, "acr", "", ""), acr.Requests.Load},
		{"gar", google.Host + "/proj/gar", entry(google.Host, "gar", "", ""), func() int64 { return garRequests }},
	}
}

// ageConfig is a provider block with registry_api and one
// registry_latest_tag on image with body.
func ageConfig(api, image, body string) string {
	var b strings.Builder
	if api != "" {
		fmt.Fprintf(&b, "provider \"registry\" {\n  registry_api = {\n    %s\n  }\n}\n\n", api)
	}
	fmt.Fprintf(&b, "data \"registry_latest_tag\" \"x\" {\n  image = %q\n%s\n}\n", image, body)
	return b.String()
}

// noRequests returns a PreConfig and a Check that together check that the
// API served no request during the step.
func noRequests(count func() int64) (func(), resource.TestCheckFunc) {
	var before int64
	return func() { before = count() }, func(*terraform.State) error {
		if n := count() - before; n != 0 {
			return fmt.Errorf("the API served %d requests, want none", n)
		}
		return nil
	}
}

// TestLatestTagReleaseAge reads each API's push times through Terraform:
// auto and push count from the push (1.1.0, though every image claims an
// old creation time), created from the creation time (1.2.0), a read
// without min_age asks no API, and a min_age that rejects every tag says
// when the newest becomes old enough.
func TestLatestTagReleaseAge(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE00")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	times := agePushTimes(time.Now())
	for _, tc := range ageCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			pushed := times["1.1.0"].UTC().Format(time.RFC3339)
			at := func(attr string, want knownvalue.Check) statecheck.StateCheck {
				return expect("data.registry_latest_tag.x", attr, want)
			}
			before, none := noRequests(tc.requests)
			pushSteps := []resource.TestStep{
				{
					Config: ageConfig(tc.api, tc.image, `min_age = "7d"`),
					ConfigStateChecks: []statecheck.StateCheck{
						at("tag", knownvalue.StringExact("1.1.0")), at("pushed", knownvalue.StringExact(pushed)),
						at("age_source", knownvalue.StringExact("push")), at("created", knownvalue.Null()),
					},
				},
				{
					Config:            ageConfig(tc.api, tc.image, "min_age = \"7d\"\n  age_from = \"push\""),
					ConfigStateChecks: []statecheck.StateCheck{at("tag", knownvalue.StringExact("1.1.0")), at("age_source", knownvalue.StringExact("push"))},
				},
				{
					Config: ageConfig(tc.api, tc.image, "min_age = \"7d\"\n  age_from = \"created\""),
					ConfigStateChecks: []statecheck.StateCheck{
						at("tag", knownvalue.StringExact("1.2.0")), at("created", knownvalue.StringExact(backdated.Format(time.RFC3339))),
						at("age_source", knownvalue.StringExact("created")), at("pushed", knownvalue.Null()),
					},
				},
				{
					PreConfig:         before,
					Config:            ageConfig(tc.api, tc.image, ""),
					ConfigStateChecks: []statecheck.StateCheck{at("tag", knownvalue.StringExact("1.2.0")), at("age_source", knownvalue.Null())},
					Check:             none,
				},
				{
					Config: ageConfig(tc.api, tc.image, "min_age = \"90d\"\n  age_from = \"push\""),
					ExpectError: errorContaining("No Tag Matches", "min_age rejected 3 candidates as younger than 90d, measured from their push time",
						"1.2.0 is old enough on "+times["1.2.0"].Add(90*24*time.Hour).UTC().Format("2006-01-02")),
				},
			}
			unitTest(t, pushSteps...)
		})
	}
}

// TestLatestTagReleaseAgeFailures: an API that fails (down, refusing the
// credentials, rate limited) is a warning under auto, which then counts
// from creation time, and an error under push; a tag the API does not
// know counts from its creation time under auto and is too new under
// push; a registry with no API is an error under push naming
// registry_api, and counts from creation time under auto.
func TestLatestTagReleaseAgeFailures(t *testing.T) {
	t.Parallel()
	times := agePushTimes(time.Now())
	reg := registrytest.NewInProcess(t)
	pushAgeImages(t, reg, "acme/app")
	quay := pushapi.NewQuay(t)
	for tag, at := range times {
		if tag != "1.2.0" { // unknown to the API
			quay.Push("acme/app", tag, at)
		}
	}
	api := fmt.Sprintf("%q = { type = \"quay\", url = %q }", reg.Host, quay.URL)
	image := reg.Host + "/acme/app"
	tag := func(want, source string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			expect("data.registry_latest_tag.x", "tag", knownvalue.StringExact(want)),
			expect("data.registry_latest_tag.x", "age_source", knownvalue.StringExact(source)),
		}
	}
	steps := []resource.TestStep{
		// 1.2.0 is unknown to the API: its backdated creation time passes.
		{Config: ageConfig(api, image, `min_age = "7d"`), ConfigStateChecks: tag("1.2.0", "created")},
		// Under push it has no push time, so it is too new.
		{Config: ageConfig(api, image, "min_age = \"7d\"\n  age_from = \"push\""), ConfigStateChecks: tag("1.1.0", "push")},
		// No API for the registry.
		{
			Config:      ageConfig("", image, "min_age = \"7d\"\n  age_from = \"push\""),
			ExpectError: errorContaining("No Push Time", "Set registry_api for "+fmt.Sprintf("%q", reg.Host)),
		},
		{Config: ageConfig("", image, `min_age = "7d"`), ConfigStateChecks: tag("1.2.0", "created")},
	}
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusUnauthorized, http.StatusTooManyRequests} {
		steps = append(steps,
			resource.TestStep{
				PreConfig:         func() { quay.Fail(status) },
				Config:            ageConfig(api, image, `min_age = "7d"`),
				ConfigStateChecks: tag("1.2.0", "created"),
			},
			resource.TestStep{
				Config:      ageConfig(api, image, "min_age = \"7d\"\n  age_from = \"push\""),
				ExpectError: errorContaining("Cannot Read Push Time", "Quay API at "+quay.URL),
			},
		)
	}
	unitTest(t, steps...)
}
