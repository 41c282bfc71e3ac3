// Package registrytest starts real container registries on loopback for the
// provider's tests and fills them with small images.
//
// Its jobs are split by package: this one holds the registries, the images
// pushed to them, the Docker config files and credential helpers that reach
// them ([DockerConfig], [CredentialHelper]), and the TestMain every test
// binary shares ([Main], which keeps tests off the internet with
// [BlockInternet]); package faults puts registry quirks and failures in
// front of them; package tfrun runs Terraform, the provider build and the
// tools pinned in tools/go.mod. Servers that only benchmarks use live with
// the benchmarks.
//
// Two kinds of registry are on offer, behind one type, [Registry]:
//
//   - [NewInProcess] serves go-containerregistry's pkg/registry with
//     net/http/httptest on 127.0.0.1. It starts in microseconds, keeps
//     everything in memory and counts the requests it serves by kind
//     ([RequestCounts]).
//   - [NewDistribution] runs the CNCF distribution registry
//     (github.com/distribution/distribution/v3, cmd/registry) as a child
//     process, optionally with TLS ([WithTLS]), htpasswd basic auth
//     ([WithBasicAuth]) or Docker token auth ([WithTokenAuth]). Its version is
//     pinned in tools/go.mod; see tfrun.Tool for how the binary is found or
//     built.
//
// Both are stopped by t.Cleanup. The helpers [Registry.PushImage],
// [Registry.PushIndex], [Registry.PushTags] and [Registry.Retag] build OCI
// images in memory (a single layer of a few hundred random bytes) and push
// them; [Registry.RemoteOptions] gives go-containerregistry's remote package
// the transport and credentials that reach the registry.
//
// # Tag list pagination
//
// Both kinds page /v2/<name>/tags/list the way distribution v3 does, so a
// client that follows Link headers can be tested on either:
//
//   - A request without n gets every tag in one response.
//   - With n, a response holds at most n tags, sorted, starting after last.
//     distribution also caps n at its tags.maxtags, 1000 unless set with
//     [WithMaxTags]: an n above it is clamped, not rejected. The in-process
//     registry has no cap.
//   - A full page carries a Link header relative to the registry, with n as
//     clamped and the page's final tag as last:
//     </v2/<name>/tags/list?last=<tag>&n=<n>>; rel="next". A list that ends
//     exactly on a page boundary therefore costs one more request, which
//     returns an empty list and no Link.
//   - n=0 returns an empty list; a negative or non-numeric n is a 400
//     PAGINATION_NUMBER_INVALID.
//
// go-containerregistry's registry on its own honours n but sends no Link
// and restarts the list when last is at or after the final tag, so
// [NewInProcess] cuts the pages itself in front of it.
package registrytest
