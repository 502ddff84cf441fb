package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/webhook"
)

const (
	hookCanary  = "whsec_CLI_canary_8c1f2e"
	healthyHook = "whsec_AAs586xUhKuhqZdOpaVifoHQjFWcFCuFQVsYevud" // testdata/healthy.env
)

// runWebhook runs the CLI with stdin and only the variables in vars.
func runWebhook(t *testing.T, stdin string, vars map[string]string, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		lookupEnv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok },
		getwd:     os.Getwd,
	}
	code := e.run(args)
	return cliResult{code: code, stdout: out.String(), stderr: errb.String()}
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// delivery is what the sandbox sends: a realistic envelope signed with webhook.Sign.
func delivery(t *testing.T) []byte {
	t.Helper()
	env := webhook.TestEvent("", "", fixedNow)
	env.Data = json.RawMessage(`{"meeting_id":"7c0e8f3a-2b1d-4c5e-9f60-1a2b3c4d5e6f","title":"Q3 \u003cplanning\u003e \u0026 review – Zürich","workspace_id":"0b6f3c1e-9d2a-4f8b-8c7d-6e5f4a3b2c1d"}`)
	return env.Marshal()
}

func TestWebhookVerify(t *testing.T) {
	inRepoRoot(t)
	body := delivery(t)
	sig := webhook.Sign(hookCanary, body)
	bodyFile := writeTemp(t, "body.json", body)
	vars := map[string]string{"HOOK": hookCanary, "NEWLINE_HOOK": hookCanary + "\n"}
	var parsed map[string]any
	_ = json.Unmarshal(body, &parsed)
	reserialised, _ := json.MarshalIndent(parsed, "", "  ")
	dump := "POST /webhooks HTTP/1.1\r\nHost: app.example.com\r\nx-contio-signature: " + sig + "\r\nContent-Type: application/json\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n" + string(body) + "\n"
	har, _ := json.Marshal(map[string]any{"log": map[string]any{"entries": []any{
		map[string]any{"request": map[string]any{"method": "GET", "url": "https://api.contio.ai/v1/partner/user/profile", "headers": []any{}}},
		map[string]any{"request": map[string]any{"method": "POST", "url": "https://app.example.com/webhooks",
			"headers":  []any{map[string]string{"name": "X-Contio-Signature", "value": sig}},
			"postData": map[string]string{"mimeType": "application/json", "text": base64.StdEncoding.EncodeToString(body), "encoding": "base64"}}},
	}}})
	cases := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{"verifies", "", []string{"--body", bodyFile, "--signature", sig, "--secret-env", "HOOK"}, 0, []string{"✓ signature verifies", "secret:    $HOOK = whse…"}, ""},
		{"stdin", string(body), []string{"--signature", sig, "--secret-env", "HOOK"}, 0, []string{"from stdin"}, ""},
		{"request dump", "", []string{"--request", writeTemp(t, "d.http", []byte(dump)), "--secret-env", "HOOK"}, 0, []string{"✓", "Content-Length is"}, ""},
		{"har entry", "", []string{"--har", writeTemp(t, "c.har", har), "--secret-env", "HOOK"}, 0, []string{"entry 2"}, ""},
		{"missing header in dump", "", []string{"--request", writeTemp(t, "n.http", []byte("POST /webhooks HTTP/1.1\n\n"+string(body))), "--secret-env", "HOOK"}, 1,
			[]string{"✗ signature missing", "#missing-signature-header", "signature: (none)"}, ""},
		{"re-serialised", "", []string{"--body", writeTemp(t, "pretty.json", reserialised), "--signature", sig, "--secret-env", "HOOK"}, 1,
			[]string{"re-serialised", "Keep the raw body", "express.raw", "request.get_data()", "io.ReadAll(r.Body)", "request.raw_post", "await req.text()"}, ""},
		{"capital prefix", "", []string{"--body", bodyFile, "--signature", "SHA256=" + sig[7:], "--secret-env", "HOOK"}, 1, []string{"Node SDK: the Node SDK would reject it too"}, ""},
		{"secret with newline", "", []string{"--body", bodyFile, "--signature", sig, "--secret-env", "NEWLINE_HOOK"}, 1, []string{`"\n" at the end`}, ""},
		{"wrong secret against the config", "", []string{"--body", bodyFile, "--signature", sig, "--config", "testdata/healthy.yaml", "--env-file", "testdata/healthy.env"}, 1,
			[]string{"most likely the secret", "webhooks.secret at testdata/healthy.yaml:53:11", "= whse…(46 chars"}, ""},
		{"rotation: env secret vs config", "", []string{"--body", bodyFile, "--signature", webhook.Sign(healthyHook, body), "--secret-env", "HOOK", "--config", "testdata/healthy.yaml", "--env-file", "testdata/healthy.env"}, 1,
			[]string{"does not verify with $HOOK, but does with webhooks.secret"}, ""},
		{"no signature flag", "", []string{"--body", bodyFile, "--secret-env", "HOOK"}, 2, nil, "--signature is required"},
		{"unset secret env", "", []string{"--body", bodyFile, "--signature", sig, "--secret-env", "NOPE"}, 2, nil, "--secret-env NOPE: the variable is not set"},
		{"two inputs", "", []string{"--body", bodyFile, "--har", "x.har", "--secret-env", "HOOK"}, 2, nil, "give one of"},
		{"bad dump", "", []string{"--request", bodyFile, "--secret-env", "HOOK"}, 2, nil, "line 1: want a request line"},
		{"bad har", "", []string{"--har", bodyFile, "--entry", "3", "--secret-env", "HOOK"}, 2, nil, "no entries"},
		{"bad format", "", []string{"--body", bodyFile, "--signature", sig, "--secret-env", "HOOK", "--format", "xml"}, 2, nil, "want text or json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runWebhook(t, c.stdin, vars, append([]string{"webhook", "verify"}, c.args...)...)
			if r.code != c.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, c.code, r.stdout, r.stderr)
			}
			for _, w := range c.stdout {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
				}
			}
			if c.stderr != "" && !strings.Contains(r.stderr, c.stderr) {
				t.Errorf("stderr = %q, want %q", r.stderr, c.stderr)
			}
			for _, s := range []string{hookCanary, healthyHook} {
				if strings.Contains(r.stdout+r.stderr, s) {
					t.Fatalf("a secret reached the output:\n%s%s", r.stdout, r.stderr)
				}
			}
		})
	}
}

func TestWebhookVerifyJSON(t *testing.T) {
	body := delivery(t)
	sig := webhook.Sign("whsec_other_secret_value", body)
	r := runWebhook(t, string(body), map[string]string{"HOOK": hookCanary}, "webhook", "verify", "--signature", sig, "--secret-env", "HOOK", "--format", "json")
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var doc struct {
		SchemaVersion int    `json:"schema_version"`
		Verified      bool   `json:"verified"`
		Code          string `json:"code"`
		Guide         string `json:"guide"`
		Signature     string `json:"signature"`
		Body          struct {
			EventType string `json:"event_type"`
		} `json:"body"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
	}
	if doc.SchemaVersion != 1 || doc.Verified || doc.Code != "wrong_secret" || doc.Guide != "webhook_signature" || doc.Signature != sig || doc.Body.EventType != "meeting.created" {
		t.Fatalf("document = %+v", doc)
	}
	if strings.Contains(r.stdout, hookCanary) {
		t.Fatal("secret in JSON output")
	}
}

func TestWebhookSign(t *testing.T) {
	body := delivery(t)
	r := runWebhook(t, string(body), map[string]string{"HOOK": hookCanary}, "webhook", "sign", "--secret-env", "HOOK")
	if r.code != 0 || strings.TrimSpace(r.stdout) != webhook.Sign(hookCanary, body) {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}
