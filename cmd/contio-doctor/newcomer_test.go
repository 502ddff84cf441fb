package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

// TestReadmeFirstRun follows the README: init, export the client
// credentials, run. No exit 2 for the optional variables, and a note that
// the file is still the template.
func TestReadmeFirstRun(t *testing.T) {
	t.Chdir(t.TempDir())
	if got := runCLI(t, nil, "init"); got.code != 0 || !strings.Contains(got.stdout, "export CONTIO_CLIENT_ID") {
		t.Fatalf("init: exit %d %q %q", got.code, got.stdout, got.stderr)
	}
	vars := map[string]string{"CONTIO_CLIENT_ID": "ctp_8jIkkDqWIkynui0CTL0WzOPn", "CONTIO_CLIENT_SECRET": "mONrhIZ8SYcWOluT4Cp8Q06Xd33rSBurMDPOpzx8KGHXf0e4"}
	got := runCLI(t, vars, "--offline")
	if got.code == 2 || got.code == 3 {
		t.Fatalf("first run: exit %d\n%s", got.code, got.stderr)
	}
	if !strings.Contains(got.stdout, "this is still the starter template: contio-doctor.yaml (line ") {
		t.Errorf("no template note in:\n%s", got.stdout)
	}
	if !strings.Contains(got.stdout, "no API key configured") && !strings.Contains(got.stdout, "skipped") {
		t.Errorf("the admin checks should say why they were skipped:\n%s", got.stdout)
	}
}

// TestStarterFollowsSandboxExports: with the variables `sandbox` prints, the
// starter points at the sandbox and holds no template value any more.
func TestStarterFollowsSandboxExports(t *testing.T) {
	t.Chdir(t.TempDir())
	runCLI(t, nil, "init")
	base := "http://127.0.0.1:8787"
	vars := map[string]string{
		"CONTIO_API_URL": base, "CONTIO_AUTH_URL": base, "CONTIO_CLIENT_ID": "ctp_8jIkkDqWIkynui0CTL0WzOPn",
		"CONTIO_CLIENT_SECRET": "mONrhIZ8SYcWOluT4Cp8Q06Xd33rSBurMDPOpzx8KGHXf0e4", "CONTIO_REDIRECT_URI": base + "/callback",
		"CONTIO_WEBHOOK_URL": "http://127.0.0.1:9/webhooks",
	}
	got := runCLI(t, vars, "--offline", "--format", "json")
	var doc struct {
		Run struct {
			APIURL  string `json:"api_url"`
			AuthURL string `json:"auth_url"`
		} `json:"run"`
		Notes []string `json:"notes"`
	}
	if err := json.Unmarshal([]byte(got.stdout), &doc); err != nil {
		t.Fatalf("exit %d: %v\n%s", got.code, err, got.stderr)
	}
	if doc.Run.APIURL != base || doc.Run.AuthURL != base {
		t.Errorf("run against %q and %q, want the sandbox", doc.Run.APIURL, doc.Run.AuthURL)
	}
	for _, n := range doc.Notes {
		if strings.Contains(n, "starter template") {
			t.Errorf("template note although every example value was replaced: %s", n)
		}
	}
}

// TestNoConfigNoVariablesSaysHowToStart: plain `contio-doctor` in an empty
// directory with no CONTIO_* variable says how to start, and probes nothing.
func TestNoConfigNoVariablesSaysHowToStart(t *testing.T) {
	t.Chdir(t.TempDir())
	got := runCLI(t, map[string]string{"HOME": filepath.Join(t.TempDir())})
	if got.code != 2 || !strings.Contains(got.stderr, "contio-doctor demo") || !strings.Contains(got.stderr, "contio-doctor init") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", got.code, got.stdout, got.stderr)
	}
	if got.stdout != "" {
		t.Errorf("a report was printed: %s", got.stdout)
	}
}

// TestStarterLiveAgainstTheSandbox: init, then the variables the sandbox
// banner exports, then a live run: the unchanged starter probes the
// sandbox (not production) and passes the gate.
func TestStarterLiveAgainstTheSandbox(t *testing.T) {
	sb := sandbox.NewTest(t, sandbox.Options{Limits: sandbox.Limits{Off: true}})
	app := sb.DefaultApp()
	tok, err := sb.IssueTokens(sandbox.TokenSpec{Scopes: sandboxScopes})
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	runCLI(t, nil, "init")
	vars := map[string]string{
		"CONTIO_API_URL": sb.URL(), "CONTIO_AUTH_URL": sb.URL(), "CONTIO_REDIRECT_URI": app.RedirectURIs[0],
		"CONTIO_CLIENT_ID": app.ClientID, "CONTIO_CLIENT_SECRET": app.ClientSecret, "CONTIO_API_KEY": app.APIKey,
		"CONTIO_WEBHOOK_SECRET": app.WebhookSecret, "CONTIO_ACCESS_TOKEN": tok.AccessToken, "CONTIO_REFRESH_TOKEN": tok.RefreshToken,
	}
	got := runCLI(t, vars, "--format", "json", "--timeout", "10s")
	if got.code != 0 {
		t.Fatalf("exit %d\n%s\n%.2000s", got.code, got.stderr, got.stdout)
	}
	if !strings.Contains(got.stdout, `"mode": "live"`) || !strings.Contains(got.stdout, sb.URL()) {
		t.Errorf("not a live run against the sandbox:\n%.1000s", got.stdout)
	}
}
