package credentials

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// EnvPrefix starts the environment variables that give credentials without a
// file: REGISTRY_AUTH[_<LABEL>]_REGISTRY, _USERNAME, _PASSWORD and _TOKEN.
const EnvPrefix = "REGISTRY_AUTH_"

// FromEnv reads credentials from the environment (environ is
// os.Environ()): groups of REGISTRY_AUTH_<LABEL>_REGISTRY with _USERNAME and
// _PASSWORD, or _TOKEN, where the label may be empty (REGISTRY_AUTH_REGISTRY,
// REGISTRY_AUTH_USERNAME, ...) or any name (REGISTRY_AUTH_GHCR_REGISTRY, ...),
// so a pipeline can log in to several registries with no file.
func FromEnv(environ []string) (map[string]Credential, error) {
	type group struct{ registry, username, password, token string }
	groups := map[string]*group{}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(k, EnvPrefix) {
			continue
		}
		rest := strings.TrimPrefix(k, EnvPrefix)
		for _, field := range []string{"REGISTRY", "USERNAME", "PASSWORD", "TOKEN"} {
			if rest != field && !strings.HasSuffix(rest, "_"+field) {
				continue
			}
			label := strings.TrimSuffix(strings.TrimSuffix(rest, field), "_")
			g := groups[label]
			if g == nil {
				g = &group{}
				groups[label] = g
			}
			switch field {
			case "REGISTRY":
				g.registry = v
			case "USERNAME":
				g.username = v
			case "PASSWORD":
				g.password = v
			case "TOKEN":
				g.token = v
			}
			break
		}
	}
	labels := make([]string, 0, len(groups))
	for l := range groups {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	out := map[string]Credential{}
	for _, label := range labels {
		g := groups[label]
		prefix := EnvPrefix
		if label != "" {
			prefix += label + "_"
		}
		cred := Credential{Username: g.username, Password: g.password, Token: g.token}
		switch err := cred.Check(); {
		case g.registry == "":
			return nil, fmt.Errorf("environment: %sUSERNAME, %sPASSWORD or %sTOKEN is set but %sREGISTRY is not: set it to the registry host the credentials are for", prefix, prefix, prefix, prefix)
		case errors.Is(err, ErrPasswordAndToken):
			return nil, fmt.Errorf("environment: both %sPASSWORD and %sTOKEN are set for %q: set only one", prefix, prefix, g.registry)
		case err != nil:
			return nil, fmt.Errorf("environment: %sREGISTRY is %q but the credentials are incomplete: set both %sUSERNAME and %sPASSWORD, or %sTOKEN", prefix, g.registry, prefix, prefix, prefix)
		}
		if err := names.CheckRegistryHost(g.registry); err != nil {
			return nil, fmt.Errorf("environment: %sREGISTRY: %w", prefix, err)
		}
		host := names.CanonicalHost(g.registry)
		if _, dup := out[host]; dup {
			return nil, fmt.Errorf("environment: credentials for %q are set more than once (%sREGISTRY and another group): keep one", g.registry, prefix)
		}
		out[host] = cred
	}
	return out, nil
}
