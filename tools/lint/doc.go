// Package lint pins golangci-lint (v2) in a module of its own, so that the
// provider's go.mod carries none of its dependencies. Run it with
// `make lint` from the repository root, which runs
//
//	go tool -modfile=tools/lint/go.mod golangci-lint run ./...
//
// with the linters that .golangci.yml enables. To move to another version:
//
//	go -C tools/lint get -tool github.com/golangci/golangci-lint/v2/cmd/golangci-lint@vX.Y.Z
//
// and check that it builds with the Go this repository requires.
package lint
