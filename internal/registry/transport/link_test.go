package transport

import (
	"net/url"
	"strings"
	"testing"
)

func TestNextLink(t *testing.T) {
	t.Parallel()
	base, err := url.Parse("https://registry.example:5000/v2/team/app/tags/list?n=1000")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		header []string
		want   string // "" for none
		err    string
	}{
		{"none", nil, "", ""},
		{"relative, as GHCR and distribution send it", []string{`</v2/team/app/tags/list?last=b&n=1000>; rel="next"`}, "https://registry.example:5000/v2/team/app/tags/list?last=b&n=1000", ""},
		{"absolute, as ECR and ACR send it", []string{`<https://registry.example:5000/v2/team/app/tags/list?last=b>; rel="next"`}, "https://registry.example:5000/v2/team/app/tags/list?last=b", ""},
		{"the host spelled in upper case", []string{`<https://REGISTRY.example:5000/v2/team/app/tags/list?last=b>; rel="next"`}, "https://registry.example:5000/v2/team/app/tags/list?last=b", ""},
		{"without rel", []string{`</v2/team/app/tags/list?last=b>`}, "https://registry.example:5000/v2/team/app/tags/list?last=b", ""},
		{"rel in upper case, unquoted, among others", []string{`</v2/team/app/tags/list?last=b>; REL=next`}, "https://registry.example:5000/v2/team/app/tags/list?last=b", ""},
		{"only a prev link", []string{`</v2/team/app/tags/list?last=a>; rel="prev"`}, "", ""},
		{"prev then next in one header", []string{`</v2/team/app/tags/list?last=a>; rel="prev", </v2/team/app/tags/list?last=c>; rel="next"`}, "https://registry.example:5000/v2/team/app/tags/list?last=c", ""},
		{"a comma inside the URL", []string{`</v2/team/app/tags/list?last=a,b>; rel="next"`}, "https://registry.example:5000/v2/team/app/tags/list?last=a,b", ""},
		{"another host", []string{`<https://elsewhere.example/v2/team/app/tags/list>; rel="next"`}, "", "points to another host (elsewhere.example)"},
		{"another port", []string{`<https://registry.example:6000/v2/team/app/tags/list>; rel="next"`}, "", "points to another host"},
		{"down to plain HTTP", []string{`<http://registry.example:5000/v2/team/app/tags/list>; rel="next"`}, "", "changes the scheme"},
		{"another repository's list on the same host", []string{`</v2/other/secret/tags/list>; rel="next"`}, "", "points to another path (/v2/other/secret/tags/list)"},
		{"a path that climbs out", []string{`</v2/team/app/tags/../../../other/tags/list?last=a>; rel="next"`}, "", "points to another path"},
		{"another API of the same repository", []string{`</v2/team/app/manifests/latest>; rel="next"`}, "", "not to this repository's tag list"},
		{"not in angle brackets", []string{`/v2/x; rel="next"`}, "", "malformed Link header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := NextLink(tt.header, base)
			switch {
			case tt.err != "":
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("NextLink(%q) = %v, %v; want an error saying %q", tt.header, got, err, tt.err)
				}
			case err != nil:
				t.Errorf("NextLink(%q): %v", tt.header, err)
			case tt.want == "" && got != nil:
				t.Errorf("NextLink(%q) = %s, want none", tt.header, got)
			case tt.want != "" && (got == nil || got.String() != tt.want):
				t.Errorf("NextLink(%q) = %v, want %s", tt.header, got, tt.want)
			}
		})
	}
}

// TestNextLinkDefaultPort: the default port written out is the same host.
func TestNextLinkDefaultPort(t *testing.T) {
	t.Parallel()
	base, _ := url.Parse("https://registry.example/v2/x/tags/list")
	got, err := NextLink([]string{`<https://registry.example:443/v2/x/tags/list?last=a>; rel="next"`}, base)
	if err != nil || got == nil || got.Host != "registry.example" {
		t.Errorf("nextLink = %v, %v; want the page on registry.example", got, err)
	}
}

func FuzzNextLink(f *testing.F) {
	for _, s := range []string{`</v2/x?last=b&n=1000>; rel="next"`, `<https://h/v2/x>`, `<a>, <b>; rel=next`, `<`, `,,`, `<"x">; a="b,c"`} {
		f.Add(s)
	}
	base, _ := url.Parse("https://registry.example/v2/x/tags/list")
	f.Fuzz(func(t *testing.T, header string) {
		u, err := NextLink([]string{header}, base)
		if err != nil || u == nil {
			return
		}
		if u.Scheme != base.Scheme || u.Host != base.Host {
			t.Fatalf("NextLink(%q) = %s: left %s", header, u, base.Host)
		}
	})
}
