package proxy

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/sandbox"
)

var update = flag.Bool("update", false, "re-record testdata/har/sdk-*.har from the SDK sessions")

const nodeDir = "../../testdata/node"

// sdkScenarios are the mistakes testdata/node/proxy-scenarios.mjs makes
// through the official SDK, and what the proxy must diagnose: exactly
// these checks fail, all under the one guide entry (none for healthy).
// Retries are judged by when the 429 answers arrived, not by when requests
// started, so the calls a burst sends at once are not retries. A call of
// the burst that the client (or a loaded machine) only starts after a 429
// came back is indistinguishable from a retry, though: CD5402, under the
// same guide entry, may then fail too (timing), and is tolerated there.
var sdkScenarios = []struct {
	name      string
	limits    sandbox.Limits
	guide     contio.GuideKey
	want      []string
	tolerated []string
}{
	{name: "healthy"},
	{name: "admin-missing-client-id", guide: contio.GuideMissingClientID, want: []string{"CD4201", "CD4202", "CD4451"}},
	{name: "code-reused", guide: contio.GuideInvalidGrant, want: []string{"CD2402", "CD2450"}},
	{name: "burst-retries", limits: sandbox.Limits{User: 5, Window: time.Second}, guide: contio.GuideRateLimitExceeded, want: []string{"CD5450"}, tolerated: []string{"CD5402"}},
	{name: "burst-no-retries", limits: sandbox.Limits{User: 5, Window: time.Second}, guide: contio.GuideRateLimitExceeded, want: []string{"CD5450"}, tolerated: []string{"CD5402"}},
}

// node finds node and the installed SDK; without them the test skips,
// except in CI, where the SDK test must run.
func node(t *testing.T) string {
	t.Helper()
	need := func(msg string) {
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI must run the SDK test; .ci/run installs it)")
		}
		t.Skip(msg)
	}
	bin, err := exec.LookPath("node")
	if err != nil {
		need("node is not installed: the official-SDK proxy test needs it")
	}
	if _, err := os.Stat(filepath.Join(nodeDir, "node_modules", "@contio", "partner-sdk", "package.json")); err != nil {
		need("the official SDK is not installed: run npm ci --prefix testdata/node")
	}
	return bin
}

// The official Node SDK, pointed at the proxy, talks to the sandbox; the
// mistakes it is made to make are diagnosed under the right guide entry.
func TestSDKThroughProxy(t *testing.T) {
	bin := node(t)
	for _, sc := range sdkScenarios {
		t.Run(sc.name, func(t *testing.T) {
			sb := sandbox.New(sandbox.Options{Seed: 11, Limits: sc.limits})
			// An https callback on the app's own host, as a production app
			// registers: the sandbox's localhost default is a finding of its own.
			if err := sb.UpdateApp(sb.DefaultApp().ClientID, func(a *sandbox.App) { a.RedirectURIs = []string{"https://app.example.com/callback"} }); err != nil {
				t.Fatal(err)
			}
			up, stop, err := sb.Start()
			if err != nil {
				t.Fatal(err)
			}
			defer stop()
			upURL, _ := url.Parse(up)
			var announced syncBuffer
			s, err := NewSession(SessionOptions{Proxy: Options{Upstream: upURL}, Announce: &announced, FailOn: diagnosis.SeverityError, RunID: "sdk"})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(s.Handler())
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			s.Start(ctx)

			app, user := sb.DefaultApp(), sb.DefaultUser()
			cmd := exec.CommandContext(ctx, bin, "proxy-scenarios.mjs", sc.name)
			cmd.Dir = nodeDir
			cmd.Env = append(os.Environ(), "PROXY_URL="+srv.URL, "SANDBOX_URL="+up,
				"CLIENT_ID="+app.ClientID, "CLIENT_SECRET="+app.ClientSecret, "API_KEY="+app.APIKey,
				"REDIRECT_URI="+app.RedirectURIs[0], "USER_EMAIL="+user.Email)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("node %s: %v\n%s", sc.name, err, out)
			}
			srv.Close() // waits for the handlers: every exchange is recorded
			rep, err := s.Close(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var failing []string
			for _, r := range rep.Results {
				if r.Status != diagnosis.StatusFail {
					continue
				}
				failing = append(failing, r.Check.ID)
				if r.Check.Guide != sc.guide {
					t.Errorf("%s failed under guide entry %q, want only %q: %v", r.Check.ID, r.Check.Guide, sc.guide, r.Findings)
				}
			}
			diagnosed := slices.DeleteFunc(slices.Clone(failing), func(id string) bool { return slices.Contains(sc.tolerated, id) })
			if !slices.Equal(diagnosed, sc.want) {
				t.Errorf("failing checks %v, want %v\nannounced:\n%s\nnode:\n%s", failing, sc.want, announced.String(), out)
			}
			for _, id := range sc.want {
				if !strings.Contains(announced.String(), id+" ") {
					t.Errorf("%s was never announced while traffic passed:\n%s", id, announced.String())
				}
			}
			for _, secret := range []string{app.ClientSecret, app.APIKey} {
				if strings.Contains(announced.String(), secret) {
					t.Error("a secret reached the announcements")
				}
			}
			if *update {
				record(t, s, sc.name, failing)
			}
		})
	}
}

// record writes the session as testdata/har/sdk-NAME.har with its .want,
// so `contio-doctor har` is tested on SDK traffic too. The sandbox's
// credentials are fakes, so the fixture keeps them (the har checks read
// Basic headers and tokens as the app sent them).
func record(t *testing.T, s *Session, name string, failing []string) {
	t.Helper()
	base := filepath.Join("..", "..", "testdata", "har", "sdk-"+name)
	f, err := os.Create(base + ".har")
	if err != nil {
		t.Fatal(err)
	}
	werr := s.writeRawHAR(f)
	if err := errors.Join(werr, f.Close()); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("# Recorded by internal/proxy TestSDKThroughProxy -update: the official SDK (%s)\n# through contio-doctor proxy against the sandbox.\n",
		"testdata/node/proxy-scenarios.mjs "+name)
	want += "# want: " + strings.Join(failing, " ") + "\n"
	if err := os.WriteFile(base+".want", []byte(want), 0o644); err != nil {
		t.Fatal(err)
	}
}
