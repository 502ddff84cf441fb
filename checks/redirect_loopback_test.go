package checks_test

import (
	"context"
	"testing"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
	"github.com/Contio-AI/contio-doctor/sandbox"
)

// The offline check (CD2001) and the live probe (CD2501, against the
// sandbox, which matches exactly as Contio documents) give the same verdict
// on a loopback redirect URI: another port fails both, the registered port
// passes both.
func TestLoopbackRedirectVerdictsAgree(t *testing.T) {
	const registered = "http://127.0.0.1/oauth/callback"
	cases := []struct {
		name, sent string
		fails      bool
	}{
		{"another port", "http://127.0.0.1:8976/oauth/callback", true},
		{"ipv6 another port", "http://[::1]:8976/oauth/callback", true},
		{"the registered URI", registered, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newLiveWorld(t, sandbox.Options{})
			reg := registered
			if tc.sent[7] == '[' {
				reg = "http://[::1]/oauth/callback"
			}
			if err := w.sb.UpdateApp(w.app.ClientID, func(a *sandbox.App) { a.RedirectURIs = []string{reg} }); err != nil {
				t.Fatal(err)
			}
			w.ig.OAuth.RedirectURI = val(tc.sent)
			w.ig.OAuth.RegisteredRedirectURIs = []integration.Value{val(reg)}

			offline, _ := diagnosis.Lookup("CD2001")
			off := diagnosis.RunChecks(context.Background(), []*diagnosis.Check{offline}, &diagnosis.Input{Integration: w.ig, Now: w.sb.Now()},
				diagnosis.RunnerOptions{})
			live := w.run(t, probe.Options{})
			if got := off[0].Status == diagnosis.StatusFail; got != tc.fails {
				t.Errorf("offline CD2001 status %s, want fail=%v", off[0].Status, tc.fails)
			}
			if got := live["CD2501"].Status == diagnosis.StatusFail; got != tc.fails {
				t.Errorf("live CD2501 status %s (%+v), want fail=%v", live["CD2501"].Status, live["CD2501"].Findings, tc.fails)
			}
		})
	}
}
