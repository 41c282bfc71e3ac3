package transport

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// maxLinkValues bounds how many links of a Link header are looked at.
const maxLinkValues = 64

// NextLink returns the target of the rel="next" link in a response's Link
// header values (RFC 8288), resolved against the request's URL; nil when
// there is none. A link without rel counts as next, as registries that
// predate the rel parameter send it. Registries send relative links (GHCR:
// `</v2/…>`, google/go-containerregistry#1102) and absolute ones (ECR, ACR,
// Azure/acr#749); one to another host, or from HTTPS down to plain HTTP, is
// refused. The same host spelled otherwise (`Registry.Example:443`) is the
// same host. The link must point to the same path as base, the
// repository's tag list: a link to another repository's list on the same
// host would be read with this repository's credentials and merged into
// its list, a wrong answer.
func NextLink(values []string, base *url.URL) (*url.URL, error) {
	seen := 0
	for _, header := range values {
		for _, link := range splitLinks(header) {
			if seen++; seen > maxLinkValues {
				return nil, nil
			}
			target, params, _ := strings.Cut(link, ";")
			target = strings.TrimSpace(target)
			if len(target) < 2 || target[0] != '<' || target[len(target)-1] != '>' {
				return nil, fmt.Errorf("the registry sent a malformed Link header %q", Clean(header))
			}
			if !isNextRel(params) {
				continue
			}
			ref, err := url.Parse(target[1 : len(target)-1])
			if err != nil {
				return nil, fmt.Errorf("the registry sent a malformed Link header %q: %w", Clean(header), err)
			}
			u := base.ResolveReference(ref)
			if u.Scheme != base.Scheme {
				return nil, fmt.Errorf("the registry's Link header changes the scheme to %q; refusing to follow it", u.Scheme)
			}
			if names.CanonicalAddress(u) != names.CanonicalAddress(base) {
				return nil, fmt.Errorf("the registry's Link header points to another host (%s); refusing to follow it", u.Host)
			}
			if u.Path != base.Path {
				return nil, fmt.Errorf("the registry's Link header points to another path (%s), not to this repository's tag list (%s); refusing to follow it", Clean(u.Path), Clean(base.Path))
			}
			u.Host = base.Host // keep the spelling that the session's credentials are for
			return u, nil
		}
	}
	return nil, nil
}

// splitLinks splits a Link header at the commas between links, not at the
// commas inside a link's URL or quoted parameters.
func splitLinks(header string) []string {
	var out []string
	inURL, inQuote := false, false
	start := 0
	for i := 0; i < len(header); i++ {
		switch c := header[i]; {
		case inQuote:
			if c == '"' {
				inQuote = false
			}
		case c == '<':
			inURL = true
		case c == '>':
			inURL = false
		case c == '"' && !inURL:
			inQuote = true
		case c == ',' && !inURL:
			if s := strings.TrimSpace(header[start:i]); s != "" {
				out = append(out, s)
			}
			start = i + 1
		}
	}
	if s := strings.TrimSpace(header[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

func isNextRel(params string) bool {
	hasRel := false
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if !strings.EqualFold(strings.TrimSpace(k), "rel") {
			continue
		}
		hasRel = true
		for _, r := range strings.Fields(strings.Trim(strings.TrimSpace(v), `"`)) {
			if strings.EqualFold(r, "next") {
				return true
			}
		}
	}
	return !hasRel
}
