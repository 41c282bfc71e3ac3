package benchmarks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

const (
	// providerSource is the provider's address in configurations, and the
	// key of its dev_overrides entry.
	providerSource = "seed-a8ff584c/registry"
	// providerBinaryName is the executable Terraform looks for in the
	// dev_overrides directory.
	providerBinaryName = "terraform-provider-registry"
	// commandTimeout bounds every command a benchmark runs: a build, a
	// plan, one crane call.
	commandTimeout = 10 * time.Minute
)

// terraformPath returns the Terraform (or OpenTofu) the acceptance tests
// use: TF_ACC_TERRAFORM_PATH, else terraform or tofu on PATH. It skips the
// benchmark when there is none.
func terraformPath(b *testing.B) string {
	b.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"terraform", "tofu"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	b.Skip("no terraform or tofu on PATH, nor TF_ACC_TERRAFORM_PATH: install one (see README) to run the plan benchmarks")
	return ""
}

// moduleRoot returns the directory of the provider's go.mod.
func moduleRoot(b *testing.B) string {
	b.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		b.Fatalf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		b.Fatal("go env GOMOD: not inside the provider's module")
	}
	return filepath.Dir(gomod)
}

// built is a binary built once per run of the benchmarks.
type built struct {
	once sync.Once
	path string
	err  error
}

func (bin *built) get(b *testing.B, build func() (string, error)) string {
	b.Helper()
	bin.once.Do(func() { bin.path, bin.err = build() })
	if bin.err != nil {
		b.Fatal(bin.err)
	}
	return bin.path
}

var providerBuild built

// providerBinary builds the provider from this module, as `make build`
// does, into a directory of its own that a dev_overrides entry can name.
func providerBinary(b *testing.B) string {
	b.Helper()
	root := moduleRoot(b)
	return providerBuild.get(b, func() (string, error) {
		out := filepath.Join(workDir, "provider", providerBinaryName)
		return out, goBuild(root, out, ".")
	})
}

// craneBinary returns crane at the version pinned in tools/go.mod.
func craneBinary(b *testing.B) string {
	b.Helper()
	return registrytest.Tool(b, "crane")
}

func goBuild(dir, out, pkg string) error {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir = dir
	// A go.work would not list the tools modules.
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s (in %s): %w\n%s", cmd, dir, err, output)
	}
	return nil
}

// runCommand runs name with args in dir with env, within commandTimeout, and
// returns its combined output and wall time. It runs in a process group of
// its own, which is killed whole on timeout, so that no provider Terraform
// started outlives it.
func runCommand(dir string, env []string, name string, args ...string) ([]byte, time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	if err != nil {
		err = fmt.Errorf("%s: %w", strings.Join(append([]string{filepath.Base(name)}, args...), " "), err)
	}
	return out.Bytes(), elapsed, err
}

// baseEnv is this process's environment less what would change what
// Terraform, the provider or crane do: Terraform's own variables, and every
// source of registry credentials but the ones a benchmark gives.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "TF_"), strings.HasPrefix(k, "REGISTRY_AUTH"), strings.HasPrefix(k, "DOCKER_"),
			k == "XDG_RUNTIME_DIR", k == "XDG_CONFIG_HOME", k == "CHECKPOINT_DISABLE":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// workspace runs Terraform on configurations in a temporary directory, with
// a CLI configuration whose dev_overrides point the provider at a directory
// of our own, so that no init is needed.
type workspace struct {
	terraform string
	dir       string
	env       []string
}

// newWorkspace returns a workspace whose provider is the executable named
// terraform-provider-registry in providerDir; extraEnv is added to the
// environment of Terraform and of the providers it starts.
func newWorkspace(b *testing.B, terraform, providerDir string, extraEnv ...string) *workspace {
	b.Helper()
	dir := b.TempDir()
	cli := filepath.Join(dir, "cli.tfrc")
	cliConfig := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", providerSource, providerDir)
	if err := os.WriteFile(cli, []byte(cliConfig), 0o600); err != nil {
		b.Fatal(err)
	}
	// An empty Docker config: the provider gets its credentials from the
	// auth block only.
	docker := filepath.Join(dir, "docker")
	if err := os.Mkdir(docker, 0o700); err != nil {
		b.Fatal(err)
	}
	env := append(baseEnv(),
		"TF_CLI_CONFIG_FILE="+cli,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"TF_DATA_DIR="+filepath.Join(dir, "data"),
		"DOCKER_CONFIG="+docker,
	)
	return &workspace{terraform: terraform, dir: dir, env: append(env, extraEnv...)}
}

// config writes a configuration into a directory of its own and returns it.
func (w *workspace) config(b *testing.B, name, hcl string) string {
	b.Helper()
	dir := filepath.Join(w.dir, name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(hcl), 0o600); err != nil {
		b.Fatal(err)
	}
	return dir
}

// plan runs `terraform plan` in dir with extra arguments, saving the plan in
// dir/plan.bin, and returns its wall time.
func (w *workspace) plan(b *testing.B, dir string, extra ...string) time.Duration {
	b.Helper()
	args := append([]string{"plan", "-input=false", "-lock=false", "-no-color", "-out=plan.bin"}, extra...)
	out, elapsed, err := runCommand(dir, w.env, w.terraform, args...)
	if err != nil {
		b.Fatalf("%v\n%s", err, tail(out, 8<<10))
	}
	return elapsed
}

// outputs returns the output values of the plan saved in dir.
func (w *workspace) outputs(b *testing.B, dir string) map[string]json.RawMessage {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.terraform, "show", "-json", "plan.bin")
	cmd.Dir = dir
	cmd.Env = w.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("terraform show -json: %v\n%s", err, tail(stderr.Bytes(), 8<<10))
	}
	var plan struct {
		PlannedValues struct {
			Outputs map[string]struct {
				Value json.RawMessage `json:"value"`
			} `json:"outputs"`
		} `json:"planned_values"`
	}
	if err := json.Unmarshal(out, &plan); err != nil {
		b.Fatalf("terraform show -json: %v", err)
	}
	values := make(map[string]json.RawMessage, len(plan.PlannedValues.Outputs))
	for k, v := range plan.PlannedValues.Outputs {
		values[k] = v.Value
	}
	return values
}

// tail returns at most the last n bytes of out.
func tail(out []byte, n int) []byte {
	if len(out) > n {
		return out[len(out)-n:]
	}
	return out
}

// providerBlock returns the terraform block and a provider block, with
// credentials for host unless username is empty.
func providerBlock(host, username, password string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "terraform {\n  required_providers {\n    registry = {\n      source = %q\n    }\n  }\n}\n\nprovider \"registry\" {\n", providerSource)
	if username != "" {
		fmt.Fprintf(&b, "  auth {\n    registry = %q\n    username = %q\n    password = %q\n  }\n", host, username, password)
	}
	b.WriteString("}\n")
	return b.String()
}
