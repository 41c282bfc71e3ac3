package pushtime

import (
	"strings"
	"testing"
)

// TestKnown: the public registries are known by host, each with its API;
// every other host has none.
func TestKnown(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]Type{
		"docker.io":                   TypeDockerHub,
		"gcr.io":                      TypeGAR,
		"eu.gcr.io":                   TypeGAR,
		"europe-west1-docker.pkg.dev": TypeGAR,
		"quay.io":                     TypeQuay,
		"acme.azurecr.io":             TypeACR,
		"123456789012.dkr.ecr.eu-west-1.amazonaws.com":      TypeECR,
		"123456789012.dkr.ecr-fips.us-east-1.amazonaws.com": TypeECR,
		"123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn":  TypeECR,
		"registry.gitlab.com":                               TypeGitLab,
		"ghcr.io":                                           TypeGHCR,
		"harbor.example.com":                                TypeNone,
		"quay.example.com":                                  TypeNone,
		"dkr.ecr.eu-west-1.amazonaws.com":                   TypeNone,
		"127.0.0.1:5000":                                    TypeNone,
	} {
		if got := Known(host).Type; got != want {
			t.Errorf("Known(%q) = %q, want %q", host, got, want)
		}
	}
}

// TestBaseURL: the public APIs' hosts, the registry's own host otherwise,
// and a configured URL over both.
func TestBaseURL(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		api      API
		registry string
		want     string
	}{
		{API{Type: TypeDockerHub}, "docker.io", "https://hub.docker.com"},
		{API{Type: TypeGHCR}, "ghcr.io", "https://api.github.com"},
		{API{Type: TypeGitLab}, "registry.gitlab.com", "https://gitlab.com"},
		{API{Type: TypeGitLab}, "gitlab.example.com", "https://gitlab.example.com"},
		{API{Type: TypeHarbor}, "harbor.example.com:8443", "https://harbor.example.com:8443"},
		{API{Type: TypeHarbor, URL: "https://api.example.com/harbor/"}, "harbor.example.com", "https://api.example.com/harbor"},
	} {
		if got := c.api.baseURL(c.registry); got != c.want {
			t.Errorf("%+v on %s: base URL %q, want %q", c.api, c.registry, got, c.want)
		}
	}
}

// TestCheck: a configured API is refused, naming the field, for an
// unknown type, a URL that is not http(s) or carries credentials, and a
// token for an API that uses the registry's own credentials.
func TestCheck(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		api  API
		want string
	}{
		{API{Type: "artifactory"}, `type "artifactory" is not one of`},
		{API{Type: TypeHarbor, URL: "ftp://harbor.example.com"}, "url"},
		{API{Type: TypeHarbor, URL: "https://user:pw@harbor.example.com"}, "url"},
		{API{Type: TypeHarbor, URL: "harbor.example.com"}, "url"},
		{API{Type: TypeHarbor, Token: "x"}, "token is taken by the ghcr, gitlab and quay APIs only"},
		{API{Type: TypeGitLab, URL: "https://gitlab.example.com", Token: "glpat"}, ""},
		{API{Type: TypeNone}, ""},
	} {
		err := c.api.Check()
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), strings.Fields(c.want)[0]) || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("Check(%+v) = %v, want %q", c.api, err, c.want)
		}
	}
}
