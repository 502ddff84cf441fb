package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/report"
)

// The -update flag may be defined by another test file of this package;
// define it only once, and read it by name.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updatingGoldens() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// textGolden compares got with testdata/<TestName>.golden.
func textGolden(t *testing.T, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", strings.ReplaceAll(t.Name(), "/", "_")+".golden")
	if updatingGoldens() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test ./report -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// textJSONFixture is a report with every kind of result: failures of each
// severity (one with two findings sharing their texts), an error with a
// stack, skips sharing a reason, a waiver, an expired waiver, a check
// beyond the guide, and a note.
func textJSONFixture() *report.Report {
	basic := &diagnosis.Check{
		ID: "CD1103", Name: "basic-auth-trailing-newline", Guide: contio.GuideBasicAuthEncoding,
		Title:    "The Basic header encodes a trailing newline",
		Symptom:  "The token endpoint answers 401 invalid_client although the client ID and secret are right.",
		Cause:    "The value was built with echo, which appends a newline\nthat base64 then encodes into the header.",
		Fix:      "Encode exactly client_id:client_secret, with no newline.",
		Verifies: "oauth.basic_auth_header decodes to exactly client_id:client_secret.",
		Severity: diagnosis.SeverityError,
	}
	quoted := &diagnosis.Check{
		ID: "CD1105", Name: "credential-quoted", Guide: contio.GuideInvalidClient,
		Title:    "A credential keeps the quotes around it",
		Symptom:  "Requests are refused as if the credential were wrong.",
		Cause:    "The .env file quotes the value and the loader keeps the quotes.",
		Fix:      "Remove the quotes, or use a loader that strips them.",
		Verifies: "No credential starts and ends with a quote character.",
		Severity: diagnosis.SeverityError,
	}
	idOK := &diagnosis.Check{
		ID: "CD1001", Name: "client-id-present", Guide: contio.GuideInvalidClient,
		Title: "No client ID is configured", Verifies: "oauth.client_id is set.", Severity: diagnosis.SeverityError,
	}
	secretOK := &diagnosis.Check{
		ID: "CD1002", Name: "client-secret-present", Guide: contio.GuideInvalidClient,
		Title: "No client secret is configured", Severity: diagnosis.SeverityError,
	}
	scopes := &diagnosis.Check{
		ID: "CD3101", Name: "scope-not-in-catalogue", Guide: contio.GuidePartialScope,
		Title:    "A requested scope is not one Contio grants",
		Symptom:  "The token carries fewer scopes than the app asked for.",
		Cause:    "Unknown scopes are dropped silently.",
		Fix:      "Request only scopes from the catalogue.",
		Severity: diagnosis.SeverityWarning,
	}
	rate := &diagnosis.Check{
		ID: "CD5101", Name: "retry-after-ignored", Guide: contio.GuideRateLimitExceeded,
		Title:    "The client does not wait for Retry-After",
		Symptom:  "Bursts of 429 responses.",
		Cause:    "Retries start before the window resets.",
		Fix:      "Sleep for Retry-After seconds before retrying.",
		Severity: diagnosis.SeverityInfo,
	}
	probeA := &diagnosis.Check{ID: "CD1500", Name: "live-client-credentials", Guide: contio.GuideInvalidClient, Title: "The API refuses the client credentials"}
	probeB := &diagnosis.Check{ID: "CD1501", Name: "live-basic-auth", Guide: contio.GuideInvalidClient, Title: "The API refuses the Basic header"}
	probeC := &diagnosis.Check{ID: "CD1502", Name: "live-api-key", Guide: contio.GuideInvalidClient, Title: "The API refuses the API key"}
	netErr := &diagnosis.Check{ID: "CD6501", Name: "live-reachability", Guide: contio.GuideNetworkError, Title: "The API cannot be reached"}
	loopback := &diagnosis.Check{
		ID: "CD2104", Name: "redirect-uri-loopback", Guide: contio.GuideInvalidGrant,
		Title: "The redirect URI points at a loopback address", Severity: diagnosis.SeverityWarning,
	}
	perms := &diagnosis.Check{
		ID: "CD1003", Name: "config-permissions", Guide: contio.GuideNone,
		Title:    "The config file holding secrets is readable by others",
		Symptom:  "Anyone on the machine can read the credentials.",
		Cause:    "The file mode allows group or world reads.",
		Fix:      "Restrict the file to its owner.",
		Severity: diagnosis.SeverityWarning,
	}

	src := func(line, col int, env string) integration.Source {
		return integration.Source{File: "contio-doctor.yaml", Line: line, Column: col, EnvVar: env}
	}
	results := []diagnosis.Result{
		{Check: idOK, Status: diagnosis.StatusPass},
		{Check: secretOK, Status: diagnosis.StatusPass},
		{Check: perms, Status: diagnosis.StatusFail, Severity: diagnosis.SeverityWarning, Findings: []diagnosis.Finding{{
			Severity: diagnosis.SeverityWarning,
			Message:  "contio-doctor.yaml has mode 0644: group and others can read it.",
			Symptom:  perms.Symptom, Cause: perms.Cause, Fix: perms.Fix,
			Commands: []string{"chmod 600 contio-doctor.yaml"},
			Location: integration.Source{File: "contio-doctor.yaml"},
		}}},
		{Check: basic, Status: diagnosis.StatusFail, Severity: diagnosis.SeverityError, Findings: []diagnosis.Finding{
			{
				Severity: diagnosis.SeverityError,
				Message:  "oauth.basic_auth_header decodes to client_id:client_secret followed by a newline (0x0a), which the token endpoint reads as part of the secret.",
				Symptom:  basic.Symptom, Cause: basic.Cause, Fix: basic.Fix,
				Commands: []string{`printf '%s:%s' "$CONTIO_CLIENT_ID" "$CONTIO_CLIENT_SECRET" | base64 | tr -d '\n'`},
				Evidence: "decoded length 53, last byte 0x0a; secret CD1…(40 chars, sha256:1a2b3c)",
				Location: src(14, 22, "CONTIO_BASIC_AUTH"),
			},
			{
				Severity: diagnosis.SeverityError,
				Message:  "The token endpoint answered 401 invalid_client to this header.",
				Symptom:  basic.Symptom, Cause: basic.Cause, Fix: basic.Fix,
				Commands:  []string{`printf '%s:%s' "$CONTIO_CLIENT_ID" "$CONTIO_CLIENT_SECRET" | base64 | tr -d '\n'`},
				Location:  src(14, 22, "CONTIO_BASIC_AUTH"),
				RequestID: "req_01HZX3",
			},
		}},
		{Check: quoted, Status: diagnosis.StatusFail, Severity: diagnosis.SeverityError, WaiverExpired: true,
			Waiver: &integration.Waiver{Check: "CD1105", Reason: "legacy loader", Until: time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)},
			Findings: []diagnosis.Finding{{
				Severity: diagnosis.SeverityError,
				Message:  "oauth.client_secret starts and ends with \" \x1b[31mred\x1b[0m",
				Symptom:  quoted.Symptom, Cause: quoted.Cause, Fix: quoted.Fix,
				Location: src(9, 18, "CONTIO_CLIENT_SECRET"),
			}}},
		{Check: probeA, Status: diagnosis.StatusSkip, SkipReason: "offline run", Enable: "run without --offline to probe the API"},
		{Check: probeB, Status: diagnosis.StatusSkip, SkipReason: "offline run", Enable: "run without --offline to probe the API"},
		{Check: probeC, Status: diagnosis.StatusSkip, SkipReason: "no API key configured", Enable: "set admin.api_key (or CONTIO_API_KEY)"},
		{Check: loopback, Status: diagnosis.StatusWaived, Severity: diagnosis.SeverityWarning,
			Waiver:   &integration.Waiver{Check: "CD2104", Reason: "staging uses a loopback callback", Until: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)},
			Findings: []diagnosis.Finding{{Severity: diagnosis.SeverityWarning, Message: "redirect_uri is http://127.0.0.1:8080/callback"}}},
		{Check: scopes, Status: diagnosis.StatusFail, Severity: diagnosis.SeverityWarning, Findings: []diagnosis.Finding{{
			Severity: diagnosis.SeverityWarning,
			Message:  `oauth.scopes lists "meetings:write", which Contio does not grant to partner apps.`,
			Symptom:  scopes.Symptom, Cause: scopes.Cause, Fix: scopes.Fix,
			Location: src(15, 11, ""),
		}}},
		{Check: rate, Status: diagnosis.StatusFail, Severity: diagnosis.SeverityInfo, Findings: []diagnosis.Finding{{
			Severity: diagnosis.SeverityInfo, Message: "http.honors_retry_after is false.",
			Symptom: rate.Symptom, Cause: rate.Cause, Fix: rate.Fix,
			Location: src(40, 23, ""),
		}}},
		{Check: netErr, Status: diagnosis.StatusError, Err: "internal error: check panicked: boom\ngoroutine 7 [running]:\nmain.probe()"},
	}
	for i := range results {
		results[i].Duration = time.Duration(i+1) * 1500 * time.Microsecond
	}
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return &report.Report{
		Tool: diagnosis.Tool{Name: "contio-doctor", Version: "1.2.3"},
		Run: diagnosis.RunInfo{
			ID: "run-0001", StartedAt: start, FinishedAt: start.Add(42 * time.Millisecond), Mode: "offline",
			ConfigPath: "contio-doctor.yaml", Fingerprint: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
			APIURL: "https://api.contio.ai", AuthURL: "https://auth.contio.ai", ClientID: "cli_demo_123",
			GoVersion: "go1.26.8", OS: "linux", Arch: "amd64",
		},
		Results:  results,
		Problems: diagnosis.Group(results, ""),
		FailOn:   diagnosis.SeverityError,
		ExitCode: 1,
		Notes:    []string{`contio-doctor.yaml:52:5: waiver for "CD9999" matches no check; remove it or fix the ID`},
	}
}

func renderText(t *testing.T, r *report.Report, opts report.Options) []byte {
	t.Helper()
	regroup(r)
	rd, err := report.For("text", opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rd.Render(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestTextGolden(t *testing.T) {
	verbose := textJSONFixture()
	verbose.Verbose = true
	cases := []struct {
		name string
		r    *report.Report
		opts report.Options
	}{
		{"plain", textJSONFixture(), report.Options{}},
		{"verbose", verbose, report.Options{}},
		{"ascii", textJSONFixture(), report.Options{ASCII: true}},
		{"color", textJSONFixture(), report.Options{Color: true}},
		{"narrow", textJSONFixture(), report.Options{Width: 60}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			textGolden(t, renderText(t, c.r, c.opts))
		})
	}
}

var ansiEscape = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestTextColourOnlyWhenAsked(t *testing.T) {
	plain := renderText(t, textJSONFixture(), report.Options{})
	if bytes.Contains(plain, []byte("\x1b")) {
		t.Errorf("Color off, yet the report holds an escape byte:\n%q", plain)
	}
	colour := renderText(t, textJSONFixture(), report.Options{Color: true})
	if !ansiEscape.Match(colour) {
		t.Fatalf("Color on, yet no ANSI sequence in:\n%s", colour)
	}
	// Colour adds meaning, never text: stripped, the two reports are equal.
	if got := ansiEscape.ReplaceAll(colour, nil); !bytes.Equal(got, plain) {
		t.Errorf("colour changed the text:\n--- stripped\n%s\n--- plain\n%s", got, plain)
	}
}

func TestTextEscapesControlCharacters(t *testing.T) {
	out := string(renderText(t, textJSONFixture(), report.Options{}))
	if !strings.Contains(out, `starts and ends with " \x1b[31mred\x1b[0m`) {
		t.Errorf("an escape sequence from a finding is not shown escaped:\n%s", out)
	}
}

func TestTextASCIIMarksAlign(t *testing.T) {
	out := string(renderText(t, textJSONFixture(), report.Options{ASCII: true}))
	for i, line := range strings.Split(out, "\n") {
		for j := 0; j < len(line); j++ {
			if line[j] >= utf8.RuneSelf {
				t.Fatalf("line %d holds a non-ASCII byte: %q", i+1, line)
			}
		}
	}
	// Every result line has its ID at the same column.
	idAt := regexp.MustCompile(`^  \[[a-zA-Z]+\] *CD\d{4}`)
	col := -1
	for _, line := range strings.Split(out, "\n") {
		if !idAt.MatchString(line) {
			continue
		}
		c := strings.Index(line, "CD")
		if col == -1 {
			col = c
		}
		if c != col {
			t.Errorf("ID at column %d, want %d: %q", c, col, line)
		}
	}
	if col == -1 {
		t.Fatal("no result line found")
	}
	for _, m := range []string{"[ok]", "[FAIL]", "[warn]", "[info]", "[skip]", "[waived]", "[ERR]"} {
		if m == "[ok]" {
			continue // passes are folded into the heading without -v
		}
		if !strings.Contains(out, m) {
			t.Errorf("no %s mark in the ASCII report", m)
		}
	}
}

func TestTextWrapsToWidth(t *testing.T) {
	for _, width := range []int{60, 100} {
		out := string(renderText(t, textJSONFixture(), report.Options{Width: width}))
		for _, line := range strings.Split(out, "\n") {
			if lipgloss.Width(line) <= width {
				continue
			}
			trimmed := strings.TrimSpace(line)
			// Commands and URLs are never broken, so they may stick out;
			// so may a single word longer than the width.
			if strings.HasPrefix(trimmed, "$ ") || strings.Contains(line, "https://") || !strings.Contains(trimmed[strings.LastIndex(trimmed, "  ")+1:], " ") {
				continue
			}
			if strings.Contains(line, "passed ·") || strings.Contains(line, "— exit") {
				continue // the summary line is one line by design
			}
			t.Errorf("width %d: line of %d columns: %q", width, lipgloss.Width(line), line)
		}
	}
}

func TestTextFoldsPassesUnlessVerbose(t *testing.T) {
	r := textJSONFixture()
	out := string(renderText(t, r, report.Options{}))
	if strings.Contains(out, "CD1001") {
		t.Errorf("a passed check is listed without -v:\n%s", out)
	}
	r.Verbose = true
	out = string(renderText(t, r, report.Options{}))
	if !strings.Contains(out, "invalid_client - Bad Credentials · 1 failed · 3 skipped · 2 passed") {
		t.Errorf("-v: the heading does not count the passes:\n%s", out)
	}
	if !strings.Contains(out, "  ✓ CD1001  oauth.client_id is set.\n") {
		t.Errorf("-v does not list a passed check with what it verified:\n%s", out)
	}
	// Without a Verifies text the title stands in.
	if !strings.Contains(out, "  ✓ CD1002  No client secret is configured\n") {
		t.Errorf("-v does not list a pass without a Verifies text:\n%s", out)
	}
}

func TestTextFailingCheckLines(t *testing.T) {
	r := textJSONFixture()
	r.Verbose = true
	verbose := string(renderText(t, r, report.Options{}))
	// With -v every check follows the problems, under its own banner.
	_, checksPart, ok := strings.Cut(verbose, "── Every check")
	if !ok {
		t.Fatalf("-v lists no checks:\n%s", verbose)
	}
	out := string(renderText(t, textJSONFixture(), report.Options{}))
	for _, want := range []string{
		"  ✗ CD1103  The Basic header encodes a trailing newline\n",
		"    Symptom   The token endpoint answers 401 invalid_client although the client ID and secret are\n              right.\n",
		// The cause's hard line break is reflowed.
		"    Cause     The value was built with echo, which appends a newline that base64 then encodes into\n              the header.\n",
		"    Fix       Encode exactly client_id:client_secret, with no newline.\n" +
			`              $ printf '%s:%s' "$CONTIO_CLIENT_ID" "$CONTIO_CLIENT_SECRET" | base64 | tr -d '\n'` + "\n",
		"    At        contio-doctor.yaml:14:22 ($CONTIO_BASIC_AUTH)\n",
		"    Request   req_01HZX3\n",
		"    Guide     https://docs.contio.ai/partner-api/guides/troubleshooting/#basic-auth-encoding-issues\n",
		"  ! CD3101  A requested scope is not one Contio grants\n",
	} {
		if !strings.Contains(checksPart, want) {
			t.Errorf("-v report lacks %q:\n%s", want, checksPart)
		}
	}
	for _, want := range []string{
		"── Not run ─────────────────────────────────────────────────────────────────────────────────────────\n\n" +
			"  - 2 checks: offline run — run without --offline to probe the API\n    CD1500 CD1501\n" +
			"  - 1 check: no API key configured — set admin.api_key (or CONTIO_API_KEY)\n    CD1502\n",
		"  ~ CD2104  The redirect URI points at a loopback address — waived until 2027-01-31: staging uses a\n",
		"  E CD6501  live-reachability could not run: internal error: check panicked: boom\n",
		"Waiver    CD1105's waiver expired on 2025-01-31 (legacy loader); renew it in ignore: or fix the\n",
		"── Notes ───────────────────────────────────────────────────────────────────────────────────────────\n\n  • contio-doctor.yaml:52:5: waiver for \"CD9999\" matches no check; remove it or fix the ID\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// Two findings with the same texts: symptom, cause and fix once.
	if n := strings.Count(checksPart, "The token endpoint answers 401 invalid_client"); n != 1 {
		t.Errorf("the shared symptom appears %d times, want once", n)
	}
	// The stack of a panic is shown with -v only.
	if strings.Contains(out, "goroutine 7") {
		t.Errorf("the panic stack is shown without -v")
	}
}

func TestTextSummaryLine(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(r *report.Report)
		ascii  bool
		suffix string
	}{
		{"all kinds", func(*report.Report) {},
			false, "2 passed · 5 failed (2 errors, 2 warnings, 1 info) · 3 skipped · 1 could not run · 1 waived — exit 1 (--fail-on error)\n"},
		{"ascii", func(*report.Report) {},
			true, "2 passed | 5 failed (2 errors, 2 warnings, 1 info) | 3 skipped | 1 could not run | 1 waived -- exit 1 (--fail-on error)\n"},
		{"never", func(r *report.Report) { r.FailOn, r.ExitCode = diagnosis.SeverityNone, 0 },
			false, "— exit 0 (--fail-on never)\n"},
		{"healthy", func(r *report.Report) { r.Results = r.Results[:2]; r.Problems = nil; r.ExitCode = 0; r.Notes = nil },
			false, "\nno problems · 2 passed · 0 failed — exit 0 (--fail-on error)\n"},
		{"problems lead", func(*report.Report) {},
			false, "5 problems · 2 passed · 5 failed (2 errors"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := textJSONFixture()
			c.edit(r)
			out := string(renderText(t, r, report.Options{ASCII: c.ascii, Width: 160})) // wide enough for one line
			lines := strings.SplitAfter(out, "\n")
			tail := strings.Join(lines[max(len(lines)-3, 0):], "")
			if !strings.Contains(tail, c.suffix) {
				t.Errorf("summary: got tail\n%s\nwant it to contain\n%s", tail, c.suffix)
			}
		})
	}
}

func TestTextHeaderHasNoTimestamps(t *testing.T) {
	a := textJSONFixture()
	b := textJSONFixture()
	b.Run.ID = "another"
	b.Run.StartedAt = b.Run.StartedAt.Add(time.Hour)
	b.Run.FinishedAt = b.Run.FinishedAt.Add(2 * time.Hour)
	for i := range b.Results {
		b.Results[i].Duration *= 7
	}
	if x, y := renderText(t, a, report.Options{}), renderText(t, b, report.Options{}); !bytes.Equal(x, y) {
		t.Errorf("the text report depends on the run's id, times or durations:\n%s\n---\n%s", x, y)
	}
	out := string(renderText(t, a, report.Options{}))
	want := "contio-doctor 1.2.3 · offline run\nconfig  contio-doctor.yaml · sha256:0123456789ab\napi     https://api.contio.ai · auth https://auth.contio.ai · client cli_demo_123\n"
	if !strings.HasPrefix(out, want) {
		t.Errorf("header:\n%s\nwant:\n%s", out[:min(len(out), 300)], want)
	}
}

func TestTextEnvironmentConfig(t *testing.T) {
	r := textJSONFixture()
	r.Run.ConfigPath = ""
	out := string(renderText(t, r, report.Options{}))
	if !strings.Contains(out, "config  CONTIO_* environment variables") {
		t.Errorf("a run without a config file does not say where its values came from:\n%s", out)
	}
}

func FuzzTextParagraphs(f *testing.F) {
	f.Add("one line", 40)
	f.Add("a\nb\n\n- item\n  more\n$ cmd --flag\n1. step", 20)
	f.Add("\x1b[2J\r\n\t\xff", 10)
	f.Fuzz(func(t *testing.T, text string, width int) {
		r := textJSONFixture()
		r.Results[2].Findings[0].Message = text
		r.Results[2].Findings[0].Evidence = text
		out := renderText(t, r, report.Options{Width: width % 300})
		if bytes.Contains(out, []byte("\x1b")) {
			t.Fatalf("an escape byte reached the plain report")
		}
		if !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8 in the report")
		}
	})
}
