// Package tofu pins OpenTofu, so that the acceptance tests and the demo run
// under OpenTofu as well as Terraform. It is a module of its own, apart from
// tools/go.mod, because OpenTofu's own go.mod replaces
// github.com/hashicorp/hcl/v2 with its fork github.com/opentofu/hcl/v2; a
// replace directive only counts in the main module, so this module repeats
// it, and it would change hcl for every other tool if it stood in
// tools/go.mod (terraform-plugin-docs and golangci-lint build against
// hashicorp's hcl). Run it, from the repository root, as
//
//	go tool -modfile=tools/tofu/go.mod tofu
//
// To move to another OpenTofu release, copy the replace directive of that
// release's go.mod here, then `go get -modfile=tools/tofu/go.mod -tool
// github.com/opentofu/opentofu/cmd/tofu@vX.Y.Z`.
package tofu
