// Package names parses what people write to name container images: image
// names as in `docker pull` (Repository), references with a tag and digest
// (Reference), registry hosts and their one canonical spelling, tags, and
// platforms.
//
// It knows the naming rules of the OCI distribution specification and of
// Docker Hub, and nothing else: it does no I/O, reads no environment and
// knows nothing of credentials, HTTP or Terraform. Every other part of the
// registry client imports it.
package names
