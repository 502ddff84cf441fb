package report_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/report"
)

type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Failures   int    `xml:"failures,attr"`
		Errors     int    `xml:"errors,attr"`
		Skipped    int    `xml:"skipped,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			File      string `xml:"file,attr"`
			Line      int    `xml:"line,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Body    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
				Body    string `xml:",chardata"`
			} `xml:"error"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, out string) junitDoc {
	t.Helper()
	var d junitDoc
	if err := xml.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("junit is not XML: %v\n%s", err, out)
	}
	if len(d.Suites) != 1 || d.Suites[0].Name != "contio-doctor" {
		t.Fatalf("want one testsuite contio-doctor, got %d", len(d.Suites))
	}
	return d
}

// checkJUnitCounts requires the attributes to agree with the report's
// summary and with the testcases themselves.
func checkJUnitCounts(t *testing.T, d junitDoc, r *report.Report) {
	t.Helper()
	c := r.Counts()
	s := d.Suites[0]
	var fail, errs, skip int
	for _, tc := range s.Cases {
		switch {
		case tc.Failure != nil:
			fail++
		case tc.Error != nil:
			errs++
		case tc.Skipped != nil:
			skip++
		}
	}
	for _, x := range []struct {
		what      string
		got, want int
	}{
		{"tests", s.Tests, len(r.Results)}, {"testcases", len(s.Cases), len(r.Results)},
		{"failures", s.Failures, c.Fail}, {"failure elements", fail, c.Fail},
		{"errors", s.Errors, c.Error}, {"error elements", errs, c.Error},
		{"skipped (skip + waived)", s.Skipped, c.Skip + c.Waived}, {"skipped elements", skip, c.Skip + c.Waived},
		{"testsuites tests", d.Tests, s.Tests}, {"testsuites failures", d.Failures, s.Failures},
		{"testsuites errors", d.Errors, s.Errors}, {"testsuites skipped", d.Skipped, s.Skipped},
	} {
		if x.got != x.want {
			t.Errorf("%s = %d, want %d", x.what, x.got, x.want)
		}
	}
}

func TestJUnitSynthetic(t *testing.T) {
	r := synthReport()
	d := parseJUnit(t, render(t, "junit", r))
	checkJUnitCounts(t, d, r)
	cases := d.Suites[0].Cases
	first := cases[0]
	if first.Name != "CD1499 synthetic-secret" || first.Classname != "invalid_client" ||
		first.File != "deploy/contio-doctor.yaml" || first.Line != 7 || first.Failure == nil || first.Failure.Type != "error" {
		t.Errorf("first testcase: %+v", first)
	}
	if want := "oauth.client_secret ends in a pipe | and a `tick`, 100% sure: really, yes (and 1 more)"; first.Failure.Message != want {
		t.Errorf("failure message %q, want %q", first.Failure.Message, want)
	}
	for _, want := range []string{"Symptom: Symptom of synthetic-secret.", "Fix: Remove the *stray* character <here>.",
		"  $ printf '%s' \"$CONTIO_CLIENT_SECRET\" | od -c", "request_id: req_123", "Location: deploy/contio-doctor.yaml:7:18 ($CONTIO_CLIENT_SECRET)",
		"Guide: https://docs.contio.ai/partner-api/guides/troubleshooting/#invalid_client-bad-credentials"} {
		if !strings.Contains(first.Failure.Body, want) {
			t.Errorf("failure body lacks %q:\n%s", want, first.Failure.Body)
		}
	}
	// Beyond the guide: the family names the class.
	if cases[1].Classname != "redirect-uri" {
		t.Errorf("classname for a check beyond the guide = %q", cases[1].Classname)
	}
	if w := cases[3].Skipped; w == nil || w.Message != "waived: staging | loopback (until 2027-01-31) (no backoff)" {
		t.Errorf("waived testcase: %+v", cases[3])
	}
	if e := cases[4].Failure; e == nil || !strings.HasPrefix(e.Body, "Problem P4 (check:CD5498, CD5498): Title of synthetic-expired\n\nWaiver expired on 2026-01-01: old excuse") {
		t.Errorf("expired waiver testcase: %+v", cases[4])
	}
	if e := cases[5].Error; e == nil || !strings.Contains(e.Body, "connection refused") {
		t.Errorf("error testcase: %+v", cases[5])
	}
	if s := cases[6].Skipped; s == nil || s.Message != "no webhook URL configured; to run it: set webhooks.url" {
		t.Errorf("skipped testcase: %+v", cases[6])
	}
	props := map[string]string{}
	for _, p := range d.Suites[0].Properties {
		props[p.Name] = p.Value
	}
	if props["exit_code"] != "1" || props["fail_on"] != "error" || props["run_id"] != "run-0001" {
		t.Errorf("properties: %v", props)
	}
}

// Control characters are not allowed in XML 1.0; the document must still
// parse when a message carries one.
func TestJUnitControlCharacters(t *testing.T) {
	r := synthReport()
	r.Results[0].Findings[0].Message = "bad \x00\x1b[31m byte"
	parseJUnit(t, render(t, "junit", r))
}

func TestJUnitCountsOnTestdata(t *testing.T) {
	t.Chdir(repoRoot(t))
	for _, cfg := range testdataConfigs(t) {
		r := runConfig(t, cfg, diagnosis.SeverityError)
		checkJUnitCounts(t, parseJUnit(t, string(renderVia(t, r, "junit"))), r)
	}
}

// TestJUnitSameBytesAsEncodingXML: whole reports, from the testdata
// configs and with hostile text in every field a report carries, render
// to the bytes encoding/xml's Encoder gave for the same document.
func TestJUnitSameBytesAsEncodingXML(t *testing.T) {
	same := func(what string, r *report.Report) {
		t.Helper()
		got := render(t, "junit", r)
		if want := string(report.JUnitViaEncodingXML(t, r)); got != want {
			t.Fatalf("%s: junit differs from encoding/xml's\n got %q\nwant %q", what, got, want)
		}
		var d junitDoc
		if err := xml.Unmarshal([]byte(got), &d); err != nil || len(d.Suites) != 1 {
			t.Fatalf("%s: junit does not parse back (%v)", what, err)
		}
	}
	same("synthetic", synthReport())
	for _, h := range []string{"\x00\x01\x08\x0b\x0c\x1f\x7f\x80\x9f", "\xff\xc3(\xed\xa0\x80", "\uFFFE\uFFFF\uFFFD",
		`"quoted" 'single' & <script>alert(1)</script> ]]>`, "tab\tcr\rnl\n", "😀 \U0010FFFF",
		"sk_live_CANARY0123456789abcdefCANARY"} {
		r := synthReport()
		r.Tool.Name, r.Run.ID, r.Run.Mode, r.Run.ConfigPath, r.Run.Fingerprint, r.Run.OS = h, h, h, h, h, h
		r.Notes = append(r.Notes, h)
		for i := range r.Results {
			res := &r.Results[i]
			c := *res.Check
			c.ID, c.Name, c.Title = c.ID+h, c.Name+h, h
			res.Check = &c
			res.SkipReason, res.Enable, res.Err = h, h, h
			if res.Waiver != nil {
				w := *res.Waiver
				w.Reason = h
				res.Waiver = &w
			}
			for j := range res.Findings {
				f := &res.Findings[j]
				f.Message, f.Symptom, f.Cause, f.Fix, f.Evidence, f.RequestID = h, h, h, h, h, h
				f.Commands = append(f.Commands, h)
				if f.Location.File != "" {
					f.Location.File = h
				}
			}
		}
		same(strings.ToValidUTF8(h, "?"), r)
	}
	t.Chdir(repoRoot(t))
	for _, cfg := range testdataConfigs(t) {
		same(cfg, runConfig(t, cfg, diagnosis.SeverityError))
	}
}
