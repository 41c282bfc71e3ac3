package tagfilter_test

import (
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

// TestCookbook checks the answers that the guide "Choosing a filter"
// (templates/guides/choosing-a-filter.md.tmpl, examples/guides/filters)
// gives for real tag schemes, traps included, so that the guide cannot drift
// from what the filters do. Filters are written as they reach the parser:
// HCL's `\\` is `\` here.
func TestCookbook(t *testing.T) {
	t.Parallel()
	nginx := []string{"1.26.3", "1.27.2", "1.27.3", "1.27.4", "1.27", "1", "1.28.0-rc.1",
		"1.27.3-alpine", "1.27.4-alpine", "1.27.3-alpine3.20", "1.27.3-alpine3.21", "1.27.4-alpine3.21",
		"1.27.3-perl", "1.27.4-perl", "1.27.4-alpine-perl", "mainline", "stable", "latest", "alpine"}
	alpineOS := []string{"1.27.3-alpine3.9", "1.27.3-alpine3.10"}
	pihole := []string{"2024.07.0", "2024.06.0", "2023.11.0", "2022.12", "2022.12.1", "v5.8.1", "latest", "nightly", "2024.07.0-rc1"}
	lsio := []string{"v2.0.7.1-2.0.7.1_beta_2023-05-25-ls99", "v2.0.7.1-2.0.7.1_beta_2023-05-25-ls171",
		"v2.0.8.1-2.0.8.1_beta_2024-05-07-ls200", "latest", "development",
		"amd64-v2.0.8.1-2.0.8.1_beta_2024-05-07-ls200", "development-version-v2.0.8.100-2.0.8.100_canary_2024-07-01-ls201"}
	bitnami := []string{"16.1.0-debian-12-r8", "16.1.0-debian-12-r9", "16.1.0-debian-12-r10", "16.0.4-debian-12-r30",
		"17.0.0-debian-12-r2", "16.1.0-debian-11-r40", "16.1.0", "16", "latest"}
	ci := []string{"master-9", "master-10", "master-123", "master-123-dirty", "main-200", "feature-x-300", "latest"}
	k8s := []string{"v1.29.0", "v1.29.1", "v1.29.0-rc.1", "v1.29.0-rc.2", "v1.29.0-rc.10", "v1.29.0-beta.0",
		"v1.29.0-alpha.3", "v1.30.0-alpha.1", "v1.30.0-rc.2", "v1.28.5", "v1.31.0-alpha.0"}

	tests := []struct {
		name, filter, constraint string
		tags                     []string
		want                     string // "" when no tag is kept
		current, kind            string // update_kind from current to want, when current is set
	}{
		{"nginx stable", "semver()", ">= 0", nginx, "1.27.4", "1.27.3", "patch"},
		{"nginx pin, no constraint needed", "semver()", "", nginx, "1.27.4", "1.27.3", "patch"},
		{"nginx alpine3.x pin", "semver()", "", nginx, "1.27.4-alpine3.21", "1.27.3-alpine3.21", "patch"},
		{"nginx alpine pin", "semver()", "", nginx, "1.27.4-alpine", "1.27.3-alpine", "patch"},
		{"nginx floating pin keeps its precision", "semver()", "", nginx, "1.27", "1.27", "none"},
		{"nginx stable of 1.27", "semver()", "~1.27", nginx, "1.27.4", "", ""},
		{"nginx without a constraint", "semver()", "", nginx, "1.28.0-rc.1", "", ""},
		{"nginx full versions", `regex('\d+\.\d+\.\d+')`, ">= 0", nginx, "1.27.4", "", ""},
		{"nginx alpine", `regex('(?P<version>\d+\.\d+\.\d+)-alpine')`, "~1.27", nginx, "1.27.4-alpine", "1.27.3-alpine", "patch"},
		{"nginx one alpine release", `regex('(?P<version>\d+\.\d+\.\d+)-alpine3\.21')`, "", nginx, "1.27.4-alpine3.21", "", ""},
		{"nginx every alpine release", `regex('(?P<version>\d+\.\d+\.\d+-alpine\d+\.\d+)')`, ">= 1.27.0-0, < 1.28.0-0", nginx, "1.27.4-alpine3.21", "", ""},
		{"alpine3.10 inside the group", `regex('(?P<version>\d+\.\d+\.\d+-alpine\d+\.\d+)')`, "", alpineOS, "1.27.3-alpine3.10", "", ""},
		{"trap: alpine3.9 outside the group", `regex('(?P<version>\d+\.\d+\.\d+)-alpine\d+\.\d+')`, "", alpineOS, "1.27.3-alpine3.9", "", ""},
		{"nginx perl", `regex('(?P<version>\d+\.\d+\.\d+)-perl')`, "", nginx, "1.27.4-perl", "", ""},
		{"heredoc newline", "regex('(?P<version>\\d+\\.\\d+\\.\\d+)-alpine')\n", "", nginx, "1.27.4-alpine", "", ""},
		{"pihole", "semver()", ">= 2024.6", pihole, "2024.07.0", "2024.06.0", "minor"},
		{"pihole from 2022", "semver()", "", pihole, "2024.07.0", "2022.12", "major"},
		{"linuxserver", "semver()", "", lsio, "v2.0.8.1-2.0.8.1_beta_2024-05-07-ls200", "v2.0.7.1-2.0.7.1_beta_2023-05-25-ls171", "patch"},
		{"linuxserver build", "semver()", "", lsio[:2], "v2.0.7.1-2.0.7.1_beta_2023-05-25-ls171", "v2.0.7.1-2.0.7.1_beta_2023-05-25-ls99", "other"},
		{"trap: linuxserver with a constraint", "semver()", ">= 0", lsio, "", "", ""},
		{"linuxserver 2.0.7", `regex('v(?P<version>2\.0\.7\.\d+-.*)')`, "", lsio, "v2.0.7.1-2.0.7.1_beta_2023-05-25-ls171", "v2.0.7.1-2.0.7.1_beta_2023-05-25-ls99", "other"},
		{"linuxserver 2.0.7, next build", `regex('v(?P<version>2\.0\.7\.\d+-.*)')`, "", []string{"v2.0.7.1-2.0.7.1_beta_2023-05-25-ls171", "v2.0.7.2-2.0.7.2_beta_2023-06-01-ls172"}, "v2.0.7.2-2.0.7.2_beta_2023-06-01-ls172", "v2.0.7.1-2.0.7.1_beta_2023-05-25-ls171", "other"},
		{"trap: linuxserver by prefix calls a build major", "prefix('v2.0.7.')", "", []string{"v2.0.7.1-2.0.7.1_beta_2023-05-25-ls171", "v2.0.7.2-2.0.7.2_beta_2023-06-01-ls172"}, "v2.0.7.2-2.0.7.2_beta_2023-06-01-ls172", "v2.0.7.1-2.0.7.1_beta_2023-05-25-ls171", "major"},
		{"bitnami 16.x", `regex('(?P<version>\d+\.\d+\.\d+-debian-12-r\d+)')`, "^16.0.0-0", bitnami, "16.1.0-debian-12-r10", "16.1.0-debian-12-r9", "other"},
		{"bitnami 16.1.x", `regex('(?P<version>\d+\.\d+\.\d+-debian-12-r\d+)')`, "~16.1.0-0", bitnami, "16.1.0-debian-12-r10", "", ""},
		{"trap: bitnami revision outside the group", `regex('(?P<version>\d+\.\d+\.\d+)-debian-12-r\d+')`, "~16", bitnami, "16.1.0-debian-12-r9", "", ""},
		{"trap: bitnami constraint without -0", `regex('(?P<version>\d+\.\d+\.\d+-debian-12-r\d+)')`, "~16.1", bitnami, "", "", ""},
		{"ci builds", "prefix('master-', suffix=number())", ">= 100", ci, "master-123", "master-10", "major"},
		{"ci builds with commit", `prefix('master-', suffix=regex('(?P<version>\d+)-[0-9a-f]{7}'))`, "",
			[]string{"master-9-0a1b2c3", "master-10-ffee001", "master-123-abc1234", "master-124-0d9e8f7"}, "master-124-0d9e8f7", "master-123-abc1234", "major"},
		{"kubernetes 1.29", "semver()", "~1.29", k8s, "v1.29.1", "v1.29.0", "patch"},
		{"kubernetes next", "semver()", "~1.30.0-0", k8s, "v1.30.0-rc.2", "v1.30.0-alpha.1", "other"},
		{"trap: kubernetes next without an upper bound", "semver()", ">= 1.30.0-0", k8s, "v1.31.0-alpha.0", "", ""},
		{"kubernetes rc order", "semver()", "", k8s[2:7], "v1.29.0-rc.10", "", ""},
		{"timestamps", "number()", "", []string{"20240725143012", "20240725093000", "20231231235959", "latest"}, "20240725143012", "20240725093000", "major"},
		{"dated builds", "prefix('nightly-')", "", []string{"nightly-2024-07-25", "nightly-2024-07-09", "nightly-2023-12-31"}, "nightly-2024-07-25", "nightly-2024-07-09", "other"},
	}
	// With current set, only tags of its shape are candidates, as in the
	// data source, but for the recipes that set variant = "any".
	anyVariant := map[string]bool{"pihole from 2022": true, "ci builds with commit": true, "kubernetes next": true}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := tagfilter.Parse(tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			var c *tagfilter.Constraint
			if tt.constraint != "" {
				if c, err = tagfilter.ParseConstraint(tt.constraint); err != nil {
					t.Fatal(err)
				}
			}
			r := tagfilter.Rules{Constraint: c}
			if tt.current != "" && !anyVariant[tt.name] {
				r.Shape = tagfilter.Shape(tt.current)
			}
			s := f.SelectWith(tt.tags, r, 3)
			if s.Tag != tt.want {
				t.Fatalf("filter %s, constraint %q: newest = %q, want %q (candidates %v)", tt.filter, tt.constraint, s.Tag, tt.want, s.Candidates)
			}
			if tt.current == "" {
				return
			}
			kind, err := f.Update(tt.current, s.Tag)
			if err != nil || string(kind) != tt.kind {
				t.Errorf("Update(%q, %q) = %q, %v; want %q", tt.current, s.Tag, kind, err, tt.kind)
			}
		})
	}
}
