package tagfilter

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// hex64 is a 64-digit hex digest for cosign tags.
var hex64 = strings.Repeat("0123456789abcdef", 4)

// TestSpecExamples holds every row of the Examples table of the spec.
func TestSpecExamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		filter string
		tags   []string
		newest string
	}{
		{"semver()", []string{"1.9", "1.10", "1.2", "latest"}, "1.10"},
		{"semver()", []string{"1.0", "1.0-rc1", "1.0-rc10", "1.0-rc2"}, "1.0"},
		{"semver()", []string{"2022.12", "2022.12.1", "2022.11.30"}, "2022.12.1"},
		{"semver()", []string{"20221201123457", "20221201123456"}, "20221201123457"},
		{"number()", []string{"1", "10", "9", "latest", "1.0"}, "10"},
		{"prefix('master-', suffix=number())", []string{"master-9", "master-10", "main-100"}, "master-10"},
		{"prefix('release-')", []string{"release-1.3", "release-1.10", "develop-2.0"}, "release-1.10"},
		{"regex('foo|bar')", []string{"foo", "bar", "xbar"}, "foo"},
		{"regex('(?P<version>[0-9.]+)-alpine')", []string{"1.2.3-alpine", "1.2.10-alpine", "1.2.11"}, "1.2.10-alpine"},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			t.Parallel()
			f := mustParse(t, tt.filter)
			sorted := f.Sort(tt.tags)
			if len(sorted) == 0 || sorted[0] != tt.newest {
				t.Errorf("Sort(%q) = %q, want %q first", tt.tags, sorted, tt.newest)
			}
			if s := f.Select(tt.tags, nil, 1); s.Tag != tt.newest {
				t.Errorf("Select(%q).Tag = %q, want %q", tt.tags, s.Tag, tt.newest)
			}
		})
	}
}

// TestOrder holds chains of tags, newest first, with the tags the filter
// must leave out. Each chain is checked as a whole (Sort of every shuffle
// gives the chain) and pair by pair (Compare and the sort keys).
func TestOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		filter  string
		newest  []string // newest first
		dropped []string
	}{
		// The examples inside the steps of the spec.
		{"step 1: 1.10 > 1.9", "semver()", []string{"1.10", "1.9"}, nil},
		{"step 1: 007 = 7, decided later", "semver()", []string{"7.2", "007.2", "7.1", "007.1"}, nil},
		{"step 2: 1.0 > 1.0-rc1", "semver()", []string{"1.0", "1.0-rc1"}, nil},
		{"step 2: 1.0 > 1.0.0-rc1", "semver()", []string{"1.0", "1.0.0-rc1"}, nil},
		{"step 2: 1.2.3 > 1.2.3.", "semver()", []string{"1.2.3", "1.2.3."}, nil},
		{"step 3: rc10 > rc2 > rc1 > rc > beta > alpha", "semver()",
			[]string{"1.0-rc10", "1.0-rc2", "1.0-rc1", "1.0-rc", "1.0-beta", "1.0-alpha"}, nil},
		{"step 3: -rc.5 is -, rc, 5", "semver()", []string{"1.0-rc.10", "1.0-rc.5", "1.0-rc"}, nil},
		{"step 4: 1.0.0 > 1.0", "semver()", []string{"1.0.0", "1.0"}, nil},
		{"step 5: v1.0 > 1.0", "semver()", []string{"v1.0", "1.0"}, nil},
		{"step 5: 7 > 007", "semver()", []string{"7", "007"}, nil},
		{"step 5 for number()", "number()", []string{"7", "07", "007"}, nil},
		{"missing components count as zero", "semver()", []string{"1.0.1", "1.0.0.0", "1.0.0", "1.0", "1", "0.9"}, nil},
		{"1.0-rc1 is older than 1.0", "semver()", []string{"1.0", "1.0.0-rc1", "1.0-rc1"}, nil},

		// nginx.
		{"nginx", "semver()", []string{
			"1.27.3", "1.27.3-perl", "1.27.3-alpine3.21-perl", "1.27.3-alpine3.21", "1.27.3-alpine3.20",
			"1.27.3-alpine-slim", "1.27.3-alpine", "1.27.2", "1.27.0", "1.27", "1.27.0-alpine",
			"1.26.10", "1.26.9", "1",
		}, []string{"latest", "mainline", "stable-alpine", "alpine"}},
		// Kubernetes.
		{"kubernetes", "semver()", []string{
			"v1.29.0", "1.29.0", "v1.29.0-rc.10", "v1.29.0-rc.9", "v1.29.0-rc2", "v1.29.0-rc.2", "v1.29.0-rc.1",
			"v1.29.0-rc.0", "v1.29.0-beta.3", "v1.29.0-alpha.3", "v1.28.10", "v1.28.9", "v1.28.0",
		}, []string{"V1.30.0", "vnext", "latest"}},
		// Calendar versions.
		{"calver", "semver()", []string{
			"2024.10.0", "2024.07.1", "2024.7.0", "2024.07.0", "2024.7", "2024.06.30", "2023.12.31",
		}, []string{"nightly"}},
		// Bitnami.
		{"bitnami", "semver()", []string{
			"16.2.0-debian-11-r1", "16.1.0", "16.1.0-debian-12-r0", "16.1.0-debian-11-r10",
			"16.1.0-debian-11-r9", "16.1.0-debian-11-r1", "16", "16.0.0-debian-11-r100", "15.9.9",
		}, []string{"latest"}},
		// LinuxServer.
		{"linuxserver", "semver()", []string{
			"v2.0.8.0-2.0.8.0_beta_2023-06-01-ls172",
			"v2.0.7.1-2.0.7.1_beta_2023-05-25-ls172",
			"v2.0.7.1-2.0.7.1_beta_2023-05-25-ls171",
			"v2.0.7.1-2.0.7.1_alpha_2023-05-25-ls180",
			"v2.0.7.1-ls180",
			"v2.0.7.0-2.0.7.0_beta_2023-05-01-ls170",
		}, []string{"version-2.0.7.1", "amd64-latest"}},
		// CI build tags.
		{"ci builds", "prefix('master-', suffix=number())", []string{
			"master-123", "master-99", "master-7", "master-007", "master-0",
		}, []string{"main-500", "master-", "master-1a", "master-1.2", "Master-1", "xmaster-1"}},
		{"ci builds by semver suffix", "prefix('build-')", []string{
			"build-10", "build-9.1", "build-9", "build-9-dirty",
		}, []string{"build-", "build-x", "rebuild-11"}},
		// 14-digit timestamps and numbers of any length.
		{"timestamps", "number()", []string{
			"20240101000000", "20231231235959", "20231231235958", "9",
		}, []string{"2023-12-31", "latest", "1.0", "-1", "1e5", ""}},
		{"timestamps by semver", "semver()", []string{
			"20240101000000", "20240101000000-abc1234", "20231231235959-fff0000",
		}, nil},
		{"long numbers", "number()", []string{
			"123456789012345678901234567890", "123456789012345678901234567889",
			"99999999999999999999", "18446744073709551616", "18446744073709551615",
			"2147483648", "2147483647", "1", "0000000000000000000000000000001", "000", "0",
		}, nil},
		{"long components", "semver()", []string{
			"1.123456789012345678901234567890", "1.99999999999999999999", "1.18446744073709551616.1",
			"1.18446744073709551616", "1.2-rc99999999999999999999", "1.2-rc18446744073709551616",
		}, nil},
		// Leading zeros.
		{"leading zeros", "semver()", []string{"1.10", "1.09", "1.2", "1.02", "1.002", "01.1", "001.1"}, nil},
		{"leading zeros in pieces", "semver()", []string{"1.0-rc10", "1.0-rc010", "1.0-rc9"}, nil},
		// Suffixes made of dots and other characters.
		{"dot suffixes", "semver()", []string{"1.2.3", "1.2.3.a", "1.2.3-", "1.2.3..", "1.2.3."}, nil},
		{"dots only separate pieces", "semver()", []string{"1.0-ab", "1.0-a.b", "1.0-a..b"}, nil},
		{"digit run beats any other piece", "semver()", []string{"1.0-1", "1.0-z", "1.0-Z"}, nil},
		{"digit run beats a later other piece", "semver()", []string{"1.0-x1", "1.0-x_", "1.0-x-"}, nil},
		{"runs of other characters are whole pieces", "semver()", []string{"1.0-_", "1.0--", "1.0-1", "1.0-z"}, nil},
		{"shorter piece list is older", "semver()", []string{"1.0-rc.1.1", "1.0-rc.1", "1.0-rc"}, nil},
		{"pieces byte by byte", "semver()", []string{"1.0-rcb", "1.0-rca", "1.0-rc", "1.0-Z", "1.0-A"}, nil},
		{"letter and other runs are separate pieces", "semver()", []string{"1.0-a-1", "1.0-a-", "1.0-a"}, nil},
		{"non-ASCII is an other piece", "semver()", []string{"1.0-é", "1.0-z", "1.0-rc"}, nil},
		// The leading v.
		{"only lower-case v before a digit is stripped", "semver(allow_no_nums=true)", []string{
			"v2", "1.0", "vnext", "v", "stable", "latest", "V1.0",
		}, []string{"sha256-" + hex64 + ".sig"}},
		{"v stripped once", "semver()", []string{"v10", "v9", "9"}, []string{"vv1", "v", "v.1", ".1", "-1"}},
		// allow_no_nums.
		{"allow_no_nums", "semver(allow_no_nums=true)", []string{
			"1.0", "0", "", "edge", "beta", "alpha",
		}, []string{"sha256-" + hex64, "sha256-" + hex64 + ".att", "sha256-" + hex64 + ".sbom"}},
		// prefix.
		{"prefix literal", "prefix('1.', suffix=number())", []string{"1.10", "1.9"}, []string{"1x5", "2.5", "1.", "1.a"}},
		{"prefix with regex characters", "prefix('v1.2+', suffix=number())", []string{"v1.2+7", "v1.2+6"}, []string{"v1.22+8", "v1.2+x"}},
		{"empty prefix", "prefix('')", []string{"v1.1", "1.0"}, []string{"latest"}},
		{"nested prefix", "prefix('a-', suffix=prefix('b-', suffix=number()))", []string{
			"a-b-10", "a-b-9",
		}, []string{"a-10", "b-a-1", "a-b-", "a-c-1"}},
		{"prefix of a prefix with v", "prefix('app-')", []string{"app-v1.2", "app-1.2", "app-1.1"}, []string{"app-V1.3", "app-next"}},
		// regex.
		{"regex anchors the whole pattern", "regex('foo|bar')", []string{"foo", "bar"}, []string{"xbar", "foox", "fo"}},
		{"regex version group", "regex('(?P<version>[0-9.]+)-alpine')", []string{
			"1.2.10-alpine", "1.2.3-alpine",
		}, []string{"1.2.11", "1.2.12-alpine3.21", "-alpine", "x1.2-alpine"}},
		{"regex version group that matched empty", "regex('(?P<version>[0-9]*)-ci')", []string{"12-ci", "9-ci"}, []string{"-ci"}},
		{"regex version group that did not take part", "regex('(?P<version>[0-9]+)?x')", []string{"10x", "9x"}, []string{"x"}},
		{"regex version group with v", "regex('(?P<version>v[0-9]+)-x')", []string{"v12-x", "v9-x"}, []string{"12-x"}},
		{"regex ties broken by the tag", "regex('(?P<version>[0-9.]+)-(alpine|slim)')", []string{
			"1.2-slim", "1.2-alpine", "1.1-slim",
		}, []string{"1.2-debian"}},
		{"regex without group orders the tag", "regex('v?[0-9]+')", []string{"v10", "10", "v9"}, []string{"va"}},
		{"regex tags without numbers", "regex('[a-z]+')", []string{"zeta", "beta", "alpha"}, []string{"v1", "Beta"}},
		// cosign tags are never kept.
		{"cosign", "regex('.*')", []string{
			"sha256-" + hex64 + ".sig2", "sha256-" + hex64[:63] + ".sig", "latest",
		}, []string{
			"sha256-" + hex64 + ".sig", "sha256-" + hex64 + ".att", "sha256-" + hex64 + ".sbom",
			"sha256-" + hex64, "sha256-" + strings.ToUpper(hex64) + ".sig",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := mustParse(t, tt.filter)
			for _, tag := range tt.newest {
				if !f.Keep(tag) {
					t.Errorf("%s does not keep %q", tt.filter, tag)
				}
			}
			for _, tag := range tt.dropped {
				if f.Keep(tag) {
					t.Errorf("%s keeps %q", tt.filter, tag)
				}
			}
			for i, a := range tt.newest {
				for j, b := range tt.newest {
					want := cmpInt(j, i) // earlier in the list is newer
					if got := sign(f.Compare(a, b)); got != want {
						t.Errorf("Compare(%q, %q) = %d, want %d", a, b, got, want)
					}
					if got := sign(compareKeys(f, a, b)); got != want {
						t.Errorf("key order of %q and %q = %d, want %d", a, b, got, want)
					}
				}
			}
			rng := rand.New(rand.NewPCG(1, uint64(len(tt.name))))
			input := append(slices.Clone(tt.newest), tt.dropped...)
			for range 20 {
				rng.Shuffle(len(input), func(i, j int) { input[i], input[j] = input[j], input[i] })
				if got := f.Sort(input); !slices.Equal(got, tt.newest) {
					t.Fatalf("Sort(%q) =\n%q, want\n%q", input, got, tt.newest)
				}
			}
		})
	}
}

// TestVersionText checks Keep and VersionText against the spec's table.
func TestVersionText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		filter, tag string
		want        string
		kept        bool
	}{
		{"semver()", "1.2.3", "1.2.3", true},
		{"semver()", "v1.2.3", "1.2.3", true},
		{"semver()", "v1.29.0-rc.2", "1.29.0-rc.2", true},
		{"semver()", "1.27.3-alpine3.21", "1.27.3-alpine3.21", true},
		{"semver()", "latest", "", false},
		{"semver()", "V1.2.3", "", false},
		{"semver()", "vnext", "", false},
		{"semver(allow_no_nums=true)", "vnext", "vnext", true},
		{"semver(allow_no_nums=true)", "v1", "1", true},
		{"semver(allow_no_nums=true)", "sha256-" + hex64 + ".sig", "", false},
		{"number()", "007", "007", true},
		{"number()", "20240101000000", "20240101000000", true},
		{"number()", "1.0", "", false},
		{"number()", "v1", "", false},
		{"prefix('master-', suffix=number())", "master-123", "123", true},
		{"prefix('release-')", "release-v1.10", "1.10", true},
		{"prefix('a-', suffix=prefix('b-', suffix=number()))", "a-b-42", "42", true},
		{"prefix('a-', suffix=prefix('b-', suffix=number()))", "a-42", "", false},
		{"regex('(?P<version>[0-9.]+)-alpine')", "1.2.3-alpine", "1.2.3", true},
		{"regex('(?P<version>v[0-9.]+)-alpine')", "v1.2.3-alpine", "v1.2.3", true},
		{"regex('foo|v1.*')", "v1.5", "1.5", true},
		{"regex('foo|v1.*')", "foo", "foo", true},
		{"regex('(?P<version>[0-9]*)-ci')", "-ci", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.filter+" "+tt.tag, func(t *testing.T) {
			t.Parallel()
			f := mustParse(t, tt.filter)
			got, ok := f.VersionText(tt.tag)
			if got != tt.want || ok != tt.kept {
				t.Errorf("VersionText(%q) = %q, %v; want %q, %v", tt.tag, got, ok, tt.want, tt.kept)
			}
			if f.Keep(tt.tag) != tt.kept {
				t.Errorf("Keep(%q) = %v, want %v", tt.tag, !tt.kept, tt.kept)
			}
		})
	}
}

func TestSortDoesNotModifyInputAndDropsDuplicates(t *testing.T) {
	t.Parallel()
	in := []string{"1.0", "2.0", "latest", "1.0", "2.0", "v1.0"}
	orig := slices.Clone(in)
	got := Default().Sort(in)
	if want := []string{"2.0", "v1.0", "1.0"}; !slices.Equal(got, want) {
		t.Errorf("Sort(%q) = %q, want %q", in, got, want)
	}
	if !slices.Equal(in, orig) {
		t.Errorf("Sort modified its input: %q, was %q", in, orig)
	}
	if got := Default().Sort(nil); len(got) != 0 {
		t.Errorf("Sort(nil) = %q, want none", got)
	}
}

func TestCompareTagsNotKept(t *testing.T) {
	t.Parallel()
	f := Default()
	tests := []struct {
		a, b string
		want int
	}{
		{"1.0", "latest", 1},
		{"latest", "1.0", -1},
		{"latest", "edge", 1},
		{"edge", "edge", 0},
	}
	for _, tt := range tests {
		if got := sign(f.Compare(tt.a, tt.b)); got != tt.want {
			t.Errorf("Compare(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func mustParse(t testing.TB, expr string) *Filter {
	t.Helper()
	f, err := Parse(expr)
	if err != nil {
		t.Fatalf("Parse(%q): %v", expr, err)
	}
	return f
}

func sign(c int) int { return cmpInt(c, 0) }

// compareKeys compares two kept tags by their sort keys.
func compareKeys(f *Filter, a, b string) int {
	va, _ := f.VersionText(a)
	vb, _ := f.VersionText(b)
	return strings.Compare(string(appendKey(nil, va, a)), string(appendKey(nil, vb, b)))
}
