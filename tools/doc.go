// Package tools pins the programs the project builds with and tests
// against, with the tool directives of its go.mod, so that the provider's
// own go.mod carries none of their dependencies:
//
//   - tfplugindocs (terraform-plugin-docs) generates docs/: `make generate`;
//   - golangci-lint checks the code with the linters of .golangci.yml:
//     `make lint`;
//   - goreleaser checks .goreleaser.yml and builds releases:
//     `make release-check`;
//   - registry is the CNCF distribution registry that the tests, the
//     benchmarks and the demo start (internal/registrytest);
//   - crane is go-containerregistry's CLI, the baseline of the benchmarks.
//
// Every tool runs one way, from the repository root:
//
//	go tool -modfile=tools/go.mod NAME [ARGS]
//
// and `go tool -modfile=tools/go.mod -n NAME` prints the path of its binary,
// built once into Go's build cache. To move a tool to another version:
//
//	go get -modfile=tools/go.mod -tool PACKAGE@VERSION
//
// then build every tool (`make tools`) with the Go this repository requires.
// goreleaser releases often need the newest Go (v2.18 needs Go 1.27), and
// v2.17 imports go.digitalxero.dev/go-msix, which the Go module proxy these
// machines use refuses to serve. Through nfpm's tests that module is in this
// module's "all" even now, so `go mod tidy` fails here: use `go mod tidy -e`.
package tools
