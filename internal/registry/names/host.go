package names

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// DockerHub is the registry host that a name without a host refers to, in
// the one spelling every part of the provider uses for it.
const DockerHub = "docker.io"

// dockerHubAPI is the host that answers Docker Hub's distribution API
// (go-containerregistry's name.DefaultRegistry).
const dockerHubAPI = name.DefaultRegistry

// CanonicalHost returns the one spelling of a registry host that the client
// keys everything by: lower case, without the trailing dot of a fully
// qualified name (`ghcr.io.`), without HTTPS's default port (`:443`), and
// with Docker Hub's aliases (`index.docker.io`, `registry-1.docker.io`)
// folded into DockerHub. The host must have passed CheckRegistryHost.
func CanonicalHost(h string) string {
	h = strings.ToLower(h)
	hostname, port := h, ""
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.HasSuffix(h, "]") {
		hostname, port = h[:i], h[i:]
	}
	if port == ":443" {
		port = ""
	}
	h = strings.TrimSuffix(hostname, ".") + port
	switch h {
	case "docker.io", "index.docker.io", "registry-1.docker.io":
		return DockerHub
	}
	return h
}

// APIHost returns the host that serves a canonical registry host's
// distribution API: Docker Hub's is not docker.io.
func APIHost(host string) string {
	if host == DockerHub {
		return dockerHubAPI
	}
	return host
}

// CheckRegistryHost reports whether host can stand alone as a registry
// ("ghcr.io", "127.0.0.1:5000", "[::1]:5000"), with an error that says what
// to write. A port is 1-65535, written without leading zeros.
func CheckRegistryHost(host string) error {
	if host != strings.TrimSpace(host) || host == "" {
		return fmt.Errorf("registry %q is not a host name: give a host such as \"ghcr.io\" or \"127.0.0.1:5000\"", host)
	}
	if i := strings.Index(host, "://"); i >= 0 {
		return fmt.Errorf("registry %q holds a URL scheme: remove %q and give only the host", host, host[:i+3])
	}
	if strings.ContainsAny(host, "/@") {
		return fmt.Errorf("registry %q is not a host name: give only the host (and port), and put the path in image", host)
	}
	if strings.Count(host, ":") > 1 && !strings.HasPrefix(host, "[") {
		return fmt.Errorf("registry %q looks like an IPv6 address without brackets: write it as \"[%s]\", with the port after the bracket (\"[::1]:5000\")", host, host)
	}
	if err := checkPort(host); err != nil {
		return err
	}
	if _, err := name.NewRegistry(CanonicalHost(host)); err != nil {
		return fmt.Errorf("registry %q is not a host name: %w", host, err)
	}
	return nil
}

// checkPort checks the port of a host, when it has one: a number from 1
// to 65535 without leading zeros, so that one registry has one spelling.
func checkPort(host string) error {
	i := strings.LastIndexByte(host, ':')
	if i < 0 || strings.HasSuffix(host, "]") {
		return nil
	}
	port := host[i+1:]
	n, err := strconv.Atoi(port)
	switch {
	case port == "":
		return fmt.Errorf("registry %q has an empty port: remove the colon, or give the port (\"%s443\")", host, host)
	case err != nil || strings.HasPrefix(port, "+") || strings.HasPrefix(port, "-"):
		return fmt.Errorf("registry %q has the port %q, which is not a number: give a port from 1 to 65535", host, port)
	case n < 1 || n > 65535:
		return fmt.Errorf("registry %q has the port %s, outside 1-65535: give a port in that range", host, port)
	case port[0] == '0':
		return fmt.Errorf("registry %q has the port %q with a leading zero: write it as %d", host, port, n)
	}
	return nil
}

// IsLoopback reports whether a registry host (with or without port) is a
// loopback address: localhost, 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	h := strings.ToLower(host)
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	h = strings.TrimSuffix(strings.Trim(h, "[]"), ".")
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// CanonicalAddress returns "host:port" for a URL, lower-cased, with the
// scheme's default port filled in, so that two spellings of one address
// compare equal.
func CanonicalAddress(u *url.URL) string {
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return net.JoinHostPort(host, port)
}
