package pushtime

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// Type names a registry API that reports push times.
type Type string

// The APIs, as the provider's registry_api names them.
const (
	TypeDockerHub Type = "dockerhub"
	TypeGAR       Type = "gar"
	TypeQuay      Type = "quay"
	TypeHarbor    Type = "harbor"
	TypeACR       Type = "acr"
	TypeECR       Type = "ecr"
	TypeGitLab    Type = "gitlab"
	TypeGHCR      Type = "ghcr"
	TypeNone      Type = "none"
)

// Types lists every Type, in the order the docs give them.
var Types = []Type{TypeDockerHub, TypeGAR, TypeQuay, TypeHarbor, TypeACR, TypeECR, TypeGitLab, TypeGHCR, TypeNone}

// Title is the API's name in messages.
func (t Type) Title() string {
	switch t {
	case TypeDockerHub:
		return "Docker Hub API"
	case TypeGAR:
		return "Google tag list"
	case TypeQuay:
		return "Quay API"
	case TypeHarbor:
		return "Harbor API"
	case TypeACR:
		return "Azure Container Registry API"
	case TypeECR:
		return "ECR API"
	case TypeGitLab:
		return "GitLab API"
	case TypeGHCR:
		return "GitHub Packages API"
	}
	return "no API"
}

// API is one registry's push-time API: its type, its base URL ("" for the
// type's default) and, for the APIs that take a token of their own
// (GitHub, GitLab, Quay), that token.
type API struct {
	Type  Type
	URL   string
	Token string
}

// ecrHost matches an ECR registry host: <account>.dkr.ecr.<region>.amazonaws.com
// (and .amazonaws.com.cn), with the FIPS spelling dkr.ecr-fips.
var ecrHost = regexp.MustCompile(`^[0-9]{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$`)

// Known returns the API of a registry host that needs no configuration:
// Docker Hub, Google's registries, Quay.io, ACR, ECR, GitLab.com and GHCR;
// TypeNone for every other host.
func Known(host string) API {
	switch {
	case host == names.DockerHub:
		return API{Type: TypeDockerHub}
	case isGoogle(host):
		return API{Type: TypeGAR}
	case host == "quay.io":
		return API{Type: TypeQuay}
	case strings.HasSuffix(host, ".azurecr.io"):
		return API{Type: TypeACR}
	case ecrHost.MatchString(host):
		return API{Type: TypeECR}
	case host == "registry.gitlab.com":
		return API{Type: TypeGitLab}
	case host == "ghcr.io":
		return API{Type: TypeGHCR}
	}
	return API{Type: TypeNone}
}

// isGoogle reports whether host is Container Registry (gcr.io, *.gcr.io) or
// Artifact Registry (*-docker.pkg.dev).
func isGoogle(host string) bool {
	return host == "gcr.io" || strings.HasSuffix(host, ".gcr.io") || strings.HasSuffix(host, "-docker.pkg.dev")
}

// baseURL returns the API's base URL, without a trailing slash: the
// configured one, else the type's public API, else the registry's own
// host over HTTPS.
func (a API) baseURL(registry string) string {
	if a.URL != "" {
		return strings.TrimSuffix(a.URL, "/")
	}
	switch a.Type {
	case TypeDockerHub:
		return "https://hub.docker.com"
	case TypeGitLab:
		if registry == "registry.gitlab.com" {
			return "https://gitlab.com"
		}
	case TypeGHCR:
		return "https://api.github.com"
	}
	return "https://" + names.APIHost(registry)
}

// CheckFor reports what is wrong with the API configured for registry,
// naming the field: Check's rules, and a url for the public APIs on another
// host, so that registry's credentials (Hub's login, a GitHub token) never
// go to Docker Hub or GitHub for a registry that is not theirs.
func (a API) CheckFor(registry string) error {
	if err := a.Check(); err != nil {
		return err
	}
	switch {
	case a.URL != "":
	case a.Type == TypeDockerHub && registry != names.DockerHub:
		return fmt.Errorf("url is required for type \"dockerhub\" on %s, which is not Docker Hub: give the URL of the Hub API it mirrors, or use type \"none\"", registry)
	case a.Type == TypeGHCR && registry != "ghcr.io":
		return fmt.Errorf("url is required for type \"ghcr\" on %s, which is not ghcr.io: give its GitHub API URL, such as \"https://github.example.com/api/v3\"", registry)
	}
	return nil
}

// Check reports what is wrong with a configured API, naming the field.
func (a API) Check() error {
	if !slices.Contains(Types, a.Type) {
		return fmt.Errorf("type %q is not one of %s", a.Type, typeList())
	}
	if a.URL != "" {
		u, err := url.Parse(a.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("url %q is not an http or https URL without credentials, query or fragment, such as \"https://harbor.example.com\"", a.URL)
		}
	}
	if a.Token != "" && a.Type != TypeGHCR && a.Type != TypeGitLab && a.Type != TypeQuay {
		return fmt.Errorf("token is taken by the ghcr, gitlab and quay APIs only: %s uses the registry's own credentials", a.Type)
	}
	return nil
}

func typeList() string {
	quoted := make([]string, len(Types))
	for i, t := range Types {
		quoted[i] = fmt.Sprintf("%q", t)
	}
	return strings.Join(quoted, ", ")
}
