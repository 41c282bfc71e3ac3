//go:build !linux

package benchmarks

// runProviderWrapper reports false: the plan benchmarks, which wrap the
// provider to read its peak memory, run on Linux only.
func runProviderWrapper() (code int, ok bool) {
	return 0, false
}
