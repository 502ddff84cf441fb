package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/report"
)

func renderJSON(t *testing.T, r *report.Report) []byte {
	t.Helper()
	regroup(r)
	rd, err := report.For("json", report.Options{Color: true, ASCII: true, Width: 10})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rd.Render(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestJSONGolden(t *testing.T) {
	textGolden(t, renderJSON(t, textJSONFixture()))
}

// TestJSONContract decodes the document into the shape DESIGN.md promises
// and checks the values a CI consumer reads.
func TestJSONContract(t *testing.T) {
	out := renderJSON(t, textJSONFixture())
	if !bytes.HasSuffix(out, []byte("}\n")) || !bytes.HasPrefix(out, []byte("{\n  \"schema_version\": 1,\n")) {
		t.Errorf("not an indented, newline-terminated document starting with schema_version:\n%s", out)
	}
	var doc struct {
		SchemaVersion int `json:"schema_version"`
		Tool          struct{ Name, Version string }
		Run           struct {
			ID         string `json:"id"`
			StartedAt  string `json:"started_at"`
			FinishedAt string `json:"finished_at"`
			Mode       string `json:"mode"`
			Config     struct{ Path, Fingerprint string }
		}
		Summary struct {
			Pass, Fail, Skip, Error, Waived int
			ExitCode                        int    `json:"exit_code"`
			FailOn                          string `json:"fail_on"`
		}
		Results []struct {
			Check, Name, Guide, Title, Status, Severity string
			GuideURL                                    string   `json:"guide_url"`
			DurationMS                                  *float64 `json:"duration_ms"`
			SkipReason                                  *string  `json:"skip_reason"`
			Enable, Error                               string
			Waiver                                      *struct {
				Reason, Until string
				Expired       bool
			}
			Findings []struct {
				Message, Symptom, Cause, Fix, Evidence string
				RequestID                              string `json:"request_id"`
				Location                               *struct {
					File         string
					Line, Column int
					EnvVar       string `json:"env_var"`
				}
				Commands []string
			}
		}
		Notes []string
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decode: %v\n%s", err, out)
	}
	if doc.SchemaVersion != 1 || doc.Tool.Name != "contio-doctor" || doc.Tool.Version != "1.2.3" {
		t.Errorf("schema/tool: %+v %+v", doc.SchemaVersion, doc.Tool)
	}
	if doc.Run.ID != "run-0001" || doc.Run.StartedAt != "2026-03-01T12:00:00.000Z" || doc.Run.FinishedAt != "2026-03-01T12:00:00.042Z" || doc.Run.Mode != "offline" {
		t.Errorf("run: %+v", doc.Run)
	}
	if doc.Run.Config.Path != "contio-doctor.yaml" || !strings.HasPrefix(doc.Run.Config.Fingerprint, "sha256:") {
		t.Errorf("run.config: %+v", doc.Run.Config)
	}
	s := doc.Summary
	if s.Pass != 2 || s.Fail != 5 || s.Skip != 3 || s.Error != 1 || s.Waived != 1 || s.ExitCode != 1 || s.FailOn != "error" {
		t.Errorf("summary: %+v", s)
	}
	if len(doc.Results) != 12 {
		t.Fatalf("%d results, want 12 (one per check, in the order given)", len(doc.Results))
	}
	byID := map[string]int{}
	for i, r := range doc.Results {
		byID[r.Check] = i
		if r.DurationMS == nil || r.SkipReason == nil || r.Findings == nil {
			t.Errorf("%s: a contract field is missing: %+v", r.Check, r)
		}
		for _, f := range r.Findings {
			if f.Location == nil {
				t.Errorf("%s: a finding without location: %+v", r.Check, f)
			}
		}
	}
	basic := doc.Results[byID["CD1103"]]
	if basic.Status != "fail" || basic.Severity != "error" || basic.Guide != "basic_auth_encoding" ||
		basic.GuideURL != "https://docs.contio.ai/partner-api/guides/troubleshooting/#basic-auth-encoding-issues" {
		t.Errorf("CD1103: %+v", basic)
	}
	if len(basic.Findings) != 2 {
		t.Fatalf("CD1103 findings: %+v", basic.Findings)
	}
	f := basic.Findings[0]
	if f.Location.File != "contio-doctor.yaml" || f.Location.Line != 14 || f.Location.Column != 22 || f.Location.EnvVar != "CONTIO_BASIC_AUTH" {
		t.Errorf("CD1103 location: %+v", f.Location)
	}
	if len(f.Commands) != 1 || !strings.HasPrefix(f.Commands[0], "printf") || f.Symptom == "" || f.Cause == "" || f.Fix == "" {
		t.Errorf("CD1103 finding: %+v", f)
	}
	if basic.Findings[1].RequestID != "req_01HZX3" {
		t.Errorf("request_id: %+v", basic.Findings[1])
	}
	if d := *basic.DurationMS; d != 6 {
		t.Errorf("CD1103 duration_ms = %v, want 6", d)
	}
	if r := doc.Results[byID["CD1500"]]; r.Status != "skip" || *r.SkipReason != "offline run" || r.Enable != "run without --offline to probe the API" {
		t.Errorf("skip: %+v", r)
	}
	if r := doc.Results[byID["CD6501"]]; r.Status != "error" || !strings.Contains(r.Error, "boom") {
		t.Errorf("error: %+v", r)
	}
	if r := doc.Results[byID["CD2104"]]; r.Status != "waived" || r.Waiver == nil || r.Waiver.Until != "2027-01-31" || r.Waiver.Expired {
		t.Errorf("waived: %+v", r)
	}
	if r := doc.Results[byID["CD1105"]]; r.Status != "fail" || r.Waiver == nil || !r.Waiver.Expired || r.Waiver.Until != "2025-01-31" {
		t.Errorf("expired waiver: %+v", r)
	}
	if r := doc.Results[byID["CD1001"]]; r.Status != "pass" || r.Severity != "error" || len(r.Findings) != 0 {
		t.Errorf("a pass must carry its check's default severity and no findings: %+v", r)
	}
	if r := doc.Results[byID["CD1003"]]; r.Guide != "" || r.GuideURL != "" {
		t.Errorf("a check beyond the guide has guide %q url %q", r.Guide, r.GuideURL)
	}
	if len(doc.Notes) != 1 {
		t.Errorf("notes: %v", doc.Notes)
	}
}

func TestJSONEmptyListsAreArrays(t *testing.T) {
	r := textJSONFixture()
	r.Results = r.Results[:1]
	r.Notes = nil
	out := string(renderJSON(t, r))
	for _, want := range []string{`"findings": []`, `"notes": []`} {
		if !strings.Contains(out, want) {
			t.Errorf("document lacks %s (consumers iterate it without a null check):\n%s", want, out)
		}
	}
	r.Results = nil
	if out := string(renderJSON(t, r)); !strings.Contains(out, `"results": []`) {
		t.Errorf("no results gives no empty array:\n%s", out)
	}
}

func TestJSONFailOnNever(t *testing.T) {
	r := textJSONFixture()
	r.FailOn, r.ExitCode = diagnosis.SeverityNone, 0
	out := string(renderJSON(t, r))
	if !strings.Contains(out, `"exit_code": 0,`) || !strings.Contains(out, `"fail_on": "never"`) {
		t.Errorf("summary with --fail-on never:\n%s", out)
	}
}
