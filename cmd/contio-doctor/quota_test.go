package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

// TestRepeatedRunsKeepTheirVerdicts: a CI gate that runs the doctor again
// and again within one rate-limit window (one run per report format, say)
// must not turn on itself. The doctor remembers the quota the last run
// saw and leaves the partner's last requests alone: later runs skip the
// probes that would spend them ("N left until HH:MM:SS"), never failing
// and never meeting a 429.
func TestRepeatedRunsKeepTheirVerdicts(t *testing.T) {
	sb := sandbox.NewTest(t, sandbox.Options{Clock: sandbox.NewFakeClock(time.Now())})
	app := sb.DefaultApp()
	const cb = "https://app.example.com/cb"
	if err := sb.UpdateApp(app.ClientID, func(a *sandbox.App) { a.RedirectURIs = []string{cb} }); err != nil {
		t.Fatal(err)
	}
	tok, err := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"openid", "profile", "meetings:read"}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := `version: 1
api_url: ` + sb.URL() + `
auth_url: ` + sb.URL() + `
oauth:
  client_id: ${CONTIO_CLIENT_ID}
  client_secret: ${CONTIO_CLIENT_SECRET}
  redirect_uri: ` + cb + `
  registered_redirect_uris: [` + cb + `]
  scopes: [openid, profile, meetings:read]
tokens:
  access_token: ${CONTIO_ACCESS_TOKEN}
`
	path := filepath.Join(t.TempDir(), "contio-doctor.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"CONTIO_CLIENT_ID": app.ClientID, "CONTIO_CLIENT_SECRET": app.ClientSecret,
		"CONTIO_ACCESS_TOKEN": tok.AccessToken, "XDG_CACHE_HOME": t.TempDir()}

	skippedForQuota := false
	for run := 1; run <= 6; run++ {
		// CD6503 compares the sandbox clock with the tests' fixed one.
		got := runCLI(t, vars, "--config", path, "--format", "json", "--skip", "CD6503")
		doc := decodeProblems(t, got.stdout)
		if got.code != 0 || len(doc.Problems) != 0 {
			t.Fatalf("run %d: exit %d, problems %+v\n%s", run, got.code, doc.Problems, got.stderr)
		}
		for _, r := range doc.Results {
			if slices.Contains([]string{"fail", "error"}, r.Status) {
				t.Fatalf("run %d: %s %s %s", run, r.Check, r.Status, r.Error)
			}
		}
		if strings.Contains(got.stdout, "left until") {
			skippedForQuota = true
		}
	}
	if !skippedForQuota {
		t.Error("six runs in a minute never left the quota's reserve alone")
	}
}
