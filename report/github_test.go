package report_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/report"
)

func TestGitHubAnnotations(t *testing.T) {
	out := render(t, "github", synthReport())
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := []string{
		// One annotation per problem and source line, errors first (GitHub
		// shows 10 a step); data escapes % and newlines; properties also
		// escape : and ,.
		"::error file=deploy/contio-doctor.yaml,line=7,col=18,title=CD1499 (P1)%3A Title of synthetic-secret::oauth.client_secret ends in a pipe | and a `tick`, 100%25 sure: really, yes%0ACause: Cause of synthetic-secret.%0AFix: Remove the *stray* character <here>.%0A  $ printf '%25s' \"$CONTIO_CLIENT_SECRET\" | od -c%0ASeen (offline, CD1499): oauth.client_secret ends in a pipe | and a `tick`, 100%25 sure: really, yes [request_id req_123]%0ASeen (offline, CD1499): second finding%0AGuide: https://docs.contio.ai/partner-api/guides/troubleshooting/#invalid_client-bad-credentials",
		"::error file=deploy/contio-doctor.yaml,line=9,title=CD1499 (P1)%3A Title of synthetic-secret::second finding%0ACause: Cause of synthetic-secret.%0AFix: Remove the *stray* character <here>.%0A  $ printf '%25s' \"$CONTIO_CLIENT_SECRET\" | od -c%0ASeen (offline, CD1499): oauth.client_secret ends in a pipe | and a `tick`, 100%25 sure: really, yes [request_id req_123]%0ASeen (offline, CD1499): second finding%0AGuide: https://docs.contio.ai/partner-api/guides/troubleshooting/#invalid_client-bad-credentials",
		"::error file=deploy/contio-doctor.yaml,title=CD6999 synthetic-error%3A could not decide::dial tcp: connection refused",
		"::warning file=deploy/contio-doctor.yaml,title=CD2499 (P3)%3A Title of synthetic-env::redirect_uri comes from the environment (from $CONTIO_REDIRECT_URI)%0ACause: Cause of synthetic-env.%0AFix: Fix of synthetic-env.",
		"::warning file=deploy/contio-doctor.yaml,line=31,col=3,title=CD5498 (P4)%3A Title of synthetic-expired::retries on 400%0AWaiver expired on 2026-01-01: old excuse%0ACause: Cause of synthetic-expired.%0AFix: Fix of synthetic-expired.",
		"::notice file=capture.har,title=CD4999 (P2)%3A Title of synthetic-har::POST sent where GET is expected%0ACause: Cause of synthetic-har.%0AFix: Fix of synthetic-har.%0AGuide: https://docs.contio.ai/partner-api/guides/troubleshooting/#405-method-not-allowed",
		"::notice file=deploy/contio-doctor.yaml,line=30,col=3,title=CD5499 synthetic-waived (waived)::no backoff%0AWaived: staging | loopback (until 2027-01-31)",
		"contio-doctor: 4 problems (4 failed checks), 1 could not decide, 1 waived, 1 passed, 1 skipped; --fail-on error; exit code 1",
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, lines[i], want[i])
		}
	}
}

func TestGitHubPropertyEscaping(t *testing.T) {
	r := synthReport()
	r.Results = r.Results[:1]
	r.Results[0].Findings = r.Results[0].Findings[:1]
	r.Results[0].Findings[0].Location.File = "odd,dir/a:b%c.yaml"
	r.Results[0].Findings[0].Message = "line one\r\nline two"
	r.Notes = nil
	r.Problems = diagnosis.Group(r.Results, "")
	out := render(t, "github", r)
	if !strings.HasPrefix(out, "::error file=odd%2Cdir/a%3Ab%25c.yaml,line=7,col=18,title=") {
		t.Errorf("file property not escaped:\n%s", out)
	}
	if !strings.Contains(out, "::line one%0D%0Aline two%0A") {
		t.Errorf("message line breaks not escaped:\n%s", out)
	}
	// A workflow command must stay on one line whatever the input.
	if n := strings.Count(out, "\n"); n != 2 {
		t.Errorf("want 2 lines (annotation and summary), got %d:\n%s", n, out)
	}
}

func TestGitHubCapNotice(t *testing.T) {
	r := synthReport()
	base := r.Results[0]
	r.Results = nil
	for i := range 12 {
		res := base
		res.Findings = []diagnosis.Finding{base.Findings[1]}
		res.Findings[0].Message = fmt.Sprintf("finding %d", i)
		res.Findings[0].Root = diagnosis.Root{Kind: "synthetic", Subject: fmt.Sprint(i)}
		r.Results = append(r.Results, res)
	}
	r.Notes = nil
	r.Problems = diagnosis.Group(r.Results, "")
	out := render(t, "github", r)
	if got := strings.Count(out, "::error "); got != 12 {
		t.Errorf("want every error annotation in the log, got %d", got)
	}
	if !strings.Contains(out, "::notice title=contio-doctor%3A annotations capped::12 error annotations; GitHub shows the first 10.") {
		t.Errorf("missing cap notice:\n%s", out)
	}
}

func TestGitHubCleanRun(t *testing.T) {
	r := synthReport()
	r.Results = r.Results[len(r.Results)-2:] // skip + pass
	r.Notes = nil
	r.ExitCode = 0
	got := render(t, "github", r)
	want := "contio-doctor: 0 problems (0 failed checks), 0 could not decide, 0 waived, 1 passed, 1 skipped; --fail-on error; exit code 0\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	_ = report.GitHubRenderer{}
}

// FuzzGitHubAnnotation: any message and path give one workflow command per
// line, and the message reads back as it was.
func FuzzGitHubAnnotation(f *testing.F) {
	for _, s := range []string{"plain", "100%", "a\nb\r\nc", "::error::x", "%0A", "a:b,c"} {
		f.Add(s, "dir/a,b:c.yaml")
	}
	f.Fuzz(func(t *testing.T, msg, file string) {
		r := synthReport()
		r.Results = r.Results[5:6] // the error result: its message is Err alone
		r.Results[0].Err = msg
		r.Run.ConfigPath = file
		r.Notes = nil
		out := render(t, "github", r)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "::error ") {
			t.Fatalf("want one annotation and the summary, got %q", out)
		}
		_, data, ok := strings.Cut(lines[0][2:], "::")
		if !ok {
			t.Fatalf("no data separator: %q", lines[0])
		}
		back := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%").Replace(data)
		if back != msg {
			t.Fatalf("message %q reads back as %q", msg, back)
		}
	})
}
