// Package registry talks to container registries that speak the OCI
// distribution API: it parses image names the way people write them, finds
// credentials (auth blocks, environment, Docker's config and credential
// helpers, cloud keychains), lists every page of a repository's tags, and
// reads manifest digests (HEAD, or one GET of the index when a platform is
// asked for).
//
// One Client is built per provider run and shared by every data source. It
// pings each registry once, asks for one token per repository, remembers
// each tag list and each digest it has read (concurrent asks for the same
// thing wait on one request), bounds the requests in flight per registry,
// and retries what may pass (408, 429, 5xx, dropped connections) within the
// caller's deadline. The package knows nothing of Terraform: the provider
// hands it a LogFunc to route its request log into tflog.
package registry
