package report

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
)

func init() {
	formats["markdown"] = func(Options) Renderer { return markdownRenderer{} }
}

// markdownRenderer writes a report for a support ticket or a GitHub issue
// (and the GitHub step summary): readable as source, tidy when rendered.
type markdownRenderer struct{}

func (markdownRenderer) Render(w io.Writer, r *Report) error {
	var b strings.Builder
	mdHeader(&b, r)
	mdSummary(&b, r)
	mdFlow(&b, r)

	var failing, errored, waived, rest []diagnosis.Result
	for _, res := range r.Results {
		switch res.Status {
		case diagnosis.StatusFail:
			failing = append(failing, res)
		case diagnosis.StatusError:
			errored = append(errored, res)
		case diagnosis.StatusWaived:
			waived = append(waived, res)
		default:
			rest = append(rest, res)
		}
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(&b, "\n## Problems found\n\n%s from %s, one per root cause, grouped by guide entry.\n",
			textPlural(len(r.Problems), "problem"), textPlural(len(failing), "failing check"))
		entry := contio.GuideKey("-")
		for _, p := range r.Problems {
			if p.Guide != entry {
				entry = p.Guide
				heading := guideHeading(p.Guide)
				if p.Guide == contio.GuideNone {
					heading = "Beyond the guide"
				}
				fmt.Fprintf(&b, "\n### %s\n", mdProse(heading))
			}
			mdProblem(&b, r, p)
		}
	}
	if len(failing) > 0 {
		fmt.Fprintf(&b, "\n<details>\n<summary>The %s, one by one</summary>\n", textPlural(len(failing), "failing check"))
		for _, res := range failing {
			mdFailing(&b, res)
		}
		b.WriteString("\n</details>\n")
	}
	if len(errored) > 0 {
		b.WriteString("\n## Checks that could not decide\n\n")
		b.WriteString("| Check | Title | Error |\n|---|---|---|\n")
		for _, res := range errored {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", mdCell(res.Check.ID+" "+res.Check.Name), mdCell(res.Check.Title), mdCell(res.Err))
		}
	}
	if len(waived) > 0 {
		b.WriteString("\n## Waived\n\n")
		b.WriteString("These checks failed but the config's `ignore` list waives them.\n\n")
		b.WriteString("| Check | Severity | Finding | Reason | Until |\n|---|---|---|---|---|\n")
		for _, res := range waived {
			reason, until := "", ""
			if res.Waiver != nil {
				reason = res.Waiver.Reason
				if !res.Waiver.Until.IsZero() {
					until = res.Waiver.Until.Format("2006-01-02")
				}
			}
			var msgs []string
			for _, f := range res.Findings {
				msgs = append(msgs, f.Message)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", mdCell(res.Check.ID+" "+res.Check.Name),
				res.Severity, mdCell(strings.Join(msgs, "\n")), mdCell(reason), mdCell(until))
		}
	}
	if notes := append(liveNotes(r), r.Notes...); len(notes) > 0 {
		b.WriteString("\n## Notes\n\n")
		for _, n := range notes {
			b.WriteString("- " + mdText(n) + "\n")
		}
	}
	if len(rest) > 0 {
		c := r.Counts()
		fmt.Fprintf(&b, "\n<details>\n<summary>%d passed, %d skipped</summary>\n\n", c.Pass, c.Skip)
		b.WriteString("| Check | Status | Title | Detail |\n|---|---|---|---|\n")
		for _, res := range rest {
			detail := ""
			if res.Status == diagnosis.StatusSkip {
				detail = res.SkipReason
				if res.Enable != "" {
					detail += "; to run it: " + res.Enable
				}
			} else if r.Verbose {
				detail = res.Check.Verifies
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdCell(res.Check.ID+" "+res.Check.Name), res.Status, mdCell(res.Check.Title), mdCell(detail))
		}
		b.WriteString("\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdHeader(b *strings.Builder, r *Report) {
	fmt.Fprintf(b, "# %s report\n\n", r.Tool.Name)
	b.WriteString("> Safe to share: secrets are replaced by fingerprints (length and hash prefix).\n\n")
	b.WriteString("| | |\n|---|---|\n")
	row := func(k, v string) {
		if v != "" {
			// A pipe splits a table cell even inside a code span.
			fmt.Fprintf(b, "| %s | %s |\n", k, strings.ReplaceAll(v, "|", `\|`))
		}
	}
	row("Tool", mdCode(r.Tool.Name+" "+r.Tool.Version))
	row("Platform", mdCode(strings.Trim(r.Run.OS+"/"+r.Run.Arch, "/"))+", "+mdCode(r.Run.GoVersion))
	if !r.Run.StartedAt.IsZero() {
		row("Time", r.Run.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC")+
			fmt.Sprintf(" (%s)", r.Run.FinishedAt.Sub(r.Run.StartedAt).Round(time.Millisecond)))
	}
	row("Run ID", mdCode(r.Run.ID))
	row("Mode", r.Run.Mode)
	cfg := "environment variables (no config file)"
	if r.Run.ConfigPath != "" {
		cfg = mdCode(ciPath(r.Run.ConfigPath))
	}
	row("Config", cfg)
	row("Config fingerprint", mdCode(r.Run.Fingerprint))
	row("API URL", mdCode(r.Run.APIURL))
	row("Auth URL", mdCode(r.Run.AuthURL))
	row("Client ID", mdCode(r.Run.ClientID))
	row("API version (X-API-Version)", mdCode(r.Run.APIVersion))
}

// mdProblem writes one problem: its texts once, then each piece of
// evidence with its source, location and request_id.
func mdProblem(b *strings.Builder, r *Report, p diagnosis.Problem) {
	fmt.Fprintf(b, "\n#### %s · %s\n\n", p.ID, mdText(p.Title))
	meta := fmt.Sprintf("Severity **%s** · Checks %s", p.Severity, mdCode(strings.Join(p.Checks, " ")))
	if u := guideURL(p.Guide); u != "" {
		meta += fmt.Sprintf(" · Guide: [%s](%s)", mdProse(guideHeading(p.Guide)), u)
	}
	b.WriteString(meta + "\n")
	fmt.Fprintf(b, "\n%s\n\n", mdText(p.Message))
	fmt.Fprintf(b, "- **Symptom:** %s\n", mdText(p.Symptom))
	fmt.Fprintf(b, "- **Cause:** %s\n", mdText(p.Cause))
	fmt.Fprintf(b, "- **Fix:** %s\n", mdText(p.Fix))
	if len(p.Blocked) > 0 {
		fmt.Fprintf(b, "- **Could not run because of it:** %s\n", mdCode(strings.Join(p.Blocked, " ")))
	}
	for _, id := range p.Checks {
		if res := resultOf(r, id); res != nil && res.Waiver != nil && res.WaiverExpired {
			fmt.Fprintf(b, "- **Waiver expired** (%s) on %s: %s\n", id, res.Waiver.Until.Format("2006-01-02"), mdText(res.Waiver.Reason))
		}
	}
	if len(p.Commands) > 0 {
		b.WriteString("\nCommands that carry out the fix:\n\n")
		b.WriteString(mdFence(strings.Join(p.Commands, "\n"), "sh", ""))
	}
	b.WriteString("\n| Seen | Check | What | Where | request_id |\n|---|---|---|---|---|\n")
	for _, e := range p.Evidence {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", e.Source, e.Check, mdCell(e.Message), mdCell(e.Location.String()), mdCell(e.RequestID))
	}
}

func mdSummary(b *strings.Builder, r *Report) {
	c := r.Counts()
	b.WriteString("\n## Summary\n\n")
	b.WriteString("| Status | Checks |\n|---|---:|\n")
	fmt.Fprintf(b, "| fail | %d |\n| error | %d |\n| waived | %d |\n| pass | %d |\n| skip | %d |\n",
		c.Fail, c.Error, c.Waived, c.Pass, c.Skip)
	fmt.Fprintf(b, "| **exit code** | **%d** |\n", r.ExitCode)
	fmt.Fprintf(b, "\nFails on: `%s` and above (`--fail-on`).", failOnName(r.FailOn))
	switch r.ExitCode {
	case 0:
		b.WriteString(" Nothing at or above that level: the gate passes.\n")
	default:
		b.WriteString(" Something at or above that level: the gate fails.\n")
	}
}

func mdFailing(b *strings.Builder, res diagnosis.Result) {
	c := res.Check
	fmt.Fprintf(b, "\n### %s %s: %s\n\n", c.ID, c.Name, mdText(c.Title))
	meta := fmt.Sprintf("Severity **%s**", res.Severity)
	if u := guideURL(c.Guide); u != "" {
		meta += fmt.Sprintf(" · Guide: [%s](%s)", mdProse(guideHeading(c.Guide)), u)
	}
	meta += fmt.Sprintf(" · More: `contio-doctor explain %s`", c.ID)
	b.WriteString(meta + "\n")
	if res.WaiverExpired && res.Waiver != nil {
		fmt.Fprintf(b, "\n> **Waiver expired** on %s, so this check fails again. The waiver said: %s\n",
			res.Waiver.Until.Format("2006-01-02"), mdText(res.Waiver.Reason))
	}
	for i, f := range res.Findings {
		if len(res.Findings) > 1 {
			fmt.Fprintf(b, "\n**Finding %d of %d** (%s)\n", i+1, len(res.Findings), f.Severity)
		}
		fmt.Fprintf(b, "\n%s\n\n", mdText(f.Message))
		fmt.Fprintf(b, "- **Symptom:** %s\n", mdText(f.Symptom))
		fmt.Fprintf(b, "- **Cause:** %s\n", mdText(f.Cause))
		fmt.Fprintf(b, "- **Fix:** %s\n", mdText(f.Fix))
		if f.Evidence != "" {
			if strings.Contains(f.Evidence, "\n") {
				b.WriteString("- **Evidence:**\n\n" + mdFence(f.Evidence, "text", "  "))
			} else {
				fmt.Fprintf(b, "- **Evidence:** %s\n", mdCode(f.Evidence))
			}
		}
		if loc := f.Location.String(); loc != "" {
			fmt.Fprintf(b, "- **Location:** %s\n", mdCode(loc))
		}
		if f.RequestID != "" {
			fmt.Fprintf(b, "- **request_id:** %s\n", mdCode(f.RequestID))
		}
		if len(f.Commands) > 0 {
			b.WriteString("\nCommands that carry out the fix:\n\n")
			b.WriteString(mdFence(strings.Join(f.Commands, "\n"), "sh", ""))
		}
	}
}

// mdCode renders s as an inline code span, with a fence longer than any
// backtick run inside it; empty s renders as nothing.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || (strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ")) {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// mdFence renders s as a fenced code block, indented by indent.
func mdFence(s, lang, indent string) string {
	fence := strings.Repeat("`", max(3, longestRun(s, '`')+1))
	var b strings.Builder
	b.WriteString(indent + fence + lang + "\n")
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString(indent + line + "\n")
	}
	b.WriteString(indent + fence + "\n")
	return b.String()
}

func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

// mdCell makes s safe inside a table cell: pipes escaped, line breaks
// as <br>, other Markdown kept inert.
func mdCell(s string) string {
	s = mdText(s)
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\n", "<br>")
}

// mdText renders text from the checks and the config: spans between
// single backticks stay code spans (the check texts use them for commands
// and header values), everything else is escaped prose. Text with an odd
// number of backticks, or with doubled ones, is escaped whole.
func mdText(s string) string {
	if !strings.Contains(s, "`") {
		return mdProse(s)
	}
	parts := strings.Split(s, "`")
	if len(parts)%2 == 0 || strings.Contains(s, "``") {
		return mdProse(s)
	}
	for i := 1; i < len(parts); i += 2 {
		if parts[i] == "" || strings.ContainsAny(parts[i], "\r\n") {
			return mdProse(s)
		}
	}
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 0 {
			b.WriteString(mdProseFrom(p, i == 0))
		} else {
			b.WriteString(mdCode(p))
		}
	}
	return b.String()
}

// mdProse keeps text from the checks and the config from turning into
// Markdown or HTML: it escapes the characters that start emphasis, code,
// links and tags, and block markers at the start of a line. Underscores
// inside words (redirect_uri) stay as they are, for readable source.
func mdProse(s string) string { return mdProseFrom(s, true) }

// mdProseFrom is mdProse for text that starts a line only when atStart.
func mdProseFrom(s string, atStart bool) string {
	var b strings.Builder
	b.Grow(len(s))
	lineStart := atStart
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '\\' || ch == '`' || ch == '*' || ch == '[' || ch == ']' || ch == '<' || ch == '>' || ch == '~':
			b.WriteByte('\\')
		case ch == '_' && !(i > 0 && isWordByte(s[i-1]) && i+1 < len(s) && isWordByte(s[i+1])):
			b.WriteByte('\\')
		case lineStart && (ch == '#' || ch == '-' || ch == '+' || ch == '='):
			b.WriteByte('\\')
		}
		b.WriteByte(ch)
		lineStart = ch == '\n' || (lineStart && (ch == ' ' || ch == '\t'))
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// mdFlow draws the observed OAuth flow as a Mermaid sequence diagram
// (GitHub renders it in place), the step where it broke marked and linked
// to the problem that explains it.
func mdFlow(b *strings.Builder, r *Report) {
	f := r.Flow
	if f == nil || len(f.Steps) == 0 {
		return
	}
	b.WriteString("\n## Observed flow\n\n")
	b.WriteString("```mermaid\nsequenceDiagram\n")
	for _, p := range flowParticipants {
		fmt.Fprintf(b, "    participant %s as %s\n", p.id, p.name)
	}
	for i, s := range f.Steps {
		from, to := flowID(s.From), flowID(s.To)
		label := s.Label
		if s.Request != "" {
			label += " (" + s.Request + ")"
		}
		fmt.Fprintf(b, "    %s->>%s: %s\n", from, to, mermaidText(flowDuration(s.At)+" "+label+flowCount(s)))
		if s.Answer != "" {
			arrow := "-->>"
			if s.Failed {
				arrow = "--x"
			}
			fmt.Fprintf(b, "    %s%s%s: %s\n", to, arrow, from, mermaidText(s.Answer))
		}
		if i == f.Broken {
			note := "broke here"
			if len(s.Checks) > 0 {
				note += ": " + strings.Join(s.Checks, ", ")
			}
			left, right := from, to
			if strings.Index("BAC", left) > strings.Index("BAC", right) {
				left, right = right, left
			}
			fmt.Fprintf(b, "    Note over %s,%s: ✗ %s\n", left, right, mermaidText(note))
		}
	}
	if f.Omitted > 0 {
		fmt.Fprintf(b, "    Note over B,C: … %d more steps\n", f.Omitted)
	}
	b.WriteString("```\n")
	if f.Broken >= 0 {
		s := f.Steps[f.Broken]
		fmt.Fprintf(b, "\nThe flow broke at step %d, %s: %s", f.Broken+1, mdCode(s.Request), mdProse(s.Answer))
		var links []string
		for _, id := range s.Checks {
			for _, res := range r.Results {
				if res.Check.ID == id {
					links = append(links, fmt.Sprintf("[%s](#%s)", id, mdAnchor(res.Check.ID+" "+res.Check.Name+": "+res.Check.Title)))
				}
			}
		}
		if len(links) > 0 {
			b.WriteString(" (see " + strings.Join(links, ", ") + ")")
		}
		b.WriteString(".\n")
	}
}

// mermaidText keeps a label inside one Mermaid message: no line breaks,
// and the characters Mermaid reads as syntax (; # and the arrows' - >)
// written as its entity codes.
func mermaidText(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ", "#", "#35;", ";", "#59;", "<", "#lt;", ">", "#gt;", "`", "'").Replace(s)
}

// mdAnchor is the anchor GitHub gives a heading: lower case, spaces as
// hyphens, punctuation other than - and _ dropped.
func mdAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
