package report

// GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=T::MSG`
// (warning → ::warning, info → ::notice). Escaping follows actions/toolkit
// (command.ts): in the message `%`, `\r`, `\n` become %25, %0D, %0A; in
// property values `:` and `,` also become %3A and %2C. GitHub shows at most
// 10 error and 10 warning annotations per step (50 per job) and drops the
// rest silently, so the last line says where the full report is.

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func init() {
	formats["github"] = func(Options) Renderer { return GitHubRenderer{} }
}

// GitHubRenderer writes GitHub Actions annotations. The CLI also appends it
// after the text report when it runs inside GitHub Actions.
type GitHubRenderer struct{}

// githubAnnotationCap is GitHub's per-step limit for each of error and
// warning annotations.
const githubAnnotationCap = 10

// Render writes one annotation per finding of a failing or waived check,
// one per check that could not decide, one per run note, and a summary.
func (GitHubRenderer) Render(w io.Writer, r *Report) error {
	var b strings.Builder
	counts := map[string]int{}
	emit := func(kind string, loc ciLocation, title, msg string) {
		counts[kind]++
		var props []string
		if loc.File != "" {
			props = append(props, "file="+ghProperty(loc.File))
			if loc.Line > 0 {
				props = append(props, "line="+strconv.Itoa(loc.Line))
				if loc.Column > 0 {
					props = append(props, "col="+strconv.Itoa(loc.Column))
				}
			}
		}
		props = append(props, "title="+ghProperty(title))
		fmt.Fprintf(&b, "::%s %s::%s\n", kind, strings.Join(props, ","), ghData(msg))
	}
	for _, res := range r.Results {
		c := res.Check
		switch res.Status {
		case diagnosis.StatusFail:
			for _, f := range res.Findings {
				emit(ghKind(f.Severity), ciLocate(r, f.Location), c.ID+" "+c.Name+": "+c.Title, ghFindingMessage(res, f))
			}
		case diagnosis.StatusWaived:
			reason := ""
			if res.Waiver != nil {
				reason = waiverText(res.Waiver)
			}
			for _, f := range res.Findings {
				emit("notice", ciLocate(r, f.Location), c.ID+" "+c.Name+" (waived)", f.Message+"\nWaived: "+reason)
			}
		case diagnosis.StatusError:
			emit("error", ciLocate(r, integration.Source{}), c.ID+" "+c.Name+": could not decide", res.Err)
		}
	}
	for _, n := range r.Notes {
		emit("warning", ciLocate(r, integration.Source{}), "contio-doctor configuration", n)
	}
	for _, kind := range []string{"error", "warning"} {
		if n := counts[kind]; n > githubAnnotationCap {
			fmt.Fprintf(&b, "::notice title=%s::%s\n", ghProperty("contio-doctor: annotations capped"),
				ghData(fmt.Sprintf("%d %s annotations; GitHub shows the first %d. The step summary and the log above have all of them.", n, kind, githubAnnotationCap)))
		}
	}
	cnt := r.Counts()
	fmt.Fprintf(&b, "contio-doctor: %d failed, %d could not decide, %d waived, %d passed, %d skipped; --fail-on %s; exit code %d\n",
		cnt.Fail, cnt.Error, cnt.Waived, cnt.Pass, cnt.Skip, failOnName(r.FailOn), r.ExitCode)
	_, err := io.WriteString(w, b.String())
	return err
}

func ghKind(s diagnosis.Severity) string {
	switch s {
	case diagnosis.SeverityError:
		return "error"
	case diagnosis.SeverityWarning:
		return "warning"
	}
	return "notice"
}

// ghFindingMessage is what the annotation says: the problem, the cause and
// the fix, with commands and the guide link.
func ghFindingMessage(res diagnosis.Result, f diagnosis.Finding) string {
	var b strings.Builder
	b.WriteString(f.Message)
	if f.Location.EnvVar != "" && f.Location.Line == 0 {
		b.WriteString(" (from $" + f.Location.EnvVar + ")")
	}
	if res.WaiverExpired && res.Waiver != nil {
		b.WriteString("\nWaiver expired on " + res.Waiver.Until.Format("2006-01-02") + ": " + res.Waiver.Reason)
	}
	b.WriteString("\nCause: " + f.Cause)
	b.WriteString("\nFix: " + f.Fix)
	for _, c := range f.Commands {
		b.WriteString("\n  $ " + c)
	}
	if f.Evidence != "" {
		b.WriteString("\nEvidence: " + f.Evidence)
	}
	if f.RequestID != "" {
		b.WriteString("\nrequest_id: " + f.RequestID)
	}
	if u := guideURL(res.Check.Guide); u != "" {
		b.WriteString("\nGuide: " + u)
	}
	return b.String()
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
