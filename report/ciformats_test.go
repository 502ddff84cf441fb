package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/config"
	"github.com/Contio-AI/contio-doctor/internal/redact"
	"github.com/Contio-AI/contio-doctor/report"
)

var allFormats = []string{"text", "json", "markdown", "sarif", "junit", "github"}

// TestSecretNeverSurvivesEscaping puts a secret full of characters that the
// formats escape (&, <, %, :, ",", *, |) everywhere a value can appear, and
// requires that no format shows any part of it, escaped or not.
func TestSecretNeverSurvivesEscaping(t *testing.T) {
	const secret = `CANARYs3&cr<e>t%2:x,y*z|"q'`
	red := redact.New(secret)
	r := synthReport()
	f := &r.Results[0].Findings[0]
	f.Message += " " + secret
	f.Evidence = "value " + secret
	f.Commands = []string{"echo " + secret}
	f.Location.File = "dir-" + secret + "/c.yaml"
	r.Results[3].Waiver.Reason = "because " + secret
	r.Results[5].Err = "refused by " + secret
	r.Notes = append(r.Notes, "note "+secret)
	r.Run.ClientID = secret
	for _, format := range allFormats {
		var b bytes.Buffer
		if err := report.Write(&b, r, format, report.Options{}, red); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if strings.Contains(b.String(), "CANARY") {
			t.Errorf("%s shows the secret:\n%s", format, b.String())
		}
		if !strings.Contains(b.String(), "[REDACTED") {
			t.Errorf("%s shows no redaction marker, so the canary never reached it", format)
		}
	}
}

// statedExitCode reads the exit code each document states about itself.
func statedExitCode(t *testing.T, format, out string) int {
	t.Helper()
	var re *regexp.Regexp
	switch format {
	case "json":
		var d struct {
			Summary struct {
				ExitCode *int `json:"exit_code"`
			} `json:"summary"`
		}
		if err := json.Unmarshal([]byte(out), &d); err != nil || d.Summary.ExitCode == nil {
			t.Fatalf("json: no summary.exit_code (%v)", err)
		}
		return *d.Summary.ExitCode
	case "sarif":
		var d struct {
			Runs []struct {
				Invocations []struct {
					ExitCode *int `json:"exitCode"`
				} `json:"invocations"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(out), &d); err != nil || d.Runs[0].Invocations[0].ExitCode == nil {
			t.Fatalf("sarif: no invocations[0].exitCode (%v)", err)
		}
		return *d.Runs[0].Invocations[0].ExitCode
	case "junit":
		re = regexp.MustCompile(`<property name="exit_code" value="(\d)">`)
	case "markdown":
		re = regexp.MustCompile(`\| \*\*exit code\*\* \| \*\*(\d)\*\* \|`)
	case "github":
		re = regexp.MustCompile(`; exit code (\d)\n$`)
	case "text":
		re = regexp.MustCompile(`exit (\d)`)
	}
	m := re.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("%s states no exit code:\n%s", format, out)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// wantExit is the DESIGN.md contract, written independently of the
// runner: 1 when a failing result is at or above --fail-on or a check
// could not decide, unless --fail-on never.
func wantExit(r *report.Report, failOn diagnosis.Severity) int {
	if failOn == diagnosis.SeverityNone {
		return 0
	}
	for _, res := range r.Results {
		if res.Status == diagnosis.StatusError || res.Status == diagnosis.StatusFail && res.Severity >= failOn {
			return 1
		}
	}
	if len(r.Notes) > 0 && failOn <= diagnosis.SeverityWarning {
		return 1
	}
	return 0
}

// TestFailOnSameExitCodeInEveryFormat: for every testdata config and every
// --fail-on value, each format states the same exit code, and it is the
// contract's.
func TestFailOnSameExitCodeInEveryFormat(t *testing.T) {
	t.Chdir(repoRoot(t))
	seen := map[int]bool{}
	// Rendering every format for every config is slow under -race; the
	// formats are rendered for one config per worst failing severity.
	rendered := map[diagnosis.Severity]bool{}
	for _, cfg := range testdataConfigs(t) {
		render := false
		for _, fo := range []string{"error", "warning", "info", "never"} {
			failOn, _ := diagnosis.ParseSeverity(fo)
			r := runConfig(t, cfg, failOn)
			want := wantExit(r, failOn)
			if r.ExitCode != want {
				t.Errorf("%s --fail-on %s: report exit code %d, contract says %d", cfg, fo, r.ExitCode, want)
			}
			seen[want] = true
			if fo == "error" {
				worst := diagnosis.SeverityNone
				for _, res := range r.Results {
					if res.Status == diagnosis.StatusFail {
						worst = max(worst, res.Severity)
					}
				}
				render = !rendered[worst] || strings.Contains(cfg, "multi-fault")
				rendered[worst] = true
			}
			if !render {
				continue
			}
			for _, format := range allFormats {
				if got := statedExitCode(t, format, string(renderVia(t, r, format))); got != r.ExitCode {
					t.Errorf("%s --fail-on %s: %s states exit %d, the run exits %d", cfg, fo, format, got, r.ExitCode)
				}
			}
		}
	}
	if !seen[0] || !seen[1] {
		t.Errorf("the table should cover both exit codes, saw %v", seen)
	}
}

// TestWaiversInEveryFormat runs multi-fault.yaml with an ignore list: one
// waiver in force, one expired, one naming no check.
func TestWaiversInEveryFormat(t *testing.T) {
	t.Chdir(repoRoot(t))
	base, err := os.ReadFile("testdata/multi-fault.yaml")
	if err != nil {
		t.Skipf("testdata/multi-fault.yaml: %v", err)
	}
	// Which checks fail without waivers: waive the first, let the second's
	// waiver expire.
	plain := runConfig(t, "testdata/multi-fault.yaml", diagnosis.SeverityError)
	var failing []string
	for _, res := range plain.Results {
		// CD1007 depends on the copy's file mode; leave it out.
		if res.Status == diagnosis.StatusFail && res.Check.ID != "CD1007" {
			failing = append(failing, res.Check.ID)
		}
	}
	if len(failing) < 2 {
		t.Fatalf("multi-fault.yaml should fail at least two checks, fails %v", failing)
	}
	waived, expired := failing[0], failing[1]
	cfg := filepath.Join(t.TempDir(), "contio-doctor.yaml")
	body := string(base) + "ignore:\n" +
		"  - check: " + waived + "\n    reason: accepted risk, ticket OPS-42\n    until: 2099-12-31\n" +
		"  - check: " + expired + "\n    reason: fixed by release 7\n    until: 2020-01-31\n" +
		"  - check: CD9998\n    reason: stale entry\n"
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	ig, err := config.Load(config.Options{Path: cfg, PathExplicit: true, EnvFile: "testdata/multi-fault.env",
		LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 6, 0, 0, 0, 0, time.UTC)
	r, err := diagnosis.Run(context.Background(), ig, diagnosis.Options{FailOn: diagnosis.SeverityError, Clock: func() time.Time { return now }, RunID: "w"})
	if err != nil {
		t.Fatal(err)
	}

	statusOf := func(id string) diagnosis.Result {
		for _, res := range r.Results {
			if res.Check.ID == id {
				return res
			}
		}
		t.Fatalf("no result for %s", id)
		return diagnosis.Result{}
	}
	if res := statusOf(waived); res.Status != diagnosis.StatusWaived || len(res.Findings) == 0 {
		t.Errorf("%s: status %s with %d findings, want waived with its findings kept", waived, res.Status, len(res.Findings))
	}
	if res := statusOf(expired); res.Status != diagnosis.StatusFail || !res.WaiverExpired {
		t.Errorf("%s: status %s expired=%v, want fail with the expiry recorded", expired, res.Status, res.WaiverExpired)
	}
	if len(r.Notes) != 1 || !strings.Contains(r.Notes[0], `"CD9998" matches no check`) || !strings.Contains(r.Notes[0], ":") {
		t.Errorf("notes %q: want one note, with its position, about the waiver that matches no check", r.Notes)
	}
	if r.ExitCode != 1 {
		t.Errorf("exit code %d: the expired waiver's check fails again", r.ExitCode)
	}

	for _, format := range allFormats {
		out := string(renderVia(t, r, format))
		flat := strings.Join(strings.Fields(out), " ") // the text format wraps
		for _, want := range []string{"accepted risk, ticket OPS-42", "fixed by release 7", "CD9998"} {
			if format == "github" && want == "CD9998" {
				continue // run notes go to the step summary, not to annotations
			}
			if !strings.Contains(flat, want) {
				t.Errorf("%s does not show %q:\n%s", format, want, out)
			}
		}
		if format != "github" && !strings.Contains(strings.ToLower(out), "waived") {
			t.Errorf("%s never says waived", format)
		}
	}
	// Per format, the waived check is shown as such.
	if out := string(renderVia(t, r, "sarif")); !strings.Contains(out, `"justification": "accepted risk, ticket OPS-42 (until 2099-12-31)"`) {
		t.Errorf("sarif: waived result lacks its external suppression")
	}
	if out := string(renderVia(t, r, "junit")); !strings.Contains(out, `<skipped message="waived: accepted risk, ticket OPS-42 (until 2099-12-31)`) {
		t.Errorf("junit: waived check is not a skipped testcase with the reason")
	}
	if out := string(renderVia(t, r, "github")); !strings.Contains(out, "title="+waived) || !strings.Contains(out, "(waived)::") {
		t.Errorf("github: no notice for the waived check")
	}
	if out := string(renderVia(t, r, "markdown")); !strings.Contains(out, "**Waiver expired** on 2020-01-31") {
		t.Errorf("markdown: expired waiver not called out")
	}
}
