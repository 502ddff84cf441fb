package report

// JUnit XML for GitLab (artifacts:reports:junit) and Jenkins (junit step).
// There is no official schema; this follows the common subset CI systems
// read (testmoapp/junitxml): one testsuite, one testcase per check, so a
// dashboard shows "40 passed, 2 failed, 5 skipped".
//
// Mapping: fail → <failure type=severity>, error → <error>, skip →
// <skipped message=reason>, waived → <skipped message="waived: reason">
// (JUnit has no "accepted failure"; skipped keeps it visible and does not
// fail the build). Hence the suite's skipped count is skip + waived.

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/Contio-AI/contio-doctor/diagnosis"
)

func init() {
	formats["junit"] = func(Options) Renderer { return junitRenderer{} }
}

type junitRenderer struct{}

// The types below carry encoding/xml struct tags although nothing here
// uses encoding/xml: they are the document's specification, and the tests
// encode the same values with encoding/xml (root element testsuites) and
// require writeJUnit's bytes to be identical. Linking encoding/xml only
// for this format cost every start its package init.
type junitSuites struct {
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out,omitempty"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
	Skipped   *junitSkipped `xml:"skipped"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

func (junitRenderer) Render(w io.Writer, r *Report) error {
	doc := junitDocument(r)
	if _, err := w.Write(appendJUnit(nil, &doc)); err != nil {
		return fmt.Errorf("encode junit: %w", err)
	}
	return nil
}

// junitDocument is the report as the JUnit document's values.
func junitDocument(r *Report) junitSuites {
	suite := junitSuite{
		Name: r.Tool.Name,
		Time: junitSeconds(r.Run.FinishedAt.Sub(r.Run.StartedAt).Seconds()),
		Properties: []junitProperty{
			{"tool_version", r.Tool.Version},
			{"run_id", r.Run.ID},
			{"mode", r.Run.Mode},
			{"fail_on", failOnName(r.FailOn)},
			{"exit_code", strconv.Itoa(r.ExitCode)},
			{"config", ciPath(r.Run.ConfigPath)},
			{"config_fingerprint", r.Run.Fingerprint},
			{"platform", strings.Trim(r.Run.OS+"/"+r.Run.Arch, "/")},
			{"go_version", r.Run.GoVersion},
		},
	}
	if !r.Run.StartedAt.IsZero() {
		suite.Timestamp = r.Run.StartedAt.UTC().Format("2006-01-02T15:04:05Z")
	}
	for _, res := range r.Results {
		suite.Cases = append(suite.Cases, junitCaseFor(r, res))
	}
	c := r.Counts()
	suite.Tests = len(r.Results)
	suite.Failures = c.Fail
	suite.Errors = c.Error
	suite.Skipped = c.Skip + c.Waived
	if len(r.Notes) > 0 {
		suite.SystemOut = "Notes:\n- " + strings.Join(r.Notes, "\n- ")
	}
	return junitSuites{
		Name: r.Tool.Name, Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors,
		Skipped: suite.Skipped, Time: suite.Time, Suites: []junitSuite{suite},
	}
}

func junitCaseFor(r *Report, res diagnosis.Result) junitCase {
	c := res.Check
	class := string(c.Guide)
	if class == "" {
		class = ciFamily(c.ID)
	}
	tc := junitCase{
		Name:      c.ID + " " + c.Name,
		Classname: class,
		Time:      junitSeconds(res.Duration.Seconds()),
	}
	if len(res.Findings) > 0 {
		if loc := ciLocate(r, res.Findings[0].Location); loc.File != "" {
			tc.File, tc.Line = loc.File, loc.Line
		}
	}
	switch res.Status {
	case diagnosis.StatusFail:
		tc.Failure = &junitProblem{
			Message: junitMessage(res),
			Type:    res.Severity.String(),
			Body:    junitProblemLine(r, res) + junitBody(res),
		}
	case diagnosis.StatusError:
		tc.Error = &junitProblem{
			Message: c.Title + ": could not decide",
			Type:    "error",
			Body:    res.Err + "\n",
		}
	case diagnosis.StatusSkip:
		msg := res.SkipReason
		if res.Enable != "" {
			msg += "; to run it: " + res.Enable
		}
		tc.Skipped = &junitSkipped{Message: msg}
	case diagnosis.StatusWaived:
		reason := ""
		if res.Waiver != nil {
			reason = waiverText(res.Waiver)
		}
		tc.Skipped = &junitSkipped{Message: "waived: " + reason + " (" + junitMessage(res) + ")"}
	}
	return tc
}

// junitProblemLine names the problem the failure is evidence of, so a
// dashboard can group test cases by root cause.
func junitProblemLine(r *Report, res diagnosis.Result) string {
	for _, p := range r.Problems {
		if p.ID == res.Problem {
			return fmt.Sprintf("Problem %s (%s, %s): %s\n\n", p.ID, p.Root, strings.Join(p.Checks, " "), p.Title)
		}
	}
	return ""
}

// junitMessage is the one-line summary CI dashboards show.
func junitMessage(res diagnosis.Result) string {
	if len(res.Findings) == 0 {
		return res.Check.Title
	}
	msg := res.Findings[0].Message
	if n := len(res.Findings); n > 1 {
		msg += fmt.Sprintf(" (and %d more)", n-1)
	}
	return msg
}

// junitBody is the whole story of a failing check, in plain text.
func junitBody(res diagnosis.Result) string {
	var b strings.Builder
	c := res.Check
	if res.WaiverExpired && res.Waiver != nil {
		fmt.Fprintf(&b, "Waiver expired on %s: %s\n\n", res.Waiver.Until.Format("2006-01-02"), res.Waiver.Reason)
	}
	for i, f := range res.Findings {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "[%s] %s\n", f.Severity, f.Message)
		fmt.Fprintf(&b, "Symptom: %s\nCause: %s\nFix: %s\n", f.Symptom, f.Cause, f.Fix)
		for _, cmd := range f.Commands {
			fmt.Fprintf(&b, "  $ %s\n", cmd)
		}
		if f.Evidence != "" {
			fmt.Fprintf(&b, "Evidence: %s\n", f.Evidence)
		}
		if loc := f.Location.String(); loc != "" {
			fmt.Fprintf(&b, "Location: %s\n", loc)
		}
		if f.RequestID != "" {
			fmt.Fprintf(&b, "request_id: %s\n", f.RequestID)
		}
	}
	if u := guideURL(c.Guide); u != "" {
		fmt.Fprintf(&b, "\nGuide: %s\n", u)
	}
	fmt.Fprintf(&b, "More: contio-doctor explain %s\n", c.ID)
	return b.String()
}

func junitSeconds(s float64) string {
	if s < 0 {
		s = 0
	}
	return strconv.FormatFloat(s, 'f', 3, 64)
}

// xmlHeader is encoding/xml's Header.
const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// appendJUnit appends the whole document as encoding/xml's Encoder with
// Indent("", "  ") writes it after xml.Header, plus a final newline: an
// element with no child elements closes on its own line, omitempty
// attributes and nil pointers are left out, and every attribute value and
// text is escaped by xmlEscape.
func appendJUnit(b []byte, d *junitSuites) []byte {
	b = append(b, xmlHeader...)
	b = append(b, "<testsuites"...)
	b = xmlAttr(b, "name", d.Name)
	b = xmlIntAttr(b, "tests", d.Tests)
	b = xmlIntAttr(b, "failures", d.Failures)
	b = xmlIntAttr(b, "errors", d.Errors)
	b = xmlIntAttr(b, "skipped", d.Skipped)
	b = xmlAttr(b, "time", d.Time)
	b = append(b, '>')
	for i := range d.Suites {
		b = appendJUnitSuite(b, &d.Suites[i])
	}
	if len(d.Suites) > 0 {
		b = append(b, '\n')
	}
	return append(b, "</testsuites>\n"...)
}

func appendJUnitSuite(b []byte, s *junitSuite) []byte {
	b = append(b, "\n  <testsuite"...)
	b = xmlAttr(b, "name", s.Name)
	b = xmlIntAttr(b, "tests", s.Tests)
	b = xmlIntAttr(b, "failures", s.Failures)
	b = xmlIntAttr(b, "errors", s.Errors)
	b = xmlIntAttr(b, "skipped", s.Skipped)
	b = xmlAttr(b, "time", s.Time)
	if s.Timestamp != "" {
		b = xmlAttr(b, "timestamp", s.Timestamp)
	}
	// properties>property: encoding/xml writes the parent element even
	// for an empty slice.
	b = append(b, ">\n    <properties>"...)
	for _, p := range s.Properties {
		b = append(b, "\n      <property"...)
		b = xmlAttr(b, "name", p.Name)
		b = xmlAttr(b, "value", p.Value)
		b = append(b, "></property>"...)
	}
	if len(s.Properties) > 0 {
		b = append(b, "\n    "...)
	}
	b = append(b, "</properties>"...)
	for i := range s.Cases {
		b = appendJUnitCase(b, &s.Cases[i])
	}
	if s.SystemOut != "" {
		b = append(b, "\n    <system-out>"...)
		b = xmlEscape(b, s.SystemOut)
		b = append(b, "</system-out>"...)
	}
	return append(b, "\n  </testsuite>"...)
}

func appendJUnitCase(b []byte, c *junitCase) []byte {
	b = append(b, "\n    <testcase"...)
	b = xmlAttr(b, "name", c.Name)
	b = xmlAttr(b, "classname", c.Classname)
	b = xmlAttr(b, "time", c.Time)
	if c.File != "" {
		b = xmlAttr(b, "file", c.File)
	}
	if c.Line != 0 {
		b = xmlIntAttr(b, "line", c.Line)
	}
	b = append(b, '>')
	children := false
	for _, p := range []struct {
		name string
		p    *junitProblem
	}{{"failure", c.Failure}, {"error", c.Error}} {
		if p.p == nil {
			continue
		}
		children = true
		b = append(b, "\n      <"...)
		b = append(b, p.name...)
		b = xmlAttr(b, "message", p.p.Message)
		b = xmlAttr(b, "type", p.p.Type)
		b = append(b, '>')
		b = xmlEscape(b, p.p.Body)
		b = append(b, "</"...)
		b = append(b, p.name...)
		b = append(b, '>')
	}
	if c.Skipped != nil {
		children = true
		b = append(b, "\n      <skipped"...)
		b = xmlAttr(b, "message", c.Skipped.Message)
		b = append(b, "></skipped>"...)
	}
	if children {
		b = append(b, "\n    "...)
	}
	return append(b, "</testcase>"...)
}

func xmlAttr(b []byte, name, value string) []byte {
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, `="`...)
	b = xmlEscape(b, value)
	return append(b, '"')
}

func xmlIntAttr(b []byte, name string, v int) []byte {
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, `="`...)
	b = strconv.AppendInt(b, int64(v), 10)
	return append(b, '"')
}

// xmlEscape appends s escaped as encoding/xml escapes both attribute values
// and character data (EscapeText, printer.EscapeString): the five markup
// characters as entities (quotes numerically), tab, newline and carriage
// return as character references, and each rune outside XML 1.0's Char
// range, or a byte of invalid UTF-8, as U+FFFD.
func xmlEscape(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		r, width := utf8.DecodeRuneInString(s[i:])
		i += width
		var esc string
		switch r {
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			if !xmlChar(r) || (r == utf8.RuneError && width == 1) {
				esc = "\uFFFD"
				break
			}
			continue
		}
		b = append(b, s[last:i-width]...)
		b = append(b, esc...)
		last = i
	}
	return append(b, s[last:]...)
}

// xmlChar reports whether r is in XML 1.0's Char production (encoding/xml's
// isInCharacterRange).
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
