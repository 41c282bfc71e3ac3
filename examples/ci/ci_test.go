// Package ci holds the CI files of the guide "Check pins in CI". The GitHub
// Actions workflow is checked by actionlint (tools/check-examples.sh). No
// linter or schema for GitLab CI can be had offline, so this test checks the
// GitLab file against GitLab's keyword reference
// (https://docs.gitlab.com/ci/yaml/) and its scripts with `sh -n`.
package ci

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The top-level keywords of .gitlab-ci.yml; every other top-level key is a
// job, or a hidden job when it starts with ".".
var globalKeywords = []string{"default", "include", "stages", "variables", "workflow", "spec"}

// The keywords of a job.
var jobKeywords = []string{
	"after_script", "allow_failure", "artifacts", "before_script", "cache", "coverage",
	"dast_configuration", "dependencies", "environment", "extends", "hooks", "identity", "id_tokens",
	"image", "inherit", "interruptible", "manual_confirmation", "needs", "pages", "parallel", "release",
	"resource_group", "retry", "rules", "run", "script", "secrets", "services", "stage", "tags",
	"timeout", "trigger", "variables", "when",
}

func TestGitLabCI(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("gitlab/.gitlab-ci.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf(".gitlab-ci.yml is not YAML: %v", err)
	}
	stages, _ := doc["stages"].([]any)
	jobs := map[string]map[string]any{}
	for key, v := range doc {
		if slices.Contains(globalKeywords, key) {
			continue
		}
		job, ok := v.(map[string]any)
		if !ok {
			t.Errorf("top-level key %q is neither a keyword nor a job", key)
			continue
		}
		for k := range job {
			if !slices.Contains(jobKeywords, k) {
				t.Errorf("job %q: %q is not a job keyword", key, k)
			}
		}
		jobs[key] = job
	}
	if len(jobs) < 2 {
		t.Fatalf("read %d jobs; want the check job and the refresh job", len(jobs))
	}
	for name, job := range jobs {
		if strings.HasPrefix(name, ".") {
			continue
		}
		// One level of extends, as the file uses.
		merged := map[string]any{}
		if base, ok := job["extends"].(string); ok {
			parent, ok := jobs[base]
			if !ok {
				t.Errorf("job %q extends %q, which is not in the file", name, base)
			}
			for k, v := range parent {
				merged[k] = v
			}
		}
		for k, v := range job {
			merged[k] = v
		}
		if stage, ok := merged["stage"].(string); ok && !slices.Contains(stages, any(stage)) {
			t.Errorf("job %q: stage %q is not in stages %v", name, stage, stages)
		}
		script := lines(t, name, merged["before_script"]) + lines(t, name, merged["script"])
		if !strings.Contains(script, "terraform") {
			t.Errorf("job %q runs no terraform: %q", name, script)
		}
		cmd := exec.CommandContext(t.Context(), "sh", "-n")
		cmd.Stdin = strings.NewReader(script)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("job %q: its script is not valid sh: %v\n%s\n%s", name, err, out, script)
		}
	}
}

// lines joins a script keyword's lines, one command a line, as the runner
// runs them.
func lines(t *testing.T, job string, v any) string {
	t.Helper()
	if v == nil {
		return ""
	}
	list, ok := v.([]any)
	if !ok {
		t.Errorf("job %q: a script is not a list of lines", job)
		return ""
	}
	var b strings.Builder
	for _, l := range list {
		s, ok := l.(string)
		if !ok {
			t.Errorf("job %q: script line %v is not a string", job, l)
			continue
		}
		b.WriteString(s + "\n")
	}
	return b.String()
}
