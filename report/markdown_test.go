package report_test

import (
	"strings"
	"testing"
)

func TestMarkdownReport(t *testing.T) {
	out := render(t, "markdown", synthReport())
	for _, want := range []string{
		// Header: what support needs to reproduce.
		"| Tool | `contio-doctor 1.2.3` |",
		"| Platform | `linux/amd64`, `go1.26` |",
		"| Time | 2026-03-04 05:06:07 UTC (1.5s) |",
		"| Run ID | `run-0001` |",
		"| Mode | offline |",
		"| Config | `deploy/contio-doctor.yaml` |",
		"| API URL | `https://api.contio.ai` |",
		// A pipe splits a cell even inside a code span.
		"| Client ID | `client\\|123` |",
		// Summary.
		"| fail | 4 |\n| error | 1 |\n| waived | 1 |\n| pass | 1 |\n| skip | 1 |\n| **exit code** | **1** |",
		"Fails on: `error` and above (`--fail-on`). Something at or above that level: the gate fails.",
		// A problem: heading, guide link, message escaped, texts, commands fenced.
		"### CD1499 synthetic-secret: Title of synthetic-secret\n\nSeverity **error** · Guide: [invalid_client - Bad Credentials](https://docs.contio.ai/partner-api/guides/troubleshooting/#invalid_client-bad-credentials) · More: `contio-doctor explain CD1499`",
		"**Finding 1 of 2** (error)",
		"oauth.client_secret ends in a pipe | and a `tick`, 100% sure: really, yes",
		"- **Fix:** Remove the \\*stray\\* character \\<here\\>.",
		"- **Evidence:** `s3cr…(40 chars, sha256:1a2b3c)`",
		"- **Location:** `deploy/contio-doctor.yaml:7:18 ($CONTIO_CLIENT_SECRET)`",
		"- **request_id:** `req_123`",
		"```sh\nprintf '%s' \"$CONTIO_CLIENT_SECRET\" | od -c\n```",
		// Expired waiver: fails again, says why.
		"> **Waiver expired** on 2026-01-01, so this check fails again. The waiver said: old excuse",
		// Errors, waivers, notes.
		"| CD6999 synthetic-error | Title of synthetic-error | dial tcp: connection refused |",
		"| CD5499 synthetic-waived | error | no backoff | staging \\| loopback | 2027-01-31 |",
		"## Notes\n\n- deploy/contio-doctor.yaml:40:5: waiver for \"CD9999\" matches no check; remove it or fix the ID",
		// Passed and skipped folded away.
		"<details>\n<summary>1 passed, 1 skipped</summary>",
		"| CD7999 synthetic-skip | skip | Title of synthetic-skip | no webhook URL configured; to run it: set webhooks.url |",
		"| CD7498 synthetic-pass | pass | Title of synthetic-pass |  |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks:\n%s\n--- got:\n%s", want, out)
		}
	}
	// Every table row has as many unescaped pipes as its header.
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| CD5499") {
			if n := strings.Count(line, "|") - strings.Count(line, `\|`); n != 6 {
				t.Errorf("waived row has %d cell separators, want 6: %s", n, line)
			}
		}
	}
}

func TestMarkdownCodeSpans(t *testing.T) {
	r := synthReport()
	r.Results[1].Findings[0].Message = "odd ` tick and `code | pipe` - dash"
	r.Results[2].Findings[0].Message = "use `printf '%s'` - not `echo`"
	r.Results[0].Findings[0].Evidence = "has `one` and ``two`` ticks"
	r.Results[0].Findings[1].Evidence = "line one\nline ```three``` two"
	out := render(t, "markdown", r)
	if !strings.Contains(out, "\nodd \\` tick and \\`code | pipe\\` - dash\n") {
		t.Errorf("unbalanced backticks must all be escaped:\n%s", out)
	}
	if !strings.Contains(out, "\nuse `printf '%s'` - not `echo`\n") {
		t.Errorf("balanced backticks stay code spans:\n%s", out)
	}
	if !strings.Contains(out, "- **Evidence:** ```has `one` and ``two`` ticks```") {
		t.Errorf("code span fence must be longer than the ticks inside:\n%s", out)
	}
	if !strings.Contains(out, "  ````text\n  line one\n  line ```three``` two\n  ````\n") {
		t.Errorf("multi-line evidence goes in a fence longer than the ticks inside:\n%s", out)
	}
}

// FuzzMarkdownTableRow: whatever a waiver's reason holds, its table row
// stays one row with its five cells.
func FuzzMarkdownTableRow(f *testing.F) {
	for _, s := range []string{"plain", "a | b", "`x | y`", "\\|", "line\nbreak\r\n", "<b>*_x_*</b>", "```", "- item"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, reason string) {
		r := synthReport()
		r.Results[3].Waiver.Reason = reason
		out := render(t, "markdown", r)
		for _, line := range strings.Split(out, "\n") {
			if !strings.HasPrefix(line, "| CD5499") {
				continue
			}
			if n := strings.Count(line, "|") - strings.Count(line, `\|`); n != 6 {
				t.Fatalf("reason %q: row has %d cell separators, want 6: %s", reason, n, line)
			}
			return
		}
		t.Fatalf("reason %q broke the waived row:\n%s", reason, out)
	})
}
