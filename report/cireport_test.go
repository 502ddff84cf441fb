package report_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/report"
)

// Synthetic checks in ID ranges no real check uses (x999 and nearby), so the tests do not
// depend on the registry's contents.
func synthCheck(id, name string, guide contio.GuideKey, sev diagnosis.Severity) *diagnosis.Check {
	return &diagnosis.Check{
		ID: id, Name: name, Guide: guide, Severity: sev, Needs: diagnosis.NeedsConfig,
		Title:    "Title of " + name,
		Symptom:  "Symptom of " + name + ".",
		Cause:    "Cause of " + name + ".",
		Fix:      "Fix of " + name + ".",
		Verifies: "Verifies " + name + ".",
		Run:      func(context.Context, *diagnosis.Input) ([]diagnosis.Finding, error) { return nil, nil },
	}
}

var (
	ckSecret   = synthCheck("CD1499", "synthetic-secret", contio.GuideInvalidClient, diagnosis.SeverityError)
	ckEnv      = synthCheck("CD2499", "synthetic-env", contio.GuideNone, diagnosis.SeverityWarning)
	ckHAR      = synthCheck("CD4999", "synthetic-har", contio.GuideMethodNotAllowed, diagnosis.SeverityInfo)
	ckWaived   = synthCheck("CD5499", "synthetic-waived", contio.GuideRateLimitExceeded, diagnosis.SeverityError)
	ckExpired  = synthCheck("CD5498", "synthetic-expired", contio.GuideNone, diagnosis.SeverityWarning)
	ckError    = synthCheck("CD6999", "synthetic-error", contio.GuideNetworkError, diagnosis.SeverityError)
	ckSkip     = synthCheck("CD7999", "synthetic-skip", contio.GuideWebhookSignature, diagnosis.SeverityError)
	ckPass     = synthCheck("CD7498", "synthetic-pass", contio.GuideWebhookMissingSignature, diagnosis.SeverityError)
	synthStart = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
)

// synthReport has one result of every status and texts full of characters
// that each format must escape.
func synthReport() *report.Report {
	r := synthResults()
	r.Problems = diagnosis.Group(r.Results, "")
	return r
}

func synthResults() *report.Report {
	cfg := "deploy/contio-doctor.yaml"
	return &report.Report{
		Tool: diagnosis.Tool{Name: "contio-doctor", Version: "1.2.3"},
		Run: diagnosis.RunInfo{
			ID: "run-0001", StartedAt: synthStart, FinishedAt: synthStart.Add(1500 * time.Millisecond),
			Mode: "offline", ConfigPath: cfg, Fingerprint: "sha256:" + strings.Repeat("ab", 32),
			APIURL: "https://api.contio.ai", AuthURL: "https://auth.contio.ai", ClientID: "client|123",
			GoVersion: "go1.26", OS: "linux", Arch: "amd64",
		},
		FailOn:   diagnosis.SeverityError,
		ExitCode: 1,
		Notes:    []string{`deploy/contio-doctor.yaml:40:5: waiver for "CD9999" matches no check; remove it or fix the ID`},
		Results: []diagnosis.Result{
			{Check: ckSecret, Status: diagnosis.StatusFail, Severity: diagnosis.SeverityError, Duration: 2 * time.Millisecond,
				Findings: []diagnosis.Finding{
					{Severity: diagnosis.SeverityError, Message: "oauth.client_secret ends in a pipe | and a `tick`, 100% sure: really, yes",
						Symptom: ckSecret.Symptom, Cause: ckSecret.Cause, Fix: "Remove the *stray* character <here>.",
						Commands: []string{"printf '%s' \"$CONTIO_CLIENT_SECRET\" | od -c"},
						Evidence: "s3cr…(40 chars, sha256:1a2b3c)", RequestID: "req_123",
						Location: integration.Source{File: cfg, Line: 7, Column: 18, EnvVar: "CONTIO_CLIENT_SECRET"}},
					{Severity: diagnosis.SeverityError, Message: "second finding",
						Symptom: ckSecret.Symptom, Cause: ckSecret.Cause, Fix: ckSecret.Fix,
						Location: integration.Source{File: cfg, Line: 9}},
				}},
			{Check: ckEnv, Status: diagnosis.StatusFail, Severity: diagnosis.SeverityWarning,
				Findings: []diagnosis.Finding{{Severity: diagnosis.SeverityWarning, Message: "redirect_uri comes from the environment",
					Symptom: ckEnv.Symptom, Cause: ckEnv.Cause, Fix: ckEnv.Fix,
					Location: integration.Source{EnvVar: "CONTIO_REDIRECT_URI"}}}},
			{Check: ckHAR, Status: diagnosis.StatusFail, Severity: diagnosis.SeverityInfo,
				Findings: []diagnosis.Finding{{Severity: diagnosis.SeverityInfo, Message: "POST sent where GET is expected",
					Symptom: ckHAR.Symptom, Cause: ckHAR.Cause, Fix: ckHAR.Fix,
					Location: integration.Source{File: "capture.har", HAREntry: 3, URL: "https://api.contio.ai/v1/x"}}}},
			{Check: ckWaived, Status: diagnosis.StatusWaived, Severity: diagnosis.SeverityError,
				Waiver: &integration.Waiver{Check: "CD5499", Reason: "staging | loopback", Until: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)},
				Findings: []diagnosis.Finding{{Severity: diagnosis.SeverityError, Message: "no backoff",
					Symptom: ckWaived.Symptom, Cause: ckWaived.Cause, Fix: ckWaived.Fix,
					Location: integration.Source{File: cfg, Line: 30, Column: 3}}}},
			{Check: ckExpired, Status: diagnosis.StatusFail, Severity: diagnosis.SeverityWarning, WaiverExpired: true,
				Waiver: &integration.Waiver{Check: "CD5498", Reason: "old excuse", Until: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
				Findings: []diagnosis.Finding{{Severity: diagnosis.SeverityWarning, Message: "retries on 400",
					Symptom: ckExpired.Symptom, Cause: ckExpired.Cause, Fix: ckExpired.Fix,
					Location: integration.Source{File: cfg, Line: 31, Column: 3}}}},
			{Check: ckError, Status: diagnosis.StatusError, Err: "dial tcp: connection refused"},
			{Check: ckSkip, Status: diagnosis.StatusSkip, SkipReason: "no webhook URL configured", Enable: "set webhooks.url"},
			{Check: ckPass, Status: diagnosis.StatusPass, Duration: time.Millisecond},
		},
	}
}

func render(t *testing.T, format string, r *report.Report) string {
	t.Helper()
	regroup(r)
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

// regroup folds r's results into problems again, as a run does: tests edit
// results after building a report, and the problems must follow.
func regroup(r *report.Report) {
	r.Problems = diagnosis.Group(r.Results, "")
}
