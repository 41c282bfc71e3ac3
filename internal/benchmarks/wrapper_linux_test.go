package benchmarks

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/tfrun"
)

const (
	// wrapProviderEnv names the real provider binary; set, it makes this test
	// binary a wrapper around it (see providerWrapper).
	wrapProviderEnv = "REGISTRY_BENCHMARKS_WRAPPED_PROVIDER"
	// wrapReportEnv names the file to which the wrapper appends the peak
	// RSS of each provider process it ran.
	wrapReportEnv = "REGISTRY_BENCHMARKS_RSS_REPORT"
)

// providerWrapper returns a directory for dev_overrides whose
// terraform-provider-registry is this test binary, and the environment that
// makes it wrap the real provider at provider: Terraform then starts the
// wrapper, which starts the provider with the same arguments, standard
// streams and environment, and when the provider exits appends its peak
// resident set size to report. The peak is the kernel's own count, the
// ru_maxrss of wait4, which is the VmHWM of /proc/<pid>/status at the
// process's end; polling /proc instead would miss a peak between two polls.
func providerWrapper(b *testing.B, provider string) (dir, report string, env []string) {
	b.Helper()
	self, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	dir = b.TempDir()
	if err := os.Symlink(self, filepath.Join(dir, tfrun.ProviderBinaryName)); err != nil {
		b.Fatal(err)
	}
	report = filepath.Join(dir, "rss.txt")
	return dir, report, []string{wrapProviderEnv + "=" + provider, wrapReportEnv + "=" + report}
}

// runProviderWrapper runs the wrapper when this binary was started as one,
// and returns the exit code for it; ok is false otherwise.
func runProviderWrapper() (code int, ok bool) {
	provider := os.Getenv(wrapProviderEnv)
	if provider == "" {
		return 0, false
	}
	report := os.Getenv(wrapReportEnv)
	cmd := exec.Command(provider, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, wrapProviderEnv+"=") && !strings.HasPrefix(kv, wrapReportEnv+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	// If Terraform kills the wrapper, the provider goes with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "benchmarks wrapper: %v\n", err)
		return 1, true
	}
	go func() {
		for s := range signals {
			_ = cmd.Process.Signal(s)
		}
	}()
	_ = cmd.Wait()
	if ru, isRusage := cmd.ProcessState.SysUsage().(*syscall.Rusage); isRusage && report != "" {
		if f, err := os.OpenFile(report, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
			fmt.Fprintf(f, "%d %d\n", cmd.ProcessState.Pid(), ru.Maxrss) // KiB on Linux
			_ = f.Close()
		}
	}
	if code = cmd.ProcessState.ExitCode(); code < 0 {
		code = 1
	}
	return code, true
}

// peakRSS reads a wrapper's report: the largest peak RSS in bytes of the
// provider processes it ran, and how many there were.
func peakRSS(b *testing.B, report string) (peak int64, processes int) {
	b.Helper()
	f, err := os.Open(report)
	if err != nil {
		b.Fatalf("the provider wrapper left no report: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 {
			continue
		}
		kib, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			continue
		}
		processes++
		peak = max(peak, kib<<10)
	}
	if processes == 0 {
		b.Fatalf("the provider wrapper's report %s is empty", report)
	}
	return peak, processes
}

// rssPlan is what a memory benchmark measured of its last plan.
type rssPlan struct {
	plan      time.Duration // the plan's wall time
	counts    Tally         // the requests the proxy saw
	peak      int64         // the largest peak RSS of a provider process, in bytes
	processes int           // how many provider processes Terraform ran
}

// measureRSS writes a configuration named name with a data source per
// lookup against proxy, plans it once per b.Loop with extra arguments and
// the provider behind the RSS-reporting wrapper, checks every plan's answers,
// and returns the last plan's figures.
func measureRSS(b *testing.B, name string, proxy *LatencyProxy, lookups []lookup, extra ...string) rssPlan {
	b.Helper()
	wrapperDir, report, env := providerWrapper(b, provider.Path(b))
	ws := tfrun.NewWorkspace(b, tfrun.TerraformPath(b), wrapperDir, env...)
	dir := ws.Config(b, name, providerBlock(proxy.Host, "", "")+dataSources(proxy.Host, lookups, false))
	var m rssPlan
	for b.Loop() {
		_ = os.Remove(report)
		m.plan = ws.Plan(b, dir, extra...)
		m.counts = proxy.Take()
		b.StopTimer()
		m.peak, m.processes = peakRSS(b, report)
		checkAnswers(b, "terraform plan", lookups, planAnswers(b, ws, dir))
		b.StartTimer()
	}
	return m
}

// report fails the benchmark when the peak RSS is over its target, and
// reports the figures that both memory benchmarks print.
func (m rssPlan) report(b *testing.B) {
	b.Helper()
	if m.peak > rssTarget {
		b.Errorf("the provider's peak RSS, %.1f MiB, is over the target of %d MiB", float64(m.peak)/(1<<20), rssTarget>>20)
	}
	b.ReportMetric(float64(m.peak)/(1<<20), "peak-RSS-MiB")
	b.ReportMetric(m.plan.Seconds(), "plan-s")
	b.ReportMetric(float64(m.counts.Total()), "requests")
}

// table returns the memory benchmarks' table, headed by what was planned,
// with its first row: the peak RSS against its target.
func (m rssPlan) table(what string) *table {
	t := &table{header: []string{what, "terraform plan", "target"}, right: []bool{false, true, true}}
	t.add("provider peak RSS (VmHWM of the largest of "+fmt.Sprint(m.processes)+" provider processes)",
		fmt.Sprintf("%.1f MiB", float64(m.peak)/(1<<20)), fmt.Sprintf("< %d MiB", rssTarget>>20))
	return t
}
