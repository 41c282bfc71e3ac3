// Package pushtime reads when a registry received a tag (its push time)
// from the registry's own API: Docker Hub's, Quay's, Harbor's, Azure
// Container Registry's, ECR's, GitLab's and GitHub's. Google's registries
// report it in the tag list itself, which the client reads.
//
// Whoever publishes an image sets its creation time; only the registry
// sets its push time, which is what a cooling-off period (min_age) should
// count from.
//
// It knows the APIs' URLs, answers and credentials, and how to tell one
// API from another by registry host (Known). It sends every request
// through the client's transport (retries, rate limits, the bound on
// requests in flight, the request log) and gets the registry's
// credentials from the client; it sends each credential only to the API
// it belongs to. It knows nothing of Terraform.
package pushtime
