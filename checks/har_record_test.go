package checks_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

// browserScenarios are the captures Chromium records through the
// sandbox's sign-in pages (testdata/har/chromium-<name>.har); each has a
// .want of what it must diagnose, checked with every other capture by
// TestCapturesFailExactlyTheWantedChecks.
var browserScenarios = []string{
	"healthy", "redirect-uri-not-registered", "client-id-typo", "otp-wrong-then-right",
	"otp-expired", "session-expired-before-consent", "scope-unticked",
}

// TestRecordBrowserCaptures re-records the Chromium captures when asked
// (CONTIO_RECORD_HAR=1): Playwright (testdata/node, `npm ci --prefix
// testdata/node`) drives Debian's Chromium through the sandbox's browser
// sign-in with recordHar, against a partner callback on its own loopback
// port. Without the variable it only checks the fixtures are there.
func TestRecordBrowserCaptures(t *testing.T) {
	dir := filepath.Join(testdataDir, "har")
	if os.Getenv("CONTIO_RECORD_HAR") == "" {
		for _, name := range browserScenarios {
			for _, ext := range []string{".har", ".want"} {
				if _, err := os.Stat(filepath.Join(dir, "chromium-"+name+ext)); err != nil {
					t.Errorf("missing fixture: %v (record with CONTIO_RECORD_HAR=1 go test ./checks -run TestRecordBrowserCaptures)", err)
				}
			}
		}
		return
	}
	chromium := os.Getenv("CONTIO_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("recording needs node: " + err.Error())
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("recording needs Chromium (apt-get install -y chromium): %v", err)
	}
	root, _ := filepath.Abs(filepath.Join(testdataDir, ".."))
	if _, err := os.Stat(filepath.Join(root, "testdata/node/node_modules/playwright-core")); err != nil {
		t.Fatalf("recording needs playwright-core (npm ci --prefix testdata/node): %v", err)
	}
	callback := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!doctype html><html lang="en"><title>Partner app</title><h1 id="connected">Connected</h1></html>`))
	}))
	defer callback.Close()
	sb := sandbox.NewTest(t, sandbox.Options{Seed: 12, Limits: sandbox.Limits{Off: true}})
	app := sb.AddApp(sandbox.App{Name: "Acme Notes", RedirectURIs: []string{callback.URL + "/callback"}})
	out, _ := filepath.Abs(dir)
	cfg, _ := json.Marshal(map[string]any{
		"sandbox": sb.URL(), "clientId": app.ClientID, "redirectUri": app.RedirectURIs[0],
		"outDir": out, "chromium": chromium, "scenarios": browserScenarios,
	})
	cfgPath := filepath.Join(t.TempDir(), "record.json")
	if err := os.WriteFile(cfgPath, cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join(root, "testdata/har/record/record.mjs"), cfgPath)
	cmd.Dir = root
	outb, err := cmd.CombinedOutput()
	t.Logf("%s", outb)
	if err != nil {
		t.Fatalf("record: %v", err)
	}
}
