package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/har"
)

func TestHARExitCodesAndFormats(t *testing.T) {
	inRepoRoot(t)
	cases := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"healthy capture", []string{"har", "testdata/har/healthy.har"}, 0, "0 failed"},
		{"faulty capture", []string{"har", "--no-color", "testdata/har/code-exchanged-late.har"}, 1, "CD2401"},
		{"fail-on never", []string{"har", "--fail-on", "never", "testdata/har/code-exchanged-late.har"}, 0, ""},
		{"warning-only capture under --fail-on error", []string{"har", "testdata/har/retry-storm.har"}, 0, ""},
		{"only one check", []string{"har", "--only", "CD2401", "--format", "json", "testdata/har/code-exchanged-late.har"}, 1, `"check": "CD2401"`},
		{"missing file", []string{"har", "testdata/har/nope.har"}, 2, ""},
		{"no argument", []string{"har"}, 2, ""},
		{"bad format", []string{"har", "--format", "yaml", "testdata/har/healthy.har"}, 2, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, nil, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tc.code, r.stdout, r.stderr)
			}
			if tc.out != "" && !strings.Contains(r.stdout, tc.out) {
				t.Errorf("stdout lacks %q:\n%s", tc.out, r.stdout)
			}
		})
	}
}

func TestHARMalformedCaptureNamesTheEntry(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.har")
	doc := "{\"log\":{\"entries\":[\n{\"request\":{\"url\":\"https://api.contio.ai/\"}},\n{\"request\":{\"url\":oops}}]}}"
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "har", path)
	if r.code != 2 || !strings.Contains(r.stderr, "entry 2: line 3") {
		t.Fatalf("exit %d, stderr %q; want 2 and the entry and line", r.code, r.stderr)
	}
}

// No report format prints a secret from the capture, and --redact-out
// writes a copy without them that still diagnoses the same.
func TestHARNeverPrintsSecrets(t *testing.T) {
	inRepoRoot(t)
	src := "testdata/har/refresh-token-reused.har"
	ig, err := har.LoadFile(src, har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ig.Capture.Secrets) < 5 {
		t.Fatalf("the capture should yield its tokens, codes and OTP as secrets; got %d", len(ig.Capture.Secrets))
	}
	out := filepath.Join(t.TempDir(), "ticket.har")
	for _, format := range []string{"text", "json", "markdown", "sarif", "junit", "github"} {
		r := runCLI(t, nil, "har", "-v", "--format", format, "--redact-out", out, src)
		if r.code != 1 {
			t.Fatalf("%s: exit %d, want 1: %s", format, r.code, r.stderr)
		}
		for _, s := range ig.Secrets() {
			if strings.Contains(r.stdout+r.stderr, s.Value.Raw) {
				t.Errorf("%s output prints %s", format, s.Name)
			}
		}
	}
	copyBytes, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ig.Secrets() {
		if strings.Contains(string(copyBytes), s.Value.Raw) {
			t.Errorf("the redacted copy holds %s", s.Name)
		}
	}
	r := runCLI(t, nil, "har", "--format", "json", out)
	var rep struct {
		Results []struct{ Check, Status string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	failing := map[string]bool{}
	for _, res := range rep.Results {
		if res.Status == "fail" {
			failing[res.Check] = true
		}
	}
	if !failing["CD3401"] || !failing["CD2450"] {
		t.Errorf("the redacted copy no longer shows the refresh-token reuse: %v", failing)
	}
}
