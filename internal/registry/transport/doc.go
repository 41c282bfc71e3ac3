// Package transport is how the registry client sends a request: a stack of
// http.RoundTrippers, one per file (host.go: proxies, TLS, plain HTTP only
// to loopback and listed hosts; log.go; limit.go: the requests in flight
// per registry; retry.go: what is tried again and how long to wait;
// auth.go: one repository's challenges and tokens), the ping that finds a
// registry's scheme and challenge (ping.go), redirects and their
// redaction (redirect.go), and the parsers of what registries send: the
// Link header (link.go), challenges (challenge.go), error bodies and
// statuses (status.go), rate-limit headers (ratelimit.go).
//
// It decides, in one place (kind.go), what kind of failure every error is:
// the retries, the client's mirror fallback and the provider's hints all
// read that Kind. It never holds an answer's body: Body streams one under
// a cap, and Fetch sends a request again when its answer breaks off.
// Text a registry chose reaches an error only through Clean.
//
// It knows names (hosts) and nothing of repositories' tags, manifests,
// credentials' sources or Terraform.
package transport
