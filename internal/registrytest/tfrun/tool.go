package tfrun

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// toolsModule is the tools module's go.mod, relative to the repository root.
var toolsModule = filepath.Join("tools", "go.mod")

var tools sync.Map // name → func() (string, error)

// Tool returns the path of a tool pinned in tools/go.mod ("registry" for
// the CNCF distribution registry, "crane"): the binary that
//
//	go tool -modfile=tools/go.mod -n NAME
//
// builds once into Go's build cache and names. The first build takes a
// minute or two; `make tools` does it ahead of the tests. A failure fails
// the test with the build's output.
func Tool(t testing.TB, name string) string {
	t.Helper()
	v, _ := tools.LoadOrStore(name, sync.OnceValues(func() (string, error) { return goTool(name) }))
	find, ok := v.(func() (string, error))
	if !ok {
		t.Fatalf("tfrun: tool cache holds a %T", v)
	}
	path, err := find()
	if err != nil {
		t.Fatalf("tfrun: %v", err)
	}
	return path
}

// goTool asks the go command for the path of a tool's binary, building it
// if need be. It runs without the test proxy (see [ProxyVariable]), so that the
// go command may fetch modules from its module proxy.
func goTool(name string) (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	cmd := command(context.Background(), root, withoutTestProxy(os.Environ()), "go", "tool", "-modfile="+filepath.Join(root, toolsModule), "-n", name)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s: %w\n%s", cmd, err, stderr.String())
	}
	return strings.TrimSpace(string(out)), nil
}

// ProxyVariable names the environment variable that holds the address of
// the proxy that keeps tests off the internet (registrytest.BlockInternet
// sets both): the go command runs without that proxy, so that it may fetch
// modules.
const ProxyVariable = "REGISTRYTEST_PROXY"

// withoutTestProxy returns env less the proxy variables that point at the
// test proxy, and with GOWORK off (a go.work would not list tools/go.mod).
func withoutTestProxy(env []string) []string {
	testProxy := os.Getenv(ProxyVariable)
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if testProxy != "" && v == testProxy && strings.HasSuffix(strings.ToUpper(k), "_PROXY") {
			continue
		}
		out = append(out, kv)
	}
	return append(out, "GOWORK=off")
}

// repoRoot walks up from the working directory (a test runs in its package's
// directory) to the directory that holds the tools module.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, toolsModule)); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no " + toolsModule + " in the working directory or above it")
		}
		dir = parent
	}
}
