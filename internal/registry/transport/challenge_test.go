package transport

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseChallenges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header []string
		want   []challenge
	}{
		{"Docker Hub bearer", []string{`Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"`},
			[]challenge{{"bearer", map[string]string{"realm": "https://auth.docker.io/token", "service": "registry.docker.io", "scope": "repository:library/nginx:pull"}}}},
		// Artifactory's realm is not a URL (renovatebot/renovate#35917).
		{"Artifactory basic", []string{`Basic realm="Artifactory Realm"`},
			[]challenge{{"basic", map[string]string{"realm": "Artifactory Realm"}}}},
		// Forgejo and Codeberg send two challenges in one header
		// (renovatebot/renovate#41813).
		{"two challenges in one header", []string{`Bearer realm="https://codeberg.org/v2/token",service="container_registry",scope="*", Basic realm="Forgejo"`},
			[]challenge{
				{"bearer", map[string]string{"realm": "https://codeberg.org/v2/token", "service": "container_registry", "scope": "*"}},
				{"basic", map[string]string{"realm": "Forgejo"}},
			}},
		// nvcr.io sends no service (renovatebot/renovate#17294).
		{"no service", []string{`Bearer realm="https://nvcr.io/proxy_auth"`},
			[]challenge{{"bearer", map[string]string{"realm": "https://nvcr.io/proxy_auth"}}}},
		{"two headers", []string{`Basic realm="a"`, `Bearer realm="b"`},
			[]challenge{{"basic", map[string]string{"realm": "a"}}, {"bearer", map[string]string{"realm": "b"}}}},
		{"case, spaces and escapes", []string{` BEARER  Realm = "https://x/\"t\"" , Service=reg `},
			[]challenge{{"bearer", map[string]string{"realm": `https://x/"t"`, "service": "reg"}}}},
		{"scheme alone", []string{`Basic`}, []challenge{{"basic", map[string]string{}}}},
		{"unterminated quote", []string{`Bearer realm="https://x`}, []challenge{{"bearer", map[string]string{"realm": "https://x"}}}},
		{"garbage", []string{`"=,=`}, nil},
		{"empty", []string{""}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := parseChallenges(tt.header); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseChallenges(%q) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

func TestPickChallenge(t *testing.T) {
	t.Parallel()
	chs := parseChallenges([]string{`Basic realm="b", Bearer service="no realm", Bearer realm="https://t"`})
	if got, ok := pickChallenge(chs); !ok || got.scheme != "bearer" || got.params["realm"] != "https://t" {
		t.Errorf("pickChallenge = %v, %v; want the bearer challenge with a realm", got, ok)
	}
	if got, ok := pickChallenge(parseChallenges([]string{`Basic realm="b"`})); !ok || got.scheme != "basic" {
		t.Errorf("pickChallenge = %v, %v; want basic", got, ok)
	}
	if _, ok := pickChallenge(parseChallenges([]string{`Negotiate`})); ok {
		t.Error("pickChallenge accepted a scheme the provider cannot answer")
	}
}

// TestParseChallengesLinear: hostile headers of 2 MiB are parsed in well
// under a second each (go-containerregistry's parser took 9.4 s for 560 KB).
func TestParseChallengesLinear(t *testing.T) {
	t.Parallel()
	for _, h := range []string{
		"Bearer " + strings.Repeat(`a=b,`, 512<<10),
		"Bearer " + strings.Repeat(`a=", `, 512<<10),
		strings.Repeat("Bearer, ", 256<<10),
		`Bearer realm="` + strings.Repeat(`\"`, 1<<20),
	} {
		start := time.Now()
		chs := parseChallenges([]string{h})
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("a %d-byte header took %s", len(h), took)
		}
		if len(chs) > maxChallenges {
			t.Errorf("%d challenges kept, want at most %d", len(chs), maxChallenges)
		}
		for _, ch := range chs {
			if len(ch.params) > maxChallengeParams {
				t.Errorf("%d parameters kept, want at most %d", len(ch.params), maxChallengeParams)
			}
		}
	}
}

func FuzzParseChallenges(f *testing.F) {
	for _, s := range []string{
		`Bearer realm="https://auth.docker.io/token",service="registry.docker.io"`,
		`Basic realm="Artifactory Realm"`,
		`Bearer realm="x",service="y", Basic realm="z"`,
		`Bearer realm="a\"b`, ``, `,,,`, `a=b`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, ch := range parseChallenges([]string{s}) {
			if ch.scheme == "" || ch.scheme != strings.ToLower(ch.scheme) {
				t.Fatalf("scheme %q is empty or not lower-case", ch.scheme)
			}
			if len(ch.params) > maxChallengeParams {
				t.Fatalf("%d parameters", len(ch.params))
			}
			for k := range ch.params {
				if k == "" || k != strings.ToLower(k) {
					t.Fatalf("parameter name %q is empty or not lower-case", k)
				}
			}
		}
	})
}
