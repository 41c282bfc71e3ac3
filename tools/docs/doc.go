// Package docs pins the documentation generator, tfplugindocs, in a module of
// its own so that the provider's go.mod carries none of its dependencies.
// Run it with `go generate ./...` from the repository root.
package docs
