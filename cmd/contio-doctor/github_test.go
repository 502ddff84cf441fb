package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGitHubActionsAnnotationsAfterText(t *testing.T) {
	inRepoRoot(t)
	got := runCLI(t, map[string]string{"GITHUB_ACTIONS": "true"}, multiFaultArgs...)
	if got.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", got.code, got.stderr)
	}
	first := strings.Index(got.stdout, "\n::")
	if first < 0 {
		t.Fatalf("no annotations on stdout:\n%s", got.stdout)
	}
	text, annotations := got.stdout[:first], got.stdout[first+1:]
	if strings.Contains(text, "::error") || !strings.Contains(text, "exit 1") {
		t.Errorf("the text report should come first, whole:\n%s", text)
	}
	if !strings.Contains(annotations, "::error file=testdata/multi-fault.yaml,line=") {
		t.Errorf("annotations should point into the config:\n%s", annotations)
	}
	if !strings.HasSuffix(annotations, "; exit code 1\n") {
		t.Errorf("annotations should end with the summary line:\n%s", annotations)
	}

	// Not in Actions, another format, or opted out: no annotations.
	for name, c := range map[string]struct {
		vars map[string]string
		args []string
	}{
		"outside actions": {nil, multiFaultArgs},
		"json format":     {map[string]string{"GITHUB_ACTIONS": "true"}, args(multiFaultArgs, "--format", "json")},
		"opted out":       {map[string]string{"GITHUB_ACTIONS": "true", "CONTIO_DOCTOR_ANNOTATIONS": "false"}, multiFaultArgs},
	} {
		if out := runCLI(t, c.vars, c.args...); strings.Contains(out.stdout, "::error") {
			t.Errorf("%s: unexpected annotations:\n%s", name, out.stdout)
		}
	}
	// --format github in Actions: annotations once, not twice.
	gh := runCLI(t, map[string]string{"GITHUB_ACTIONS": "true"}, args(multiFaultArgs, "--format", "github")...)
	if n := strings.Count(gh.stdout, "exit code 1\n"); n != 1 {
		t.Errorf("--format github in Actions printed the annotations %d times", n)
	}
}

func TestGitHubStepSummary(t *testing.T) {
	inRepoRoot(t)
	summary := filepath.Join(t.TempDir(), "step_summary.md")
	if err := os.WriteFile(summary, []byte("previous step\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary}
	got := runCLI(t, vars, args(multiFaultArgs, "--format", "sarif")...)
	if got.code != 1 || got.stderr != "" {
		t.Fatalf("exit %d, stderr %q", got.code, got.stderr)
	}
	if strings.Contains(got.stdout, "# contio-doctor report") {
		t.Errorf("the step summary leaked into stdout")
	}
	b, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasPrefix(s, "previous step\n# contio-doctor report\n") {
		t.Errorf("the summary must be appended after what other steps wrote:\n%.200s", s)
	}
	if !strings.Contains(s, "| **exit code** | **1** |") || !strings.Contains(s, "## Problems found") {
		t.Errorf("the summary lacks the report:\n%s", s)
	}
	// The multi-fault config writes a webhook secret literally: it must be
	// redacted in the summary as everywhere else.
	if strings.Contains(s, "whsec_Xk29fLq7TzRb4NvW8cYh1MdJ6pGs3EaU0oKiQ5lB") {
		t.Errorf("the step summary shows a secret")
	}

	// An unwritable summary is a warning, not a different exit code.
	vars["GITHUB_STEP_SUMMARY"] = filepath.Join(t.TempDir(), "missing-dir", "x.md")
	got = runCLI(t, vars, args(healthyArgs, "--format", "json")...)
	if got.code != 0 || !strings.Contains(got.stderr, "warning: open step summary") {
		t.Errorf("exit %d, stderr %q: want 0 and a warning", got.code, got.stderr)
	}
}
