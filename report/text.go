package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
)

func init() {
	formats["text"] = func(o Options) Renderer { return newText(o) }
}

// The text report's layout: a result line is "  ✓ CD1103  text"; the lines
// of a finding start under the ID, their values after a label column.
const (
	textDefaultWidth = 100
	textMinWidth     = 40
	textLabelWidth   = 10
	textIDWidth      = 6 // "CD1103"
)

// textRenderer is the human report: grouped by guide entry, each problem
// as message, symptom, cause and fix, then a one-line summary. It prints no
// timestamps or durations, so the same results always give the same bytes.
type textRenderer struct {
	opts  Options
	g     glyphs
	width int
}

func newText(o Options) *textRenderer {
	t := &textRenderer{opts: o, g: unicodeGlyphs, width: o.Width}
	if o.ASCII {
		t.g = asciiGlyphs
	}
	if t.width <= 0 {
		t.width = textDefaultWidth
	}
	t.width = max(t.width, textMinWidth)
	return t
}

// Render writes the report.
func (t *textRenderer) Render(w io.Writer, r *Report) error {
	var b strings.Builder
	t.header(&b, r)
	t.headline(&b, r)
	t.problems(&b, r)
	if r.Verbose {
		// -v: every check, grouped by guide entry, with what it proved.
		t.banner(&b, "Every check")
		for _, grp := range ByGuide(r.Results) {
			t.group(&b, grp, r.Verbose)
		}
	} else {
		t.errors(&b, r.Results)
		t.waivedList(&b, r.Results)
		t.skipped(&b, r.Results)
	}
	t.flow(&b, r)
	if r.Verbose && len(r.Exchanges) > 0 {
		t.banner(&b, "Probe exchanges")
		for _, ex := range r.Exchanges {
			b.WriteString("\n")
			for _, line := range strings.Split(strings.TrimRight(ex, "\n"), "\n") {
				b.WriteString("  " + t.paint(styleFaint, textSanitize(line)) + "\n")
			}
		}
	}
	if notes := append(liveNotes(r), r.Notes...); len(notes) > 0 {
		t.banner(&b, "Notes")
		b.WriteString("\n")
		for _, n := range notes {
			t.para(&b, "  "+t.g.bullet+" ", 4, n, styleFaint)
		}
	}
	b.WriteString("\n")
	t.summary(&b, r)
	_, err := io.WriteString(w, b.String())
	return err
}

// banner writes a section's title and a rule across the width.
func (t *textRenderer) banner(b *strings.Builder, title string) {
	lead := strings.Repeat(t.g.rule, 2) + " "
	rest := max(t.width-textWidth(lead+title)-1, 2)
	b.WriteString("\n" + t.paint(styleFaint, lead) + t.paint(styleSection, title) + " " +
		t.paint(styleFaint, strings.Repeat(t.g.rule, rest)) + "\n")
}

// paint styles s when colour is on.
func (t *textRenderer) paint(st style, s string) string {
	if !t.opts.Color || s == "" {
		return s
	}
	return st.render(s)
}

func (t *textRenderer) header(b *strings.Builder, r *Report) {
	name := r.Tool.Name
	if name == "" {
		name = "contio-doctor"
	}
	title := name
	if r.Tool.Version != "" {
		title += " " + r.Tool.Version
	}
	mode := r.Run.Mode
	if mode == "" {
		mode = "offline"
	}
	// A HAR diagnosis reads a capture, not a config: say so.
	label, kind := "config", mode+" run"
	if strings.HasSuffix(strings.ToLower(r.Run.ConfigPath), ".har") {
		label, kind = "capture", "HAR capture"
	}
	b.WriteString(t.paint(styleEntry, title) + t.paint(styleFaint, t.g.sep+kind) + "\n")

	cfg := r.Run.ConfigPath
	if cfg == "" {
		cfg = "CONTIO_* environment variables"
	}
	if fp := textFingerprint(r.Run.Fingerprint); fp != "" {
		cfg += t.paint(styleFaint, t.g.sep+fp)
	}
	t.headerLine(b, label, cfg)
	var target []string
	if r.Run.APIURL != "" {
		target = append(target, r.Run.APIURL)
	}
	if r.Run.AuthURL != "" && r.Run.AuthURL != r.Run.APIURL {
		target = append(target, t.paint(styleFaint, "auth ")+r.Run.AuthURL)
	}
	if r.Run.ClientID != "" {
		target = append(target, t.paint(styleFaint, "client ")+textSanitize(r.Run.ClientID))
	}
	if len(target) > 0 {
		t.headerLine(b, "api", strings.Join(target, t.paint(styleFaint, t.g.sep)))
	}
}

func (t *textRenderer) headerLine(b *strings.Builder, label, value string) {
	b.WriteString(t.paint(styleLabel, textPad(label, 8)) + value + "\n")
}

// textFingerprint keeps enough of the config hash to compare two reports.
func textFingerprint(fp string) string {
	const keep = len("sha256:") + 12
	if len(fp) > keep {
		return fp[:keep]
	}
	return fp
}

// display order within a group: what needs action first.
var textStatusOrder = []diagnosis.Status{diagnosis.StatusFail, diagnosis.StatusError, diagnosis.StatusWaived, diagnosis.StatusPass, diagnosis.StatusSkip}

func (t *textRenderer) group(b *strings.Builder, grp GuideGroup, verbose bool) {
	b.WriteString("\n")
	heading := grp.Entry.Heading
	if grp.Entry.Key == contio.GuideNone {
		heading = "Other checks"
	}
	counts, countsWidth := t.counts(diagnosis.Count(grp.Results), worstFailStyle(grp.Results))
	if textWidth(heading+t.g.sep)+countsWidth <= t.width {
		b.WriteString(t.paint(styleEntry, heading) + t.paint(styleFaint, t.g.sep) + counts + "\n")
	} else { // a narrow terminal: the tally goes under the heading
		b.WriteString(t.paint(styleEntry, heading) + "\n  " + counts + "\n")
	}

	// Failures come first, a blank line between them and after the last
	// one when more lines follow; the one-line results come after.
	var fails, rest []diagnosis.Result
	for _, st := range textStatusOrder {
		for _, r := range grp.Results {
			switch {
			case r.Status != st:
			case st == diagnosis.StatusFail:
				fails = append(fails, r)
			case st == diagnosis.StatusPass && !verbose, st == diagnosis.StatusSkip && !verbose:
				// passes fold into the tally; skips are listed at the end
			default:
				rest = append(rest, r)
			}
		}
	}
	for i, r := range fails {
		if i > 0 {
			b.WriteString("\n")
		}
		t.fail(b, r, verbose)
	}
	if len(fails) > 0 && len(rest) > 0 {
		b.WriteString("\n")
	}
	for _, r := range rest {
		switch r.Status {
		case diagnosis.StatusError:
			t.errored(b, r, verbose)
		case diagnosis.StatusWaived:
			t.waived(b, r)
		case diagnosis.StatusSkip:
			t.resultLine(b, r, r.Check.Name+" skipped: "+t.skipWhy(r), styleFaint)
		case diagnosis.StatusPass:
			text := r.Check.Verifies
			if text == "" {
				text = r.Check.Title
			}
			t.resultLine(b, r, text, stylePlain)
		}
	}
}

// counts is a group's tally, worst first, zero counts left out, and its
// width on screen.
func (t *textRenderer) counts(c diagnosis.Counts, failStyle style) (string, int) {
	var parts []string
	width := 0
	add := func(n int, word string, st style) {
		if n > 0 {
			s := fmt.Sprintf("%d %s", n, word)
			if len(parts) > 0 {
				width += textWidth(t.g.sep)
			}
			width += textWidth(s)
			parts = append(parts, t.paint(st, s))
		}
	}
	add(c.Fail, "failed", failStyle)
	add(c.Error, "could not run", styleErrored)
	add(c.Waived, "waived", styleWaived)
	add(c.Skip, "skipped", styleSkip)
	add(c.Pass, "passed", stylePass)
	return strings.Join(parts, t.paint(styleFaint, t.g.sep)), width
}

// worstFailStyle colours a failure count by the worst failing severity.
func worstFailStyle(results []diagnosis.Result) style {
	worst := diagnosis.SeverityNone
	for _, r := range results {
		if r.Status == diagnosis.StatusFail {
			worst = max(worst, r.Severity)
		}
	}
	switch worst {
	case diagnosis.SeverityWarning:
		return styleFailWarning
	case diagnosis.SeverityInfo:
		return styleFailInfo
	}
	return styleFailError
}

// mark returns a result's mark and its style.
func (t *textRenderer) mark(r diagnosis.Result) (string, style) {
	switch r.Status {
	case diagnosis.StatusPass:
		return t.g.pass, stylePass
	case diagnosis.StatusFail:
		switch r.Severity {
		case diagnosis.SeverityWarning:
			return t.g.failWarning, styleFailWarning
		case diagnosis.SeverityInfo:
			return t.g.failInfo, styleFailInfo
		}
		return t.g.failError, styleFailError
	case diagnosis.StatusSkip:
		return t.g.skip, styleSkip
	case diagnosis.StatusWaived:
		return t.g.waived, styleWaived
	}
	return t.g.errored, styleErrored
}

// idColumn is where a result line's ID starts; finding lines start there too.
func (t *textRenderer) idColumn() int { return 2 + utf8.RuneCountInString(t.g.pass) + 1 }

// textColumn is where a result line's text starts.
func (t *textRenderer) textColumn() int { return t.idColumn() + textIDWidth + 2 }

// resultLine writes "  ✓ CD1103  text", the text wrapped under itself.
func (t *textRenderer) resultLine(b *strings.Builder, r diagnosis.Result, text string, st style) {
	m, mst := t.mark(r)
	prefix := "  " + t.paint(mst, m) + " " + t.paint(styleID, textPad(r.Check.ID, textIDWidth)) + "  "
	t.para(b, prefix, t.textColumn(), text, st)
}

func (t *textRenderer) fail(b *strings.Builder, r diagnosis.Result, verbose bool) {
	t.resultLine(b, r, r.Check.Title, stylePlain)
	ind := t.idColumn()
	var prev diagnosis.Finding
	for i, f := range r.Findings {
		if i > 0 {
			b.WriteString("\n")
		}
		t.para(b, strings.Repeat(" ", ind), ind, f.Message, styleMessage)
		// Findings of one check usually share their texts: say them once.
		if i == 0 || f.Symptom != prev.Symptom {
			t.field(b, ind, "Symptom", f.Symptom)
		}
		if i == 0 || f.Cause != prev.Cause {
			t.field(b, ind, "Cause", f.Cause)
		}
		if i == 0 || f.Fix != prev.Fix || !textEqual(f.Commands, prev.Commands) {
			t.fix(b, ind, f.Fix, f.Commands)
		}
		t.field(b, ind, "Evidence", f.Evidence)
		t.field(b, ind, "At", f.Location.String())
		t.field(b, ind, "Request", f.RequestID)
		prev = f
	}
	if len(r.Findings) == 0 && verbose {
		t.field(b, ind, "Symptom", r.Check.Symptom)
	}
	if g, ok := contio.LookupGuide(r.Check.Guide); ok && g.URL() != "" {
		t.field(b, ind, "Guide", g.URL())
	}
	if r.Waiver != nil && r.WaiverExpired {
		t.field(b, ind, "Waiver", fmt.Sprintf("expired on %s (%s); renew it in ignore: or fix the problem",
			r.Waiver.Until.Format("2006-01-02"), r.Waiver.Reason))
	}
}

func (t *textRenderer) errored(b *strings.Builder, r diagnosis.Result, verbose bool) {
	first, rest, _ := strings.Cut(strings.TrimSpace(r.Err), "\n")
	t.resultLine(b, r, r.Check.Name+" could not run: "+first, stylePlain)
	if verbose && rest != "" {
		ind := strings.Repeat(" ", t.textColumn())
		for _, line := range strings.Split(rest, "\n") {
			b.WriteString(strings.TrimRight(ind+t.paint(styleFaint, textSanitize(line)), " ") + "\n")
		}
	}
}

func (t *textRenderer) waived(b *strings.Builder, r diagnosis.Result) {
	text := r.Check.Title + t.g.dash + "waived"
	if r.Waiver != nil {
		if !r.Waiver.Until.IsZero() {
			text += " until " + r.Waiver.Until.Format("2006-01-02")
		}
		if r.Waiver.Reason != "" {
			text += ": " + r.Waiver.Reason
		}
	}
	t.resultLine(b, r, text, stylePlain)
}

func (t *textRenderer) skipWhy(r diagnosis.Result) string {
	s := r.SkipReason
	if r.Enable != "" {
		s += t.g.dash + r.Enable
	}
	return s
}

// errors lists, unless verbose, the checks that could not decide, which
// no problem explains.
func (t *textRenderer) errors(b *strings.Builder, results []diagnosis.Result) {
	var errs []diagnosis.Result
	for _, r := range results {
		if r.Status == diagnosis.StatusError {
			errs = append(errs, r)
		}
	}
	if len(errs) == 0 {
		return
	}
	t.banner(b, "Could not decide")
	b.WriteString("\n")
	for _, r := range errs {
		t.errored(b, r, false)
	}
}

// waivedList lists, unless verbose, the failures a waiver accepts.
func (t *textRenderer) waivedList(b *strings.Builder, results []diagnosis.Result) {
	first := true
	for _, r := range results {
		if r.Status != diagnosis.StatusWaived {
			continue
		}
		if first {
			t.banner(b, "Waived")
			b.WriteString("\n")
			first = false
		}
		t.waived(b, r)
	}
}

// skipped lists, unless verbose, the checks that did not run, one line per
// reason with what would enable them and the IDs under it: an offline run
// skips every probe alike, and saying so once per section is noise.
func (t *textRenderer) skipped(b *strings.Builder, results []diagnosis.Result) {
	type bucket struct {
		why string
		ids []string
	}
	var buckets []*bucket
	index := map[string]*bucket{}
	for _, i := range guideOrder(results) {
		r := &results[i]
		if r.Status != diagnosis.StatusSkip || r.BlockedBy != nil {
			continue // a blocked check is listed under its problem
		}
		why := t.skipWhy(*r)
		bk, ok := index[why]
		if !ok {
			bk = &bucket{why: why}
			index[why] = bk
			buckets = append(buckets, bk)
		}
		bk.ids = append(bk.ids, r.Check.ID)
	}
	if len(buckets) == 0 {
		return
	}
	t.banner(b, "Not run")
	b.WriteString("\n")
	for _, bk := range buckets {
		n := "1 check"
		if len(bk.ids) > 1 {
			n = fmt.Sprintf("%d checks", len(bk.ids))
		}
		t.para(b, "  "+t.paint(styleSkip, t.g.skip)+" ", t.idColumn(), n+": "+bk.why, stylePlain)
		slices.Sort(bk.ids)
		t.para(b, strings.Repeat(" ", t.idColumn()), t.idColumn(), strings.Join(bk.ids, " "), styleFaint)
	}
}

func (t *textRenderer) summary(b *strings.Builder, r *Report) {
	c := r.Counts()
	var sev [4]int
	for _, res := range r.Results {
		if res.Status == diagnosis.StatusFail {
			sev[res.Severity]++
		}
	}
	failed := fmt.Sprintf("%d failed", c.Fail)
	var bySev []string
	for _, s := range []diagnosis.Severity{diagnosis.SeverityError, diagnosis.SeverityWarning, diagnosis.SeverityInfo} {
		if n := sev[s]; n > 0 {
			bySev = append(bySev, textPlural(n, s.String()))
		}
	}
	if len(bySev) > 0 {
		failed += " (" + strings.Join(bySev, ", ") + ")"
	}
	failStyle := stylePass
	if c.Fail > 0 {
		failStyle = worstFailStyle(r.Results)
	}
	probs := t.paint(stylePass, "no problems")
	if n := len(r.Problems); n > 0 {
		probs = t.paint(failStyle, textPlural(n, "problem"))
	}
	parts := []string{probs, t.paint(stylePass, fmt.Sprintf("%d passed", c.Pass)), t.paint(failStyle, failed)}
	if c.Skip > 0 {
		parts = append(parts, t.paint(styleSkip, fmt.Sprintf("%d skipped", c.Skip)))
	}
	if c.Error > 0 {
		parts = append(parts, t.paint(styleErrored, fmt.Sprintf("%d could not run", c.Error)))
	}
	if c.Waived > 0 {
		parts = append(parts, t.paint(styleWaived, fmt.Sprintf("%d waived", c.Waived)))
	}
	failOn := r.FailOn.String()
	if failOn == "" {
		failOn = "never"
	}
	exit := fmt.Sprintf("exit %d", r.ExitCode)
	exitStyle := styleExitOK
	if r.ExitCode != 0 {
		exitStyle = styleFailError
	}
	counts := strings.Join(parts, t.paint(styleFaint, t.g.sep))
	verdict := t.paint(exitStyle, exit) + t.paint(styleFaint, " (--fail-on "+failOn+")")
	dash := t.g.dash
	if textWidth(counts+dash+verdict) > t.width { // a narrow terminal: the verdict on a line of its own
		dash = strings.TrimLeft(dash, " ")
		counts += "\n"
	}
	b.WriteString(counts + t.paint(styleFaint, dash) + verdict + "\n")
	if c.Fail > 0 || c.Error > 0 {
		t.para(b, "", 0, "Run `contio-doctor explain <ID>` for the whole text of a check; -v lists what passed.", styleFaint)
	}
}

func textPlural(n int, word string) string {
	if n == 1 || word == "info" {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// fix writes the Fix field and its commands, one "$ " line each; the
// first command takes the label when there is no prose.
func (t *textRenderer) fix(b *strings.Builder, ind int, fix string, commands []string) {
	t.field(b, ind, "Fix", fix)
	for j, c := range commands {
		label := ""
		if j == 0 && strings.TrimSpace(fix) == "" {
			label = "Fix"
		}
		lead := strings.Repeat(" ", ind) + t.paint(styleLabel, textPad(label, textLabelWidth))
		for _, l := range WrapCommand("$ "+textSanitize(c), max(t.width-ind-textLabelWidth, 20)) {
			b.WriteString(lead + t.paint(styleCommand, l) + "\n")
			lead = strings.Repeat(" ", ind+textLabelWidth)
		}
	}
}

// field writes "Label     text", the text wrapped under itself.
func (t *textRenderer) field(b *strings.Builder, indent int, label, text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	prefix := strings.Repeat(" ", indent) + t.paint(styleLabel, textPad(label, textLabelWidth))
	t.para(b, prefix, indent+textLabelWidth, text, stylePlain)
}

// para writes text after prefix, wrapped to the width with continuation
// lines indented to hang; prefix occupies hang columns. Lines starting
// with "$ " are commands, wrapped only as a shell reads them (WrapCommand).
func (t *textRenderer) para(b *strings.Builder, prefix string, hang int, text string, st style) {
	avail := max(t.width-hang, 20)
	first := true
	if t.opts.ASCII {
		text = asciiReplacer.Replace(text)
	}
	for _, p := range textParagraphs(text) {
		var lines []string
		cmd := strings.HasPrefix(p, "$ ")
		if cmd {
			lines = WrapCommand(p, avail) // "\" continuations: still pastes as one command
		} else {
			lines = textWrap(p, avail)
		}
		for _, line := range lines {
			lead := strings.Repeat(" ", hang)
			if first {
				lead = prefix
				first = false
			}
			switch {
			case line == "":
				b.WriteString(strings.TrimRight(lead, " ") + "\n")
			case cmd:
				b.WriteString(lead + t.paint(styleCommand, line) + "\n")
			default:
				b.WriteString(lead + t.paint(st, line) + "\n")
			}
		}
	}
	if first { // nothing written: keep the line itself
		b.WriteString(strings.TrimRight(prefix, " ") + "\n")
	}
}

// asciiReplacer spells the punctuation checks commonly use in ASCII, for
// terminals that cannot show it.
var asciiReplacer = strings.NewReplacer(
	"…", "...", "—", "--", "–", "-", "·", "|", "•", "*", "→", "->", "←", "<-",
	"‘", "'", "’", "'", "“", `"`, "”", `"`, "✓", "ok", "✗", "x", "\u00a0", " ",
)

// textParagraphs reflows text written with hard line breaks: lines of one
// paragraph are joined, while blank lines, list items ("- ", "* ", "1. ")
// and commands ("$ ") start a new line. Control characters are escaped.
func textParagraphs(text string) []string {
	var out, cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		line = textSanitize(strings.TrimSpace(line))
		switch {
		case line == "":
			flush()
			if len(out) > 0 && out[len(out)-1] != "" {
				out = append(out, "")
			}
		case textStartsItem(line):
			flush()
			if strings.HasPrefix(line, "$ ") {
				out = append(out, line)
			} else {
				cur = []string{line}
			}
		default:
			cur = append(cur, line)
		}
	}
	flush()
	return out
}

func textStartsItem(line string) bool {
	for _, p := range []string{"- ", "* ", "• ", "$ "} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	i := 0
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(line) && (line[i] == '.' || line[i] == ')') && line[i+1] == ' '
}

// textWrap breaks s at spaces into lines of at most width columns; a word
// longer than the width (a URL) gets a line of its own, unbroken.
func textWrap(s string, width int) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return []string{""}
	}
	var lines []string
	cur, curW := words[0], textWidth(words[0])
	for _, w := range words[1:] {
		ww := textWidth(w)
		if curW+1+ww > width {
			lines = append(lines, cur)
			cur, curW = w, ww
			continue
		}
		cur += " " + w
		curW += 1 + ww
	}
	return append(lines, cur)
}

// textSanitize escapes control characters so that text taken from a config or
// a response cannot move the cursor or recolour the terminal.
func textSanitize(s string) string {
	clean := true
	for _, r := range s {
		if r != '\n' && (unicode.IsControl(r) || r == utf8.RuneError) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(" ")
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		case unicode.IsControl(r):
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func textPad(s string, n int) string {
	if w := textWidth(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

func textEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// flow lists the observed OAuth flow as a timeline: relative time, who
// sent what to whom, the answer, and a mark on the step where it broke.
func (t *textRenderer) flow(b *strings.Builder, r *Report) {
	f := r.Flow
	if f == nil || len(f.Steps) == 0 {
		return
	}
	t.banner(b, "Observed flow")
	b.WriteString("\n")
	arrow, mark := " → ", "✗"
	if t.opts.ASCII {
		arrow, mark = " -> ", "x"
	}
	for i, s := range f.Steps {
		who := textPad(s.From+arrow+s.To, 18)
		what := s.Label + flowCount(s)
		if s.Request != "" {
			what = textPad(what, 34) + " " + s.Request
		}
		line := "  " + t.paint(styleFaint, textPad(flowDuration(s.At), 11)) + who + textSanitize(what)
		if s.Answer != "" {
			st := stylePlain
			if s.Failed {
				st = styleFailError
			}
			line += "  " + t.paint(st, textSanitize(s.Answer))
		}
		if i == f.Broken {
			note := mark + " broke here"
			if len(s.Checks) > 0 {
				note += ": " + strings.Join(s.Checks, ", ")
			}
			line += "  " + t.paint(styleFailError, note)
		}
		b.WriteString(t.flowASCII(line) + "\n")
	}
	if f.Omitted > 0 {
		b.WriteString(t.flowASCII("  "+t.paint(styleFaint, fmt.Sprintf("… %d more steps", f.Omitted))) + "\n")
	}
}

// flowASCII spells a timeline line in ASCII when the terminal needs it.
func (t *textRenderer) flowASCII(line string) string {
	if !t.opts.ASCII {
		return line
	}
	return strings.ReplaceAll(asciiReplacer.Replace(line), "×", "x")
}

// textWidth is lipgloss.Width for the report's own strings: plain ASCII
// and the report's glyphs are one column each, which spares the grapheme
// tables (and the page faults of a cold start) for all but unusual text.
// Anything else, including styled text, goes to lipgloss.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7f:
		case r == '·' || r == '—' || r == '─' || r == '✓' || r == '✗' || r == '•' || r == '→':
		default:
			return lipgloss.Width(s)
		}
		n++
	}
	return n
}
