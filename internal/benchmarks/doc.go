// Package benchmarks measures the provider as its users meet it: whole
// `terraform plan` runs against real registries on loopback, next to the same
// lookups scripted with go-containerregistry's crane, and the Go hot path of
// listing and selecting from a large repository. It holds no code of its own
// outside its tests; `make bench` runs them. The servers only benchmarks
// need live here too: LatencyProxy (a registry that is 40 ms away, counting
// requests by kind) and NewTagPages (a canned tag list in pages).
//
//   - BenchmarkPlanWorkload starts a CNCF distribution registry with token
//     auth behind a proxy that adds 40 ms to every request (token server
//     included) and counts the requests by kind; seeds 12 repositories of
//     3,500 tags; and times `terraform plan` of 36 registry_latest_tag and 12
//     registry_image_digest (the median of 5, with Terraform's default
//     parallelism and with -parallelism=40), the same plan with the data
//     sources removed, and the same 48 lookups done one at a time with
//     `crane ls`, a `sort -V` ordering and `crane digest`. It prints a
//     Markdown table of the requests, next to the protocol minimum, the wall
//     times, the critical path in round trips, what a model of Terraform's
//     read slots gives for these requests (slotModel), and the requests in
//     flight over time.
//   - BenchmarkLargeRepository plans three registry_latest_tag on one
//     repository of 100,000 tags and reports the provider process's peak
//     resident set size, read from the kernel when the process ends.
//   - BenchmarkManyDataSources plans 500 registry_latest_tag over 100
//     repositories and reports the requests, which must grow linearly with
//     the repositories and the tags asked about, and the provider process's
//     peak resident set size.
//   - BenchmarkHostileRegistry plans against a registry that tries to
//     exhaust the provider's memory (150 tag pages, each with a 4 MiB
//     invalid tag; 16 MiB manifests) and reports the provider's peak
//     resident set size, which must stay under 200 MiB.
//   - BenchmarkListAndSelect100k lists 100,000 tags with registry.Client and
//     selects from them with tagfilter, with allocations.
//
// The plan benchmarks build the provider from this module, and take crane
// from tools/go.mod (tfrun.Tool), with the Go build cache; they need
// Terraform (or OpenTofu) and skip without it, and they run on Linux only. Run them once
// each, as `make bench` does:
//
//	go test -run '^$' -bench 'PlanWorkload|LargeRepository|ManyDataSources|HostileRegistry' -benchtime=1x -timeout 30m ./internal/benchmarks
package benchmarks
