package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// problems writes each problem once, grouped by guide entry under the
// guide's sections: title, message, symptom, cause, fix, then one line per
// piece of evidence (source, check, message, location, request_id) and the
// checks it kept from running.
func (t *textRenderer) problems(b *strings.Builder, r *Report) {
	section, entry := "", contio.GuideKey("-")
	for _, p := range r.Problems {
		g, _ := contio.LookupGuide(p.Guide)
		sec := g.Section
		if p.Guide == contio.GuideNone {
			sec = "Beyond the guide"
		}
		if sec != section {
			section = sec
			t.banner(b, section)
		}
		if p.Guide != entry {
			entry = p.Guide
			heading := g.Heading
			if p.Guide == contio.GuideNone {
				heading = "Other problems"
			}
			b.WriteString("\n" + t.paint(styleEntry, heading) + "\n")
		}
		t.problem(b, r, p, g)
	}
}

func (t *textRenderer) problem(b *strings.Builder, r *Report, p diagnosis.Problem, g contio.GuideEntry) {
	m, st := t.severityMark(p.Severity)
	prefix := "  " + t.paint(st, m) + " " + t.paint(styleID, textPad(p.ID, textIDWidth)) + "  "
	b.WriteString("\n")
	t.para(b, prefix, t.textColumn(), p.Title, stylePlain)
	ind := t.idColumn()
	t.para(b, strings.Repeat(" ", ind), ind, p.Message, styleMessage)
	t.field(b, ind, "Symptom", p.Symptom)
	t.field(b, ind, "Cause", p.Cause)
	t.fix(b, ind, p.Fix, p.Commands)
	for i, e := range p.Evidence {
		label := ""
		if i == 0 {
			label = "Seen"
		}
		line := string(e.Source) + " " + e.Check + t.g.dash + e.Message
		if at := e.Location.String(); at != "" {
			line += t.g.sep + at
		}
		if e.RequestID != "" {
			line += t.g.sep + "request_id " + e.RequestID
		}
		t.field(b, ind, label, line)
		if e.Evidence != "" && len(p.Evidence) == 1 {
			t.field(b, ind, "Evidence", e.Evidence)
		}
	}
	for _, id := range p.Checks {
		if res := resultOf(r, id); res != nil && res.Waiver != nil && res.WaiverExpired {
			t.field(b, ind, "Waiver", fmt.Sprintf("%s's waiver expired on %s (%s); renew it in ignore: or fix the problem",
				id, res.Waiver.Until.Format("2006-01-02"), res.Waiver.Reason))
		}
	}
	if len(p.Blocked) > 0 {
		t.field(b, ind, "Blocked", strings.Join(p.Blocked, " ")+t.g.dash+"could not run until this is fixed")
	}
	if g.URL() != "" {
		t.field(b, ind, "Guide", g.URL())
	}
}

// resultOf finds the result of check id.
func resultOf(r *Report, id string) *diagnosis.Result {
	for i := range r.Results {
		if r.Results[i].Check.ID == id {
			return &r.Results[i]
		}
	}
	return nil
}

// severityMark is a problem's mark and style.
func (t *textRenderer) severityMark(s diagnosis.Severity) (string, style) {
	switch s {
	case diagnosis.SeverityWarning:
		return t.g.failWarning, styleFailWarning
	case diagnosis.SeverityInfo:
		return t.g.failInfo, styleFailInfo
	}
	return t.g.failError, styleFailError
}

// headline is "6 problems (11 failing checks)", or that none was found.
func (t *textRenderer) headline(b *strings.Builder, r *Report) {
	fails := r.Counts().Fail
	b.WriteString("\n")
	if len(r.Problems) == 0 {
		b.WriteString(t.paint(stylePass, "No problems found") + "\n")
		return
	}
	var sev [4]int
	for _, p := range r.Problems {
		sev[p.Severity]++
	}
	var parts []string
	for _, s := range []diagnosis.Severity{diagnosis.SeverityError, diagnosis.SeverityWarning, diagnosis.SeverityInfo} {
		if n := sev[s]; n > 0 {
			parts = append(parts, textPlural(n, s.String()))
		}
	}
	line := textPlural(len(r.Problems), "problem") + " (" + textPlural(fails, "failing check") + ")"
	style := styleFailError
	switch {
	case sev[diagnosis.SeverityError] > 0:
	case sev[diagnosis.SeverityWarning] > 0:
		style = styleFailWarning
	default:
		style = styleFailInfo
	}
	b.WriteString(t.paint(style, line) + t.paint(styleFaint, t.g.sep+strings.Join(parts, ", ")) + "\n")
}

// liveNotes phrases what the probes learned of the hosts, the quotas and
// the API version, for the renderers that print prose.
func liveNotes(r *Report) []string {
	var out []string
	for _, c := range r.Connections {
		var steps []string
		for _, st := range []struct {
			name string
			d    time.Duration
		}{{"DNS", c.DNS}, {"connect", c.Connect}, {"TLS handshake", c.TLS}, {"first byte", c.FirstByte}} {
			if st.d > 0 {
				steps = append(steps, st.name+" "+textDuration(st.d))
			}
		}
		note := fmt.Sprintf("%s answered in %s", c.Host, textDuration(c.Latency))
		if len(steps) > 0 {
			note += " (" + strings.Join(steps, ", ") + ")"
		}
		if c.TLSVersion != "" {
			note += "; " + c.TLSVersion
			if !c.CertNotAfter.IsZero() {
				note += fmt.Sprintf(", certificate valid until %s (%d days)", c.CertNotAfter.Format("2006-01-02"), c.CertDaysLeft)
			}
		} else {
			note += "; plain http"
		}
		if c.Proxy {
			note += "; through the proxy from HTTPS_PROXY/HTTP_PROXY"
		}
		out = append(out, note)
	}
	for _, q := range r.Quotas {
		if q.Exhausted {
			continue // a 429 is a problem, not a note
		}
		reset := "at an unknown time"
		if !q.Reset.IsZero() {
			reset = "at " + q.Reset.UTC().Format(time.RFC3339)
		}
		out = append(out, fmt.Sprintf("rate limit, %s endpoints: %d of %d requests left in the current window (resets %s)",
			q.Class, q.Remaining, q.Limit, reset))
	}
	if r.Run.APIVersion != "" {
		out = append(out, "the API answered with X-API-Version "+r.Run.APIVersion)
	}
	return out
}

func textDuration(d time.Duration) string {
	return d.Round(100 * time.Microsecond).String()
}
