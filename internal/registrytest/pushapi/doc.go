// Package pushapi emulates, on loopback, the registry APIs that report
// when a tag was pushed: Docker Hub's, Quay's, Harbor's, Azure Container
// Registry's, ECR's, GitLab's GraphQL and GitHub's packages API, and
// Google's tag-list extension. Each emulator is built from the API's
// public documentation, named beside it, and serves only what the
// provider reads: push times that the tests set, which differ from the
// images' creation times. Each counts its requests and keeps the
// Authorization headers it was sent, so that tests can check which
// credentials went where.
package pushapi
