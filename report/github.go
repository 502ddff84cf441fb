package report

// GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=T::MSG`
// (warning → ::warning, info → ::notice). Escaping follows actions/toolkit
// (command.ts): in the message `%`, `\r`, `\n` become %25, %0D, %0A; in
// property values `:` and `,` also become %3A and %2C. GitHub shows at most
// 10 error and 10 warning annotations per step (50 per job) and drops the
// rest silently, so problems go out errors first, one annotation each, and
// the last line says where the full report is. Run notes (quotas, waivers
// that match nothing) belong to the step summary, never to ::warning.

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

// Render writes one annotation per problem (errors, then warnings, then
// notices), one per waived finding and per check that could not decide,
// and a summary line.
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
	for _, sev := range []diagnosis.Severity{diagnosis.SeverityError, diagnosis.SeverityWarning, diagnosis.SeverityInfo} {
		for _, p := range r.Problems {
			if p.Severity != sev {
				continue
			}
			// One annotation per problem, on each source line that shows
			// it (a scan finds the same mistake on several lines).
			places := ghProblemPlaces(p)
			for _, at := range places {
				emit(ghKind(p.Severity), ciLocate(r, at.loc), at.check+" ("+p.ID+"): "+p.Title, ghProblemMessage(r, p, at.message, places[0].loc))
			}
		}
		if sev != diagnosis.SeverityError {
			continue
		}
		for _, res := range r.Results { // errors first: a check that could not decide
			if res.Status == diagnosis.StatusError {
				emit("error", ciLocate(r, integration.Source{}), res.Check.ID+" "+res.Check.Name+": could not decide", res.Err)
			}
		}
	}
	for _, res := range r.Results {
		c := res.Check
		switch res.Status {
		case diagnosis.StatusWaived:
			reason := ""
			if res.Waiver != nil {
				reason = waiverText(res.Waiver)
			}
			for _, f := range res.Findings {
				emit("notice", ciLocate(r, f.Location), c.ID+" "+c.Name+" (waived)", f.Message+"\nWaived: "+reason)
			}
		}
	}
	for _, kind := range []string{"error", "warning"} {
		if n := counts[kind]; n > githubAnnotationCap {
			fmt.Fprintf(&b, "::notice title=%s::%s\n", ghProperty("contio-doctor: annotations capped"),
				ghData(fmt.Sprintf("%d %s annotations; GitHub shows the first %d. The step summary and the log above have all of them.", n, kind, githubAnnotationCap)))
		}
	}
	cnt := r.Counts()
	fmt.Fprintf(&b, "contio-doctor: %s (%d failed checks), %d could not decide, %d waived, %d passed, %d skipped; --fail-on %s; exit code %d\n",
		textPlural(len(r.Problems), "problem"), cnt.Fail, cnt.Error, cnt.Waived, cnt.Pass, cnt.Skip, failOnName(r.FailOn), r.ExitCode)
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

// ghPlace is where one of a problem's annotations points.
type ghPlace struct {
	loc            integration.Source
	check, message string
}

// ghProblemPlaces are the lines a problem's annotations point at: each
// distinct file line its evidence names, or, when none names a line, the
// first file (or nothing) once.
func ghProblemPlaces(p diagnosis.Problem) []ghPlace {
	var out []ghPlace
	seen := map[string]bool{}
	for _, e := range p.Evidence {
		if e.Location.File == "" || e.Location.Line == 0 {
			continue
		}
		key := fmt.Sprintf("%s:%d", e.Location.File, e.Location.Line)
		if !seen[key] {
			seen[key] = true
			out = append(out, ghPlace{loc: e.Location, check: e.Check, message: e.Message})
		}
	}
	if len(out) > 0 {
		out[0].message = p.Message
		return out
	}
	place := ghPlace{message: p.Message}
	if len(p.Checks) > 0 {
		place.check = p.Checks[0]
	}
	for _, e := range p.Evidence {
		if e.Location.File != "" || e.Location.EnvVar != "" {
			place.loc = e.Location
			break
		}
	}
	return []ghPlace{place}
}

// ghProblemMessage is what a problem's annotation says: the message, cause
// and fix once, then each piece of evidence with its request_id.
// first is where the problem's first annotation points; a value from the
// environment says which variable.
func ghProblemMessage(r *Report, p diagnosis.Problem, message string, first integration.Source) string {
	var b strings.Builder
	b.WriteString(message)
	if first.EnvVar != "" && first.Line == 0 {
		b.WriteString(" (from $" + first.EnvVar + ")")
	}
	for _, id := range p.Checks {
		if res := resultOf(r, id); res != nil && res.Waiver != nil && res.WaiverExpired {
			b.WriteString("\nWaiver expired on " + res.Waiver.Until.Format("2006-01-02") + ": " + res.Waiver.Reason)
		}
	}
	b.WriteString("\nCause: " + p.Cause)
	b.WriteString("\nFix: " + p.Fix)
	for _, c := range p.Commands {
		b.WriteString("\n  $ " + c)
	}
	if len(p.Evidence) > 1 {
		for _, e := range p.Evidence {
			line := "\nSeen (" + string(e.Source) + ", " + e.Check + "): " + e.Message
			if e.RequestID != "" {
				line += " [request_id " + e.RequestID + "]"
			}
			b.WriteString(line)
		}
	} else if len(p.Evidence) == 1 && p.Evidence[0].RequestID != "" {
		b.WriteString("\nrequest_id: " + p.Evidence[0].RequestID)
	}
	if len(p.Blocked) > 0 {
		b.WriteString("\nCould not run because of it: " + strings.Join(p.Blocked, " "))
	}
	if u := guideURL(p.Guide); u != "" {
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
