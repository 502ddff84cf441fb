package report_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/har"
	"github.com/Contio-AI/contio-doctor/report"
)

// runCapture diagnoses a testdata/har capture as `contio-doctor har` does.
func runCapture(t *testing.T, name string) *report.Report {
	t.Helper()
	path := filepath.Join(repoRoot(t), "testdata", "har", name+".har")
	ig, err := har.LoadFile(path, har.Options{File: "testdata/har/" + name + ".har"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	rep, err := diagnosis.Run(context.Background(), ig, diagnosis.Options{FailOn: diagnosis.SeverityError, Clock: func() time.Time { return now }, RunID: "flow"})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// section cuts the flow out of a rendered report, from its title to the
// first of the ends after it: the goldens pin the flow, not the rest.
func section(t *testing.T, out, title string, ends ...string) string {
	t.Helper()
	i := strings.Index(out, title)
	if i < 0 {
		t.Fatalf("no %q section in:\n%s", title, out)
	}
	rest := out[i:]
	cut := len(rest)
	for _, end := range ends {
		if j := strings.Index(rest, end); j >= 0 && j < cut {
			cut = j
		}
	}
	return rest[:cut] + "\n"
}

// textSection is the text report's flow: its banner, a blank line, the
// timeline up to the next blank line.
func textSection(t *testing.T, out string) string {
	t.Helper()
	i := strings.Index(out, "Observed flow")
	if i < 0 {
		t.Fatalf("no flow in:\n%s", out)
	}
	rest := out[i:]
	head := strings.Index(rest, "\n\n") + 2
	if end := strings.Index(rest[head:], "\n\n"); end >= 0 {
		rest = rest[:head+end]
	}
	return rest + "\n"
}

// The observed flow of a browser capture, of an SDK session through the
// proxy with a reused code, of an admin call without X-Client-ID, and of
// 110 calls in a row (grouped into one step): a
// Mermaid diagram in Markdown (the step summary too), a timeline in text.
func TestFlowGolden(t *testing.T) {
	for _, name := range []string{"healthy", "sdk-code-reused", "admin-missing-client-id", "rate-over-limit"} {
		t.Run(name, func(t *testing.T) {
			rep := runCapture(t, name)
			t.Run("markdown", func(t *testing.T) {
				textGolden(t, []byte(section(t, render(t, "markdown", rep), "## Observed flow", "\n## Problems", "\n<details>", "\n## Notes")))
			})
			t.Run("text", func(t *testing.T) {
				textGolden(t, []byte(textSection(t, render(t, "text", rep))))
			})
		})
	}
}

func TestFlowMarksTheBrokenStep(t *testing.T) {
	f := runCapture(t, "sdk-code-reused").Flow
	if f == nil || f.Broken < 0 {
		t.Fatalf("no broken step in %+v", f)
	}
	s := f.Steps[f.Broken]
	if s.Request != "POST /oauth2/token" || s.Answer != "400 invalid_grant" || strings.Join(s.Checks, " ") != "CD2402 CD2450" {
		t.Errorf("broken step %+v, want the second code exchange with CD2402 CD2450", s)
	}
	if f := runCapture(t, "healthy").Flow; f == nil || f.Broken != -1 {
		t.Errorf("healthy capture: broken step %d, want none", f.Broken)
	}
}

func TestFlowIsRedacted(t *testing.T) {
	rep := runCapture(t, "sdk-code-reused")
	red := rep.Redacted(func(s string) string { return strings.ReplaceAll(s, "app.example.com", "[REDACTED]") })
	for _, s := range red.Flow.Steps {
		if strings.Contains(s.Request, "app.example.com") {
			t.Errorf("flow step not redacted: %q", s.Request)
		}
	}
}

func TestConfigRunsHaveNoFlow(t *testing.T) {
	t.Chdir(repoRoot(t))
	if rep := runConfig(t, "testdata/healthy.yaml", diagnosis.SeverityError); rep.Flow != nil {
		t.Errorf("a config run drew a flow: %+v", rep.Flow)
	}
	if out := render(t, "markdown", runConfig(t, "testdata/healthy.yaml", diagnosis.SeverityError)); strings.Contains(out, "Observed flow") {
		t.Error("a config run's Markdown has an Observed flow section")
	}
}

func TestFlowTimelineInASCII(t *testing.T) {
	rd, err := report.For("text", report.Options{ASCII: true})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rd.Render(&b, runCapture(t, "sdk-code-reused")); err != nil {
		t.Fatal(err)
	}
	flow := textSection(t, b.String())
	for _, r := range flow {
		if r > 127 {
			t.Fatalf("non-ASCII %q in the ASCII timeline:\n%s", r, flow)
		}
	}
	if !strings.Contains(flow, "App -> Contio") || !strings.Contains(flow, "x broke here: CD2402, CD2450") {
		t.Errorf("ASCII timeline:\n%s", flow)
	}
}
