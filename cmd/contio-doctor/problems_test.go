package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

// jsonProblems is the part of the JSON report these tests read.
type jsonProblems struct {
	Problems []struct {
		ID, Guide, Severity, Message, Root string
		Checks                             []string
		Blocked                            []string `json:"blocked_checks"`
		Evidence                           []struct {
			Source, Check string
			RequestID     string `json:"request_id"`
		}
	}
	Results []struct{ Check, Status, Error, Problem string }
	Summary struct {
		ExitCode int `json:"exit_code"`
	}
}

func decodeProblems(t *testing.T, out string) jsonProblems {
	t.Helper()
	var doc jsonProblems
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, out)
	}
	return doc
}

// TestDemoSixMistakesAreSixProblems: the demo seeds six mistakes; each is
// one problem under the guide entry a support engineer would name, with
// the offline claim and the live confirmation together.
func TestDemoSixMistakesAreSixProblems(t *testing.T) {
	code, out, errOut := runDemoCLI(t, "--format", "json")
	if code != 0 {
		t.Fatalf("demo exit %d\nstderr: %s", code, errOut)
	}
	doc := decodeProblems(t, out)
	type want struct {
		guide  string
		checks []string
	}
	wants := []want{
		{"invalid_request", []string{"CD2001", "CD2501"}},         // trailing-slash redirect URI
		{"partial_scope", []string{"CD3002", "CD3004", "CD3502"}}, // misspelt scope
		{"partial_scope", []string{"CD3512", "CD3513"}},           // partial consent
		{"auth_method", []string{"CD4101"}},                       // Bearer on the token endpoint
		{"missing_client_id", []string{"CD4201", "CD4503"}},       // admin call without X-Client-ID
		{"basic_auth_encoding", []string{"CD1103"}},               // Basic header with a newline
	}
	if len(doc.Problems) != len(wants) {
		for _, p := range doc.Problems {
			t.Logf("%s %s %v: %s", p.ID, p.Guide, p.Checks, p.Message)
		}
		t.Fatalf("%d problems, want %d", len(doc.Problems), len(wants))
	}
	for i, w := range wants {
		p := doc.Problems[i]
		if p.Guide != w.guide || !slices.Equal(p.Checks, w.checks) {
			t.Errorf("problem %d: %s %v, want %s %v", i+1, p.Guide, p.Checks, w.guide, w.checks)
		}
	}
	// The live confirmation carries its request_id, once, on its evidence.
	for _, p := range doc.Problems {
		for _, e := range p.Evidence {
			if e.Source == "live" && e.Check == "CD2501" && !strings.HasPrefix(e.RequestID, "req_") {
				t.Errorf("CD2501 evidence without request_id: %+v", e)
			}
		}
	}
	// Every failing result names its problem.
	for _, r := range doc.Results {
		if r.Status == "fail" && r.Problem == "" {
			t.Errorf("%s fails without naming its problem", r.Check)
		}
	}

	code, out, errOut = runDemoCLI(t, "--fixed", "--format", "json")
	if code != 0 {
		t.Fatalf("demo --fixed exit %d\nstderr: %s", code, errOut)
	}
	if doc := decodeProblems(t, out); len(doc.Problems) != 0 {
		t.Errorf("demo --fixed has %d problems: %+v", len(doc.Problems), doc.Problems)
	}
}

// unreachableConfig is a healthy config whose hosts are base.
func unreachableConfig(t *testing.T, base string) string {
	t.Helper()
	cfg := `version: 1
api_url: ` + base + `
auth_url: ` + base + `
oauth:
  client_id: ${CONTIO_CLIENT_ID}
  client_secret: ${CONTIO_CLIENT_SECRET}
  redirect_uri: https://app.example.com/cb
  registered_redirect_uris: [https://app.example.com/cb]
  scopes: [openid, profile, meetings:read]
tokens:
  access_token: ${CONTIO_ACCESS_TOKEN}
admin:
  api_key: ${CONTIO_API_KEY}
  client_id: ${CONTIO_CLIENT_ID}
calls:
  - name: profile
    method: GET
    path: /v1/partner/user/profile
    auth: bearer
  - name: app
    method: GET
    path: /v1/partner/admin/app
    auth: api_key
    headers: [X-Client-ID]
`
	path := filepath.Join(t.TempDir(), "contio-doctor.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

var unreachableVars = map[string]string{
	"CONTIO_CLIENT_ID": "ctp_unreachable", "CONTIO_CLIENT_SECRET": "cts_unreachable_secret_0123456789",
	"CONTIO_ACCESS_TOKEN": "cto_at_v1_unreachable0123456789abcdef", "CONTIO_API_KEY": "ctk_unreachable_0123456789abcdef",
}

// expectOneNetworkProblem: exactly one error-level problem, under
// network_error, naming the host and the step; every live check is its
// evidence or blocked by it; no result is an error.
func expectOneNetworkProblem(t *testing.T, out, host, step string) {
	t.Helper()
	doc := decodeProblems(t, out)
	var errs []string
	for _, p := range doc.Problems {
		if p.Severity == "error" {
			errs = append(errs, p.ID)
			if p.Guide != "network_error" || !strings.Contains(p.Message, host) || !strings.Contains(p.Message, step) {
				t.Errorf("error problem %s: %s %q, want network_error naming %s and %q", p.ID, p.Guide, p.Message, host, step)
			}
			if len(p.Blocked) < 5 {
				t.Errorf("problem %s blocks only %v", p.ID, p.Blocked)
			}
		}
	}
	if len(errs) != 1 {
		t.Errorf("%d error-level problems (%v), want 1:\n%s", len(errs), errs, out)
	}
	for _, r := range doc.Results {
		if r.Status == "error" {
			t.Errorf("%s could not decide: %s", r.Check, r.Error)
		}
	}
	if doc.Summary.ExitCode != 1 {
		t.Errorf("exit code %d in the report, want 1", doc.Summary.ExitCode)
	}
}

func TestRefusedHostIsOneNetworkProblem(t *testing.T) {
	got := runCLI(t, unreachableVars, "--config", unreachableConfig(t, "http://127.0.0.1:1"), "--format", "json", "--timeout", "3s")
	if got.code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", got.code, got.stderr)
	}
	expectOneNetworkProblem(t, got.stdout, "127.0.0.1:1", "refused")
}

// TestHungHostIsOneNetworkProblem: a host that accepts and never answers
// is one problem that names the step it hung at, reported before the
// run's deadline (each probe's own deadline is shorter than the run's).
func TestHungHostIsOneNetworkProblem(t *testing.T) {
	sb := sandbox.NewTest(t, sandbox.Options{Faults: []sandbox.FaultRule{{Path: "/*", Kind: sandbox.FaultHang}}})
	host := strings.TrimPrefix(sb.URL(), "http://")
	got := runCLI(t, unreachableVars, "--config", unreachableConfig(t, sb.URL()), "--format", "json", "--timeout", "2s")
	if got.code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", got.code, got.stderr)
	}
	expectOneNetworkProblem(t, got.stdout, host, "first response byte")
}
