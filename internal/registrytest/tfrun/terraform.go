package tfrun

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
	"testing"
	"time"
)

const (
	// ProviderSource is the provider's address in configurations, and the
	// key of its dev_overrides entry.
	ProviderSource = "seed-a8ff584c/registry"
	// ProviderBinaryName is the executable Terraform looks for in a
	// dev_overrides directory.
	ProviderBinaryName = "terraform-provider-registry"
	// commandTimeout bounds every command [Run] runs: a build, a plan, one
	// crane call.
	commandTimeout = 10 * time.Minute
	// planFile is where [Workspace.Plan] saves a plan, in the configuration's
	// directory.
	planFile = "plan.bin"
)

// TerraformPath returns the Terraform (or OpenTofu) the acceptance tests
// use: TF_ACC_TERRAFORM_PATH, else terraform or tofu on PATH. It skips the
// test when there is none.
func TerraformPath(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"terraform", "tofu"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	tb.Skip("no terraform or tofu on PATH, nor TF_ACC_TERRAFORM_PATH: install one (see README)")
	return ""
}

// ProviderBuild is the provider of this repository, built once per test
// binary, on first use, however many tests ask for it.
type ProviderBuild struct {
	build func() (string, error)

	mu  sync.Mutex
	dir string // made by the build; holds the binary only
}

// NewProviderBuild returns a ProviderBuild that builds, on first use, into
// a temporary directory of its own, which then holds the binary only, as a
// dev_overrides entry wants. [ProviderBuild.Remove] deletes it.
func NewProviderBuild() *ProviderBuild {
	p := &ProviderBuild{}
	p.build = sync.OnceValues(func() (string, error) {
		dir, err := os.MkdirTemp("", "registry-provider-build-")
		if err != nil {
			return "", err
		}
		p.mu.Lock()
		p.dir = dir
		p.mu.Unlock()
		return buildProvider(dir)
	})
	return p
}

// Remove deletes the build's directory, if it was built.
func (p *ProviderBuild) Remove() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dir != "" {
		_ = os.RemoveAll(p.dir)
	}
}

// Path returns the provider binary's path, building it the first time; a
// failed build fails the test.
func (p *ProviderBuild) Path(tb testing.TB) string {
	tb.Helper()
	path, err := p.build()
	if err != nil {
		tb.Fatal(err)
	}
	return path
}

// buildProvider builds the provider from this repository, as `make build`
// does, into dir, and returns the binary's path. The build runs without the
// test proxy (see [ProxyVariable]), so that the go command may fetch
// modules.
func buildProvider(dir string) (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, ProviderBinaryName)
	if _, _, err := Run(root, withoutTestProxy(os.Environ()), "go", "build", "-o", out, "."); err != nil {
		return "", fmt.Errorf("building the provider: %w", err)
	}
	return out, nil
}

// Run runs name with args in dir with env, within commandTimeout, and
// returns its combined output and wall time; an error carries the last 8 KiB
// of the output. On Linux it runs in a process group of its own, which is
// killed whole on timeout, so that no provider Terraform started outlives it.
func Run(dir string, env []string, name string, args ...string) ([]byte, time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := command(ctx, dir, env, name, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	if err != nil {
		err = fmt.Errorf("%s: %w\n%s", strings.Join(append([]string{filepath.Base(name)}, args...), " "), err, tail(out.Bytes(), 8<<10))
	}
	return out.Bytes(), elapsed, err
}

// command is name with args in dir with env, stopped when ctx ends. On
// Linux it runs in a process group of its own, which is killed whole then,
// so that no process it started (a provider Terraform ran) outlives it.
func command(ctx context.Context, dir string, env []string, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	ownProcessGroup(cmd)
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// CleanEnv is this process's environment less what would change what
// Terraform, the provider or crane do: Terraform's own variables, and every
// source of registry credentials but the ones a test gives.
func CleanEnv() []string {
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

// Workspace runs Terraform on configurations in a temporary directory, with
// a CLI configuration whose dev_overrides point the provider at a directory
// of our own, so that no init is needed.
type Workspace struct {
	terraform string
	dir       string
	env       []string
}

// NewWorkspace returns a workspace whose provider is the executable named
// terraform-provider-registry in providerDir; extraEnv is added to the
// environment of Terraform and of the providers it starts. The provider
// sees an empty Docker config: its credentials come from the configuration
// and extraEnv only.
func NewWorkspace(tb testing.TB, terraform, providerDir string, extraEnv ...string) *Workspace {
	tb.Helper()
	dir := tb.TempDir()
	cli := filepath.Join(dir, "cli.tfrc")
	cliConfig := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", ProviderSource, providerDir)
	if err := os.WriteFile(cli, []byte(cliConfig), 0o600); err != nil {
		tb.Fatal(err)
	}
	docker := filepath.Join(dir, "docker")
	if err := os.Mkdir(docker, 0o700); err != nil {
		tb.Fatal(err)
	}
	env := append(CleanEnv(),
		"TF_CLI_CONFIG_FILE="+cli,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"TF_DATA_DIR="+filepath.Join(dir, "data"),
		"DOCKER_CONFIG="+docker,
	)
	return &Workspace{terraform: terraform, dir: dir, env: append(env, extraEnv...)}
}

// Config writes a configuration (main.tf) into a directory of its own, name,
// and returns that directory.
func (w *Workspace) Config(tb testing.TB, name, hcl string) string {
	tb.Helper()
	dir := filepath.Join(w.dir, name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(hcl), 0o600); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// Plan runs `terraform plan` in dir with extra arguments, saving the plan in
// dir, and returns its wall time; a failed plan fails the test.
func (w *Workspace) Plan(tb testing.TB, dir string, extra ...string) time.Duration {
	tb.Helper()
	_, elapsed, err := w.TryPlan(dir, extra...)
	if err != nil {
		tb.Fatal(err)
	}
	return elapsed
}

// TryPlan is [Workspace.Plan] for a plan that may fail: it returns the
// plan's output, its wall time and its error.
func (w *Workspace) TryPlan(dir string, extra ...string) ([]byte, time.Duration, error) {
	args := append([]string{"plan", "-input=false", "-lock=false", "-no-color", "-out=" + planFile}, extra...)
	return Run(dir, w.env, w.terraform, args...)
}

// TryRun runs Terraform in dir with args (apply, show, ...) and returns
// its output and error.
func (w *Workspace) TryRun(dir string, args ...string) ([]byte, error) {
	out, _, err := Run(dir, w.env, w.terraform, args...)
	return out, err
}

// Show returns what `terraform show -json` prints of the plan that [Plan]
// saved in dir.
func (w *Workspace) Show(tb testing.TB, dir string) []byte {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := command(ctx, dir, w.env, w.terraform, "show", "-json", planFile)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("terraform show -json: %v\n%s", err, tail(stderr.Bytes(), 8<<10))
	}
	return out
}

// Outputs returns the output values of the plan that [Plan] saved in dir.
func (w *Workspace) Outputs(tb testing.TB, dir string) map[string]json.RawMessage {
	tb.Helper()
	var plan struct {
		PlannedValues struct {
			Outputs map[string]struct {
				Value json.RawMessage `json:"value"`
			} `json:"outputs"`
		} `json:"planned_values"`
	}
	if err := json.Unmarshal(w.Show(tb, dir), &plan); err != nil {
		tb.Fatalf("terraform show -json: %v", err)
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
