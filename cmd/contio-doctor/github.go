package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/Contio-AI/contio-doctor/internal/redact"
	"github.com/Contio-AI/contio-doctor/report"
)

// writeGitHub adds what a GitHub Actions job wants beside the main report:
// annotations after a text report (so problems show on the PR and the run
// page without changing --format), and the Markdown report appended to
// the step summary. Both pass through the redactor like every report.
//
// GITHUB_ACTIONS=true turns annotations on; CONTIO_DOCTOR_ANNOTATIONS=false
// turns them off for a job that already uses --format github or a problem
// matcher. The step summary is written whenever GITHUB_STEP_SUMMARY names a
// file; failing to write it is a warning, never a change of exit code.
func (e *env) writeGitHub(rep *report.Report, o *runOptions, red *redact.Redactor) error {
	inActions := e.getenv("GITHUB_ACTIONS") == "true"
	if inActions && o.format == "text" && e.getenv("CONTIO_DOCTOR_ANNOTATIONS") != "false" {
		if err := report.Write(e.stdout, rep, "github", report.Options{}, red); err != nil {
			return fmt.Errorf("write GitHub annotations: %w", err)
		}
	}
	if path := e.getenv("GITHUB_STEP_SUMMARY"); path != "" {
		if err := appendStepSummary(path, rep, red); err != nil {
			fmt.Fprintf(e.stderr, "%s %v\n", newPalette(e.useColour(e.stderrIsTTY(), o.noColor)).warn.Sprint("contio-doctor: warning:"), red.Error(err))
		}
	}
	return nil
}

func (e *env) getenv(k string) string {
	v, _ := e.lookupEnv(k)
	return v
}

// appendStepSummary appends the Markdown report to GitHub's step summary
// file; other steps write there too, so it never truncates.
func appendStepSummary(path string, rep *report.Report, red *redact.Redactor) error {
	var b bytes.Buffer
	if err := report.Write(&b, rep, "markdown", report.Options{}, red); err != nil {
		return fmt.Errorf("render step summary: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("open step summary: %w", err)
	}
	_, werr := f.Write(append(b.Bytes(), '\n'))
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("write step summary %s: %w", path, werr)
	}
	return nil
}
