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
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/Contio-AI/contio-doctor/diagnosis"
)

func init() {
	formats["junit"] = func(Options) Renderer { return junitRenderer{} }
}

type junitRenderer struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
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
	doc := junitSuites{
		Name: r.Tool.Name, Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors,
		Skipped: suite.Skipped, Time: suite.Time, Suites: []junitSuite{suite},
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encode junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
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
