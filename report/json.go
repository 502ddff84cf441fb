package report

import (
	"bytes"
	"encoding/json"
	"io"
	"time"

	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/contio"
)

func init() {
	formats["json"] = func(Options) Renderer { return jsonRenderer{} }
}

// jsonRenderer writes the DESIGN.md document. Field names are a contract:
// fields may be added, never renamed. Struct order is the output order, so
// the document is stable byte for byte for the same results.
type jsonRenderer struct{}

type jsonDoc struct {
	SchemaVersion int          `json:"schema_version"`
	Tool          jsonTool     `json:"tool"`
	Run           jsonRun      `json:"run"`
	Summary       jsonSummary  `json:"summary"`
	Results       []jsonResult `json:"results"`
	Notes         []string     `json:"notes"`
}

type jsonTool struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	GoVersion string `json:"go_version,omitempty"`
	OS        string `json:"os,omitempty"`
	Arch      string `json:"arch,omitempty"`
}

type jsonRun struct {
	ID         string     `json:"id"`
	StartedAt  string     `json:"started_at"`
	FinishedAt string     `json:"finished_at"`
	Mode       string     `json:"mode"`
	Config     jsonConfig `json:"config"`
	APIURL     string     `json:"api_url,omitempty"`
	AuthURL    string     `json:"auth_url,omitempty"`
	ClientID   string     `json:"client_id,omitempty"`
	APIVersion string     `json:"api_version,omitempty"`
}

type jsonConfig struct {
	Path        string `json:"path"`
	Fingerprint string `json:"fingerprint"`
}

type jsonSummary struct {
	Pass     int `json:"pass"`
	Fail     int `json:"fail"`
	Skip     int `json:"skip"`
	Error    int `json:"error"`
	Waived   int `json:"waived"`
	ExitCode int `json:"exit_code"`
	// FailOn is the --fail-on threshold the exit code was computed with.
	FailOn string `json:"fail_on"`
}

type jsonResult struct {
	Check      string        `json:"check"`
	Name       string        `json:"name"`
	Guide      string        `json:"guide"`
	GuideURL   string        `json:"guide_url"`
	Title      string        `json:"title"`
	Status     string        `json:"status"`
	Severity   string        `json:"severity"`
	DurationMS float64       `json:"duration_ms"`
	SkipReason string        `json:"skip_reason"`
	Findings   []jsonFinding `json:"findings"`
	// Extras beyond the contract.
	Enable string      `json:"enable,omitempty"`
	Error  string      `json:"error,omitempty"`
	Waiver *jsonWaiver `json:"waiver,omitempty"`
}

type jsonWaiver struct {
	Reason  string `json:"reason"`
	Until   string `json:"until,omitempty"`
	Expired bool   `json:"expired"`
}

type jsonFinding struct {
	Message   string       `json:"message"`
	Symptom   string       `json:"symptom"`
	Cause     string       `json:"cause"`
	Fix       string       `json:"fix"`
	Evidence  string       `json:"evidence"`
	Location  jsonLocation `json:"location"`
	RequestID string       `json:"request_id"`
	// Extras beyond the contract.
	Severity string   `json:"severity,omitempty"`
	Commands []string `json:"commands,omitempty"`
}

type jsonLocation struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// EnvVar names the variable a ${VAR} value was expanded from.
	EnvVar string `json:"env_var,omitempty"`
	// HAREntry is the 1-based entry of a HAR capture the value was seen in.
	HAREntry int    `json:"har_entry,omitempty"`
	URL      string `json:"url,omitempty"`
}

// Render writes the document, indented and newline-terminated.
func (jsonRenderer) Render(w io.Writer, r *Report) error {
	c := r.Counts()
	failOn := r.FailOn.String()
	if failOn == "" {
		failOn = "never"
	}
	doc := jsonDoc{
		SchemaVersion: SchemaVersion,
		Tool: jsonTool{
			Name: r.Tool.Name, Version: r.Tool.Version,
			GoVersion: r.Run.GoVersion, OS: r.Run.OS, Arch: r.Run.Arch,
		},
		Run: jsonRun{
			ID:         r.Run.ID,
			StartedAt:  jsonTimestamp(r.Run.StartedAt),
			FinishedAt: jsonTimestamp(r.Run.FinishedAt),
			Mode:       r.Run.Mode,
			Config:     jsonConfig{Path: r.Run.ConfigPath, Fingerprint: r.Run.Fingerprint},
			APIURL:     r.Run.APIURL,
			AuthURL:    r.Run.AuthURL,
			ClientID:   r.Run.ClientID,
			APIVersion: r.Run.APIVersion,
		},
		Summary: jsonSummary{
			Pass: c.Pass, Fail: c.Fail, Skip: c.Skip, Error: c.Error, Waived: c.Waived,
			ExitCode: r.ExitCode, FailOn: failOn,
		},
		Results: make([]jsonResult, 0, len(r.Results)),
		Notes:   append([]string{}, r.Notes...),
	}
	for _, res := range r.Results {
		doc.Results = append(doc.Results, jsonResultFor(res))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // URLs with & and <placeholders> stay readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func jsonResultFor(res checks.Result) jsonResult {
	c := res.Check
	out := jsonResult{
		Check:      c.ID,
		Name:       c.Name,
		Guide:      string(c.Guide),
		Title:      c.Title,
		Status:     string(res.Status),
		DurationMS: float64(res.Duration.Microseconds()) / 1000,
		SkipReason: res.SkipReason,
		Findings:   make([]jsonFinding, 0, len(res.Findings)),
		Enable:     res.Enable,
		Error:      res.Err,
	}
	if g, ok := contio.LookupGuide(c.Guide); ok {
		out.GuideURL = g.URL()
	}
	// Severity is that of the worst finding for fail and waived results;
	// the check's default otherwise, so consumers can filter every row
	// (schema/report.schema.json).
	sev := res.Severity
	if sev == checks.SeverityNone {
		sev = c.Severity
	}
	out.Severity = sev.String()
	for _, f := range res.Findings {
		out.Findings = append(out.Findings, jsonFinding{
			Message:  f.Message,
			Symptom:  f.Symptom,
			Cause:    f.Cause,
			Fix:      f.Fix,
			Evidence: f.Evidence,
			Location: jsonLocation{
				File: f.Location.File, Line: f.Location.Line, Column: f.Location.Column,
				EnvVar: f.Location.EnvVar, HAREntry: f.Location.HAREntry, URL: f.Location.URL,
			},
			RequestID: f.RequestID,
			Severity:  f.Severity.String(),
			Commands:  f.Commands,
		})
	}
	if w := res.Waiver; w != nil {
		jw := &jsonWaiver{Reason: w.Reason, Expired: res.WaiverExpired}
		if !w.Until.IsZero() {
			jw.Until = w.Until.Format(time.DateOnly)
		}
		out.Waiver = jw
	}
	return out
}

// jsonTimestamp is RFC 3339 in UTC with milliseconds; "" for the zero time.
func jsonTimestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}
