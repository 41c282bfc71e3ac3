// Package registry talks to container registries that speak the OCI
// distribution API: it parses image names the way people write them, lists
// every page of a repository's tags, and reads manifest digests (HEAD, or one
// GET of the index when a platform is asked for).
//
// One Client is built per provider run and shared by every data source. It
// remembers each tag list and each digest it has read, and concurrent asks for
// the same thing wait on one request. The package knows nothing of Terraform:
// the provider hands it a LogFunc to route its request log into tflog.
package registry
