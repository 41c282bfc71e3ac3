package registrytest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// BinaryEnv names the environment variable that gives the path of a
// prebuilt distribution registry binary (the Makefile builds one into
// .bin/registry). When it is unset, [NewDistribution] builds the binary
// itself, once per test process, with
//
//	go -C tools/registry build -o <path> github.com/distribution/distribution/v3/cmd/registry
//
// into tools/registry/bin/, named after a hash of the tools module's go.mod
// and go.sum and the Go version, so an up-to-date binary is reused by later
// runs and parallel test processes. The first build takes a minute or two;
// later ones are instant.
const BinaryEnv = "REGISTRYTEST_DISTRIBUTION_BIN"

// distributionPackage is the main package of the distribution registry; its
// version is pinned in tools/registry/go.mod.
const distributionPackage = "github.com/distribution/distribution/v3/cmd/registry"

// toolsModuleDir is the tools module, relative to the repository root.
var toolsModuleDir = filepath.Join("tools", "registry")

var built struct {
	once sync.Once
	path string
	err  error
}

// distributionBinary returns the path of the distribution registry binary,
// building it if need be. A failed build fails the test with the build's
// output.
func distributionBinary(t testing.TB) string {
	t.Helper()
	if path := os.Getenv(BinaryEnv); path != "" {
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("registrytest: %s: %v", BinaryEnv, err)
		}
		return path
	}
	built.once.Do(func() {
		built.path, built.err = buildDistribution()
	})
	if built.err != nil {
		t.Fatalf("registrytest: building the distribution registry (set %s to use a prebuilt one): %v", BinaryEnv, built.err)
	}
	return built.path
}

// buildDistribution builds the distribution registry unless an up-to-date
// binary is there already, and returns its path.
func buildDistribution() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	toolsDir := filepath.Join(root, toolsModuleDir)
	key, err := buildKey(toolsDir)
	if err != nil {
		return "", err
	}
	binDir := filepath.Join(toolsDir, "bin")
	exe := "registry-" + key
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	path := filepath.Join(binDir, exe)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}

	// Build into a directory of our own, then rename: other test processes
	// may be building the same binary at the same time, and the rename
	// makes whichever finishes last win without anyone seeing half a file.
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(binDir, ".build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, exe)

	cmd := exec.Command("go", "-C", toolsDir, "build", "-o", out, distributionPackage)
	// A go.work at the root would not list the tools module.
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if output, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s: %w\n%s", cmd, err, output)
	}
	if err := os.Rename(out, path); err != nil {
		return "", err
	}
	return path, nil
}

// buildKey identifies a build of the tools module: its requirements and the
// Go toolchain.
func buildKey(toolsDir string) (string, error) {
	h := sha256.New()
	for _, name := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(filepath.Join(toolsDir, name))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", name, len(b))
		h.Write(b)
	}
	fmt.Fprintf(h, "%s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// repoRoot walks up from the working directory (a test runs in its package's
// directory) to the directory that holds the tools module.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, toolsModuleDir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no " + filepath.Join(toolsModuleDir, "go.mod") + " in the working directory or above it")
		}
		dir = parent
	}
}
