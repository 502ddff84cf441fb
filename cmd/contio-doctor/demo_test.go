package main

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"os"
	"path/filepath"
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
	// The last line of the report agrees with the exit code.
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if summary := lastSummaryLine(lines); !strings.Contains(summary, "exit 0") {
		t.Errorf("exit 0 but the summary says: %s", summary)
	}
	// Without --keep, nothing points at the folder removed on exit.
	if strings.Contains(errOut+out, "contio-doctor-demo-") {
		t.Errorf("the output names the temporary folder deleted on exit")
	}
	if !strings.Contains(out, "demo/contio-doctor.yaml:8:17") {
		t.Errorf("findings do not point into the demo's config by name")
	}
}

func lastSummaryLine(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], " — exit ") || strings.Contains(lines[i], " -- exit ") {
			return lines[i]
		}
	}
	return "(no summary line)"
}

func TestDemoFixedIsClean(t *testing.T) {
	code, out, errOut := runDemoCLI(t, "--fixed")
	if code != 0 {
		t.Fatalf("demo --fixed exit %d\nstderr: %s", code, errOut)
	}
	if !strings.Contains(out, " 0 failed") || strings.Contains(out, "✗") {
		t.Fatalf("demo --fixed is not clean:\n%s", out)
	}
	// A clean live run still tells support how much quota each class has left.
	for _, class := range []string{"oauth", "user", "admin"} {
		if !strings.Contains(out, "rate limit, "+class+" endpoints: ") {
			t.Errorf("no quota note for %s endpoints:\n%s", class, out)
		}
	}
}

// TestDemoVerboseTranscriptsMaskSecrets: -v shows every probe exchange
// like curl -v, and no secret of the generated .env appears in any form.
func TestDemoVerboseTranscriptsMaskSecrets(t *testing.T) {
	code, out, errOut := runDemoCLI(t, "-v", "--keep")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Probe exchanges", "> POST ", "/oauth2/token", "< 400 Bad Request", "> Authorization: Basic "} {
		if !strings.Contains(out, want) {
			t.Errorf("verbose demo lacks %q", want)
		}
	}
	_, kept, ok := strings.Cut(errOut, "kept ")
	if !ok {
		t.Fatalf("no kept files in stderr: %s", errOut)
	}
	cfgPath, envPath, _ := strings.Cut(strings.TrimSpace(kept), " and ")
	t.Cleanup(func() { os.RemoveAll(filepath.Dir(cfgPath)) })
	raw, err := os.ReadFile(envPath)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]string{}
	for _, line := range strings.Split(string(raw), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			values[k] = v
		}
	}
	for _, k := range []string{"CONTIO_CLIENT_SECRET", "CONTIO_ACCESS_TOKEN", "CONTIO_REFRESH_TOKEN", "CONTIO_API_KEY", "CONTIO_WEBHOOK_SECRET"} {
		v := values[k]
		if len(v) < 8 {
			t.Fatalf("%s missing from the demo .env", k)
		}
		for _, form := range []string{v, base64.StdEncoding.EncodeToString([]byte(v)), url.QueryEscape(v),
			base64.StdEncoding.EncodeToString([]byte(values["CONTIO_CLIENT_ID"] + ":" + v))} {
			if strings.Contains(out, form) || strings.Contains(errOut, form) {
				t.Errorf("%s appears in the verbose demo output", k)
			}
		}
	}
}

// TestDemoUnderCLocaleIsASCII: LC_ALL=C gets no µ (Go's microseconds) and
// no ✓ ✗ marks, where the live notes print sub-millisecond timings.
func TestDemoUnderCLocaleIsASCII(t *testing.T) {
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		lookupEnv: func(k string) (string, bool) {
			if k == "LC_ALL" {
				return "C", true
			}
			return "", false
		}}
	if code := e.run([]string{"demo", "--no-color"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if strings.ContainsAny(out.String(), "µ✓✗") {
		t.Errorf("LC_ALL=C report holds non-ASCII marks or units")
	}
	if !strings.Contains(out.String(), "answered in ") {
		t.Error("no timing note: the test did not exercise durations")
	}
}
