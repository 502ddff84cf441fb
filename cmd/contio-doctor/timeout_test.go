package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/sandbox"
)

// TestLiveRunEndsAtTimeoutWhenTheAPIHangs: a server that accepts
// connections and never answers must not hold the run: --timeout ends it,
// and the report says which step timed out. (No timing is asserted: a
// hang here would fail the test by the test binary's own timeout.)
func TestLiveRunEndsAtTimeoutWhenTheAPIHangs(t *testing.T) {
	sb := sandbox.NewTest(t, sandbox.Options{Faults: []sandbox.FaultRule{{Path: "/*", Kind: sandbox.FaultHang}}})
	dir := t.TempDir()
	cfg := "version: 1\napi_url: " + sb.URL() + "\nauth_url: " + sb.URL() + "\noauth:\n  client_id: ctp_hang_client\n  redirect_uri: https://app.example.com/cb\n  registered_redirect_uris: [https://app.example.com/cb]\n"
	if err := os.WriteFile(filepath.Join(dir, "contio-doctor.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	got := runCLI(t, nil, "--config", filepath.Join(dir, "contio-doctor.yaml"), "--format", "json", "--timeout", "1s")
	if got.code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", got.code, got.stderr)
	}
	var doc struct {
		Results []struct {
			Check, Status, Error string
			Findings             []struct{ Message string }
		}
	}
	if err := json.Unmarshal([]byte(got.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	timedOut := false
	for _, r := range doc.Results {
		if r.Check == "CD6502" {
			for _, f := range r.Findings {
				timedOut = timedOut || strings.Contains(f.Message, "timeout")
			}
			timedOut = timedOut || strings.Contains(r.Error, "did not finish")
		}
	}
	if !timedOut {
		t.Errorf("CD6502 does not say the API timed out: %s", got.stdout)
	}
}

// TestOfflineCheckThatHangsEndsTheRun: offline checks run in turn on the
// command's goroutine, so one that ignores its context would hold the run
// for ever. At --timeout the doctor exits 3 (its own failure), naming the
// check and how to run without it. The hanging check is registered only in
// a child process of the test binary, so no other test sees it.
func TestOfflineCheckThatHangsEndsTheRun(t *testing.T) {
	if os.Getenv("CONTIO_DOCTOR_TEST_HANG") == "1" {
		diagnosis.Register(&diagnosis.Check{ID: "CD9998", Name: "test-hangs", Title: "hangs", Symptom: "s", Cause: "c", Fix: "f",
			Verifies: "v", Severity: diagnosis.SeverityError, Needs: diagnosis.NeedsConfig,
			Run: func(context.Context, *diagnosis.Input) ([]diagnosis.Finding, error) { select {} }})
		os.Exit(run([]string{"--config", "../../testdata/healthy.yaml", "--env-file", "../../testdata/healthy.env",
			"--offline", "--only", "CD9998", "--timeout", "200ms", "--no-color"}, strings.NewReader(""), os.Stdout, os.Stderr))
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestOfflineCheckThatHangsEndsTheRun$")
	cmd.Env = append(os.Environ(), "CONTIO_DOCTOR_TEST_HANG=1")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var xe *exec.ExitError
	if !errors.As(err, &xe) || xe.ExitCode() != diagnosis.ExitInternal {
		t.Fatalf("child: %v, want exit %d\nstdout: %s\nstderr: %s", err, diagnosis.ExitInternal, stdout.String(), stderr.String())
	}
	want := "contio-doctor: check CD9998 did not finish within 200ms; this is a bug in contio-doctor (please report it with the command you ran); --skip CD9998 runs without it\n"
	if stderr.String() != want {
		t.Errorf("stderr = %q\nwant     %q", stderr.String(), want)
	}
}

// stuck writes its line to the run's stderr and exits through e.exit.
func TestStuckExitsThroughEnv(t *testing.T) {
	var buf strings.Builder
	code := -1
	e := &env{stderr: &buf, lookupEnv: func(string) (string, bool) { return "", false }, exit: func(c int) { code = c }, args: []string{"--no-color"}}
	e.stuck("CD3004", 10*time.Second)
	if code != diagnosis.ExitInternal || !strings.Contains(buf.String(), "check CD3004 did not finish within 10s") {
		t.Errorf("exit %d, stderr %q", code, buf.String())
	}
}
