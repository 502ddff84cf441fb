package report_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/report"
)

// Synthetic checks in ID ranges no real check uses (x999 and nearby), so the tests do not
// depend on the registry's contents.
func synthCheck(id, name string, guide contio.GuideKey, sev checks.Severity) *checks.Check {
	return &checks.Check{
		ID: id, Name: name, Guide: guide, Severity: sev, Needs: checks.NeedsConfig,
		Title:    "Title of " + name,
		Symptom:  "Symptom of " + name + ".",
		Cause:    "Cause of " + name + ".",
		Fix:      "Fix of " + name + ".",
		Verifies: "Verifies " + name + ".",
		Run:      func(context.Context, *checks.Input) ([]checks.Finding, error) { return nil, nil },
	}
}

var (
	ckSecret   = synthCheck("CD1499", "synthetic-secret", contio.GuideInvalidClient, checks.SeverityError)
	ckEnv      = synthCheck("CD2499", "synthetic-env", contio.GuideNone, checks.SeverityWarning)
	ckHAR      = synthCheck("CD4999", "synthetic-har", contio.GuideMethodNotAllowed, checks.SeverityInfo)
	ckWaived   = synthCheck("CD5499", "synthetic-waived", contio.GuideRateLimitExceeded, checks.SeverityError)
	ckExpired  = synthCheck("CD5498", "synthetic-expired", contio.GuideNone, checks.SeverityWarning)
	ckError    = synthCheck("CD6999", "synthetic-error", contio.GuideNetworkError, checks.SeverityError)
	ckSkip     = synthCheck("CD7999", "synthetic-skip", contio.GuideWebhookSignature, checks.SeverityError)
	ckPass     = synthCheck("CD7498", "synthetic-pass", contio.GuideWebhookMissingSignature, checks.SeverityError)
	synthStart = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
)

// synthReport has one result of every status and texts full of characters
// that each format must escape.
func synthReport() *report.Report {
	cfg := "deploy/contio-doctor.yaml"
	return &report.Report{
		Tool: report.Tool{Name: "contio-doctor", Version: "1.2.3"},
		Run: report.Run{
			ID: "run-0001", StartedAt: synthStart, FinishedAt: synthStart.Add(1500 * time.Millisecond),
			Mode: "offline", ConfigPath: cfg, Fingerprint: "sha256:" + strings.Repeat("ab", 32),
			APIURL: "https://api.contio.ai", AuthURL: "https://auth.contio.ai", ClientID: "client|123",
			GoVersion: "go1.26", OS: "linux", Arch: "amd64",
		},
		FailOn:   checks.SeverityError,
		ExitCode: 1,
		Notes:    []string{`deploy/contio-doctor.yaml:40:5: waiver for "CD9999" matches no check; remove it or fix the ID`},
		Results: []checks.Result{
			{Check: ckSecret, Status: checks.StatusFail, Severity: checks.SeverityError, Duration: 2 * time.Millisecond,
				Findings: []checks.Finding{
					{Severity: checks.SeverityError, Message: "oauth.client_secret ends in a pipe | and a `tick`, 100% sure: really, yes",
						Symptom: ckSecret.Symptom, Cause: ckSecret.Cause, Fix: "Remove the *stray* character <here>.",
						Commands: []string{"printf '%s' \"$CONTIO_CLIENT_SECRET\" | od -c"},
						Evidence: "s3cr…(40 chars, sha256:1a2b3c)", RequestID: "req_123",
						Location: integration.Source{File: cfg, Line: 7, Column: 18, EnvVar: "CONTIO_CLIENT_SECRET"}},
					{Severity: checks.SeverityError, Message: "second finding",
						Symptom: ckSecret.Symptom, Cause: ckSecret.Cause, Fix: ckSecret.Fix,
						Location: integration.Source{File: cfg, Line: 9}},
				}},
			{Check: ckEnv, Status: checks.StatusFail, Severity: checks.SeverityWarning,
				Findings: []checks.Finding{{Severity: checks.SeverityWarning, Message: "redirect_uri comes from the environment",
					Symptom: ckEnv.Symptom, Cause: ckEnv.Cause, Fix: ckEnv.Fix,
					Location: integration.Source{EnvVar: "CONTIO_REDIRECT_URI"}}}},
			{Check: ckHAR, Status: checks.StatusFail, Severity: checks.SeverityInfo,
				Findings: []checks.Finding{{Severity: checks.SeverityInfo, Message: "POST sent where GET is expected",
					Symptom: ckHAR.Symptom, Cause: ckHAR.Cause, Fix: ckHAR.Fix,
					Location: integration.Source{File: "capture.har", HAREntry: 3, URL: "https://api.contio.ai/v1/x"}}}},
			{Check: ckWaived, Status: checks.StatusWaived, Severity: checks.SeverityError,
				Waiver: &integration.Waiver{Check: "CD5499", Reason: "staging | loopback", Until: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)},
				Findings: []checks.Finding{{Severity: checks.SeverityError, Message: "no backoff",
					Symptom: ckWaived.Symptom, Cause: ckWaived.Cause, Fix: ckWaived.Fix,
					Location: integration.Source{File: cfg, Line: 30, Column: 3}}}},
			{Check: ckExpired, Status: checks.StatusFail, Severity: checks.SeverityWarning, WaiverExpired: true,
				Waiver: &integration.Waiver{Check: "CD5498", Reason: "old excuse", Until: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
				Findings: []checks.Finding{{Severity: checks.SeverityWarning, Message: "retries on 400",
					Symptom: ckExpired.Symptom, Cause: ckExpired.Cause, Fix: ckExpired.Fix,
					Location: integration.Source{File: cfg, Line: 31, Column: 3}}}},
			{Check: ckError, Status: checks.StatusError, Err: "dial tcp: connection refused"},
			{Check: ckSkip, Status: checks.StatusSkip, SkipReason: "no webhook URL configured", Enable: "set webhooks.url"},
			{Check: ckPass, Status: checks.StatusPass, Duration: time.Millisecond},
		},
	}
}

func render(t *testing.T, format string, r *report.Report) string {
	t.Helper()
	rd, err := report.For(format, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rd.Render(&b, r); err != nil {
		t.Fatalf("render %s: %v", format, err)
	}
	return b.String()
}
