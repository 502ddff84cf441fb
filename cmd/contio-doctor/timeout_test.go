package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
