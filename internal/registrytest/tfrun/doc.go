// Package tfrun runs the programs the tests need as whole processes:
// Terraform or OpenTofu ([TerraformPath], [Workspace]), the provider built
// from this repository ([ProviderBuild]), and the tools pinned in
// tools/go.mod ([Tool]: the CNCF distribution registry, crane). Every
// command runs under a timeout, in a process group of its own on Linux, so
// that nothing it starts outlives the test.
//
// It knows nothing of registries: it is the lowest layer of the test
// helpers, and package registrytest builds on it.
package tfrun
