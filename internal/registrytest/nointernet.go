package registrytest

import "os"

// BlockInternet points the proxy variables at an address on loopback where
// nothing listens, so that any request the code under test makes to a host
// that is not on loopback fails at once instead of reaching the internet
// (Go never proxies requests to loopback hosts). Call it from TestMain,
// before the tests run.
func BlockInternet() {
	for _, v := range []string{"HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"} {
		_ = os.Setenv(v, "http://127.0.0.1:9")
	}
	for _, v := range []string{"NO_PROXY", "no_proxy"} {
		_ = os.Unsetenv(v)
	}
}
