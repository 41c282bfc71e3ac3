// Package actionlint pins actionlint, the linter for GitHub Actions
// workflows, which checks the workflow files of the CI guide offline. It is a
// module of its own, apart from tools/go.mod, because actionlint builds
// against go.yaml.in/yaml/v4 v4.0.0-rc.3, whose API changed in the later
// release candidate that other tools of tools/go.mod require; one module
// would build only one of them. Run it, from the repository root, as
//
//	go tool -modfile=tools/actionlint/go.mod actionlint FILE...
package actionlint
