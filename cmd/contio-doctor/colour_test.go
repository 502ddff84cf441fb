package main

import (
	"bytes"
	"strings"
	"testing"
)

// runTTY runs the CLI as if stdout and stderr were terminals.
func runTTY(t *testing.T, vars map[string]string, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, isTTY: true, stderrTTY: true,
		lookupEnv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }, clock: nil, runID: "run-test"}
	code := e.run(args)
	return cliResult{code: code, stdout: out.String(), stderr: errb.String()}
}

// TestCLIColourFollowsTheOneDecision: the CLI's own lines (an error on
// stderr, webhook verify's verdict) are coloured on a terminal and plain
// with NO_COLOR, --no-color or TERM=dumb, like the report.
func TestCLIColourFollowsTheOneDecision(t *testing.T) {
	inRepoRoot(t)
	const esc = "\x1b["
	if got := runTTY(t, nil, "--fail-on", "warnings"); !strings.Contains(got.stderr, esc) {
		t.Errorf("error on a terminal's stderr is not coloured: %q", got.stderr)
	}
	for name, c := range map[string]struct {
		vars map[string]string
		args []string
	}{
		"NO_COLOR":   {map[string]string{"NO_COLOR": "1"}, nil},
		"--no-color": {nil, []string{"--no-color"}},
		"TERM=dumb":  {map[string]string{"TERM": "dumb"}, nil},
	} {
		got := runTTY(t, c.vars, append([]string{"--fail-on", "warnings"}, c.args...)...)
		if strings.Contains(got.stderr, esc) || !strings.Contains(got.stderr, "did you mean warning") {
			t.Errorf("%s: %q", name, got.stderr)
		}
	}
	body := writeTemp(t, "body.json", delivery(t))
	vars := map[string]string{"S": "whsec_colour_test"}
	got := runTTY(t, vars, "webhook", "verify", "--body", body, "--signature", "sha256=00", "--secret-env", "S")
	if got.code != 1 || !strings.Contains(got.stdout, esc) {
		t.Errorf("verdict on a terminal not coloured (exit %d): %q", got.code, got.stdout)
	}
	vars["NO_COLOR"] = ""
	if got := runTTY(t, vars, "webhook", "verify", "--body", body, "--signature", "sha256=00", "--secret-env", "S"); strings.Contains(got.stdout, esc) {
		t.Errorf("NO_COLOR verdict coloured: %q", got.stdout)
	}
}
