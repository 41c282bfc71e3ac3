// Package release pins goreleaser in a module of its own, so that the
// provider's go.mod carries none of its dependencies. `make release-check`
// runs, from the repository root,
//
//	go tool -modfile=tools/release/go.mod goreleaser check
//
// which validates .goreleaser.yml. To move to another version:
//
//	go -C tools/release get -tool github.com/goreleaser/goreleaser/v2@vX.Y.Z
//
// and check that it builds with the Go on the CI machines: goreleaser
// releases often require the newest Go (v2.18 needs Go 1.27), and v2.17
// imports go.digitalxero.dev/go-msix, which the Go module proxy these
// machines use refuses to serve. Through nfpm's tests, that module is in
// this module's "all" too, so `go mod tidy` fails here; use
// `go mod tidy -e`.
package release
