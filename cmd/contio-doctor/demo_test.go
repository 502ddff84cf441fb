package main

import (
	"bytes"
	"strings"
	"testing"
)

// runDemoCLI runs `contio-doctor demo` in-process with an empty environment.
func runDemoCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		lookupEnv: func(string) (string, bool) { return "", false }}
	code = e.run(append([]string{"demo", "--no-color"}, args...))
	return code, out.String(), errb.String()
}

// TestDemoShowsTheTypicalMistakes: the README's first command finds each
// planted mistake, offline and live, and exits 0 because it produced a report.
func TestDemoShowsTheTypicalMistakes(t *testing.T) {
	code, out, errOut := runDemoCLI(t)
	if code != 0 {
		t.Fatalf("demo exit %d, want 0\nstderr: %s", code, errOut)
	}
	for _, want := range []string{
		"CD1103", // Basic header with a trailing newline
		"CD2001", // redirect URI with a trailing slash (offline)
		"CD2501", // … and rejected by the sandbox (live)
		"CD4101", // Bearer token on the token endpoint
		"CD4201", // admin call without X-Client-ID
		"CD3002", // misspelled scope
		"CD3512", // the user granted only part of the consent (live)
		"req_",   // live findings carry the sandbox's request_id
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo report lacks %s", want)
		}
	}
	if !strings.Contains(errOut, "demo --fixed") {
		t.Errorf("stderr does not point at --fixed: %s", errOut)
	}
}

func TestDemoFixedIsClean(t *testing.T) {
	code, out, errOut := runDemoCLI(t, "--fixed")
	if code != 0 {
		t.Fatalf("demo --fixed exit %d\nstderr: %s", code, errOut)
	}
	if !strings.Contains(out, " 0 failed") || strings.Contains(out, "✗") {
		t.Fatalf("demo --fixed is not clean:\n%s", out)
	}
}
