// Package separate pins the two tools that cannot share tools/go.mod's
// dependency versions:
//
//   - OpenTofu (tofu), so that the acceptance tests, the docs and the demo run
//     under OpenTofu as well as Terraform. OpenTofu's own go.mod replaces
//     github.com/hashicorp/hcl/v2 with its fork github.com/opentofu/hcl/v2;
//     a replace directive only counts in the main module, so this module
//     repeats it, and it would change hcl for every tool of tools/go.mod
//     (terraform-plugin-docs and golangci-lint build against hashicorp's hcl).
//   - actionlint, the linter for GitHub Actions workflows, which checks the
//     workflow files of the CI guide offline. It builds against
//     go.yaml.in/yaml/v4 v4.0.0-rc.3, whose API changed in the later release
//     candidate that tools of tools/go.mod require.
//
// The two share golang.org/x modules, at the versions actionlint asks for,
// newer than OpenTofu's release pins. Run them, from the repository root, as
//
//	go tool -modfile=tools/separate/go.mod tofu
//	go tool -modfile=tools/separate/go.mod actionlint FILE...
//
// To move to another OpenTofu release, copy the replace directive of that
// release's go.mod here, then `go get -modfile=tools/separate/go.mod -tool
// github.com/opentofu/opentofu/cmd/tofu@vX.Y.Z`.
package separate
