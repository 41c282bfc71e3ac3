// Package credentials finds whose credentials a repository is read with:
// the provider's auth blocks, the REGISTRY_AUTH_* environment, the Docker
// config in DOCKER_AUTH_CONFIG, the Docker or Podman config file and the
// credential helpers it names (found on PATH only, their names checked),
// and the clouds' keychains (ECR, Google, GHCR's GITHUB_TOKEN), in that
// order; else anonymous. Credential.Check is the one rule of what a
// complete credential is.
//
// It knows names and nothing of HTTP requests to registries, retries or
// Terraform; a cloud's own API calls are bounded by the read's context.
package credentials
