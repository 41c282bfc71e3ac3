// Package registry is the registry client: what to ask of registries that
// speak the OCI distribution API. It lists every page of a repository's
// tags (tags.go, tagpage.go), reads a tag's digest, its platform's digest,
// or what the walk over candidates needs of its image through one resolve
// (resolve.go, manifest.go), falls back to mirrors (mirrors.go), and says
// what failed in one Error with a Kind (errors.go).
//
// It stands on layers that it alone combines, each importing only those
// below it:
//
//   - names: image names, references, hosts, tags and platforms (pure);
//   - runcache: what one provider run remembers;
//   - credentials: whose credentials (auth blocks, the environment,
//     Docker's and Podman's config, credential helpers, the clouds);
//   - transport: how a request is sent (hosts and TLS, the request log,
//     the bound on requests in flight, retries, rate limits, challenges
//     and tokens, Link headers, status errors, the kinds of failure).
//
// One Client is built per provider run and shared by every data source.
// It pings each registry once, asks for one token per repository,
// remembers each tag list and the facts of each digest, manifest and
// config it has read (never a body; concurrent asks for the same thing
// wait on one request), and decodes every answer as it arrives, within
// the caps a hostile registry meets. The package knows nothing of
// Terraform: the provider hands it a LogFunc to route its request log into
// tflog, and turns its errors' kinds into words.
package registry
