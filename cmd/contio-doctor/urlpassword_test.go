package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/report"
	"github.com/Contio-AI/contio-doctor/sandbox"
)

// urlPasswordCanary is a password written into api_url and auth_url.
const urlPasswordCanary = "pwCanary7Q"

// TestURLPasswordMaskedEverywhere: `api_url: https://u:pw@host` never shows
// its password: not in any format, not in the step summary, not in -v
// transcripts of a live run, and not when the password is only 2 bytes.
func TestURLPasswordMaskedEverywhere(t *testing.T) {
	sb := sandbox.NewTest(t, sandbox.Options{Limits: sandbox.Limits{Off: true}})
	for name, tc := range map[string]struct {
		base     string
		password string
		live     bool
	}{
		"offline, production host": {"https://u:" + urlPasswordCanary + "@api.contio.ai", urlPasswordCanary, false},
		"short password":           {"https://u:pw@api.contio.ai", "u:pw", false},
		"live against the sandbox": {strings.Replace(sb.URL(), "http://", "http://u:"+urlPasswordCanary+"@", 1), urlPasswordCanary, true},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := "version: 1\napi_url: " + tc.base + "\nauth_url: " + tc.base + "\noauth:\n  client_id: ctp_urlpw\n  client_secret: ${SECRET}\n" +
				"  redirect_uri: https://partner.test/cb\n  registered_redirect_uris: [https://partner.test/cb]\n  scopes: [openid]\n"
			path := filepath.Join(dir, "contio-doctor.yaml")
			if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
			summary := filepath.Join(dir, "summary.md")
			vars := map[string]string{"SECRET": "urlpw-client-secret", "GITHUB_STEP_SUMMARY": summary, "GITHUB_ACTIONS": "true"}
			for _, format := range report.FormatNames() {
				a := []string{"--config", path, "--format", format, "-v", "--timeout", "5s", "--fail-on", "never"}
				if !tc.live {
					a = append(a, "--offline")
				}
				got := runCLI(t, vars, a...)
				if got.code != 0 {
					t.Fatalf("%s: exit %d\n%s", format, got.code, got.stderr)
				}
				for what, out := range map[string]string{"stdout": got.stdout, "stderr": got.stderr} {
					if strings.Contains(out, tc.password) {
						t.Errorf("--format %s %s shows the URL password:\n%s", format, what, out)
					}
				}
				if tc.live && format == "text" && !strings.Contains(got.stdout, "Probe exchanges") {
					t.Error("no probe exchange in the live -v report: the transcript path was not exercised")
				}
			}
			data, err := os.ReadFile(summary)
			if err != nil || len(data) == 0 {
				t.Fatalf("no step summary: %v", err)
			}
			if strings.Contains(string(data), tc.password) {
				t.Error("the step summary shows the URL password")
			}
		})
	}
}
