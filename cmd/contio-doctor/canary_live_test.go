package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/report"
	"github.com/Contio-AI/contio-doctor/sandbox"
)

// TestCanaryLiveFailurePaths: the live probes' failure paths — network
// errors, 401s that quote the request, -v transcripts of requests that
// carried every credential — print no canary in any form, in any format.
func TestCanaryLiveFailurePaths(t *testing.T) {
	sb := sandbox.NewTest(t, sandbox.Options{Limits: sandbox.Limits{Off: true}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there: every probe fails with "connection refused"

	for name, base := range map[string]string{
		"sandbox rejects every credential": sb.URL(),
		"host refuses connections":         closed,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := strings.NewReplacer("https://api.contio.ai", base, "https://auth.contio.ai", base).Replace(canaryConfig)
			cfg = strings.Replace(cfg, "  - name: app settings", "  - name: profile\n    method: GET\n    path: /v1/partner/user/profile\n    auth: bearer\n  - name: app settings", 1)
			if err := os.WriteFile(filepath.Join(dir, "contio-doctor.yaml"), []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
			env := "CONTIO_CLIENT_ID=" + canaryClientID + "\nCONTIO_CLIENT_SECRET=" + canaryClientSecret +
				"\nCONTIO_BASIC_AUTH=" + basic(canaryClientID, canaryClientSecret) +
				"\nCONTIO_ACCESS_TOKEN=" + canaryAccessToken + "\nCONTIO_REFRESH_TOKEN=" + canaryRefreshToken +
				"\nCONTIO_API_KEY=" + canaryAPIKey + "\n"
			if err := os.WriteFile(filepath.Join(dir, ".env"), []byte(env), 0o600); err != nil {
				t.Fatal(err)
			}
			probed := false
			for _, format := range report.FormatNames() {
				got := runCLI(t, nil, "--config", filepath.Join(dir, "contio-doctor.yaml"), "--format", format, "-v", "--timeout", "5s")
				if got.code != 1 {
					t.Errorf("%s: exit %d, want 1 (the credentials are rejected or the host is down)\n%s", format, got.code, got.stderr)
				}
				assertNoCanary(t, name+" --format "+format+" stdout", got.stdout)
				assertNoCanary(t, name+" --format "+format+" stderr", got.stderr)
				if format == "text" {
					probed = strings.Contains(got.stdout, "Probe exchanges") && strings.Contains(got.stdout, "> POST ")
				}
			}
			if !probed {
				t.Error("the text report shows no probe exchange: the test did not exercise the live path")
			}
		})
	}
}
