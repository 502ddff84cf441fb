package checks_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/probe"
	"github.com/Contio-AI/contio-doctor/sandbox"
)

// runProblems runs the whole catalogue, offline and live, against w and
// folds the results into problems as a report does.
func (w *liveWorld) runProblems(t *testing.T) *diagnosis.Report {
	t.Helper()
	w.ig.Webhooks.Secret = val(w.app.WebhookSecret)
	rep, err := diagnosis.Run(context.Background(), w.ig, diagnosis.Options{
		Timeout: 5 * time.Second, FailOn: diagnosis.SeverityError,
		Probe: probe.New(probe.Options{Clock: w.sb.Now, Timeout: 2 * time.Second}),
		Clock: w.sb.Now, RunID: "t",
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func describeProblems(rep *diagnosis.Report) string {
	var b strings.Builder
	for _, p := range rep.Problems {
		fmt.Fprintf(&b, "  %s %s %s %v blocked %v: %s\n", p.ID, p.Guide, p.Severity, p.Checks, p.Blocked, p.Message)
	}
	for _, r := range rep.Results {
		if r.Status == diagnosis.StatusError {
			fmt.Fprintf(&b, "  error %s: %s\n", r.Check.ID, r.Err)
		}
	}
	return b.String()
}

func TestLiveHealthyHasNoProblems(t *testing.T) {
	w := newLiveWorld(t, sandbox.Options{})
	rep := w.runProblems(t)
	if len(rep.Problems) != 0 || rep.Counts().Error != 0 {
		t.Fatalf("healthy sandbox integration:\n%s", describeProblems(rep))
	}
}

// TestLiveFaultsAreOneProblemEach: every fault seeded in the sandbox is
// one problem under its own guide entry, and nothing appears under an
// unrelated one; no check is left "could not decide".
func TestLiveFaultsAreOneProblemEach(t *testing.T) {
	cases := []struct {
		name  string
		seed  func(t *testing.T, w *liveWorld)
		guide contio.GuideKey
		// sev is the problem's severity; root, when set, its root kind.
		sev  diagnosis.Severity
		root string
	}{
		{"quota exhausted", func(t *testing.T, w *liveWorld) {
			w.sb.SetLimits(sandbox.Limits{OAuth: 1, User: 100, Admin: 50})
		}, contio.GuideRateLimitExceeded, diagnosis.SeverityWarning, "rate_limit"},
		{"5xx on the admin API", func(t *testing.T, w *liveWorld) {
			addFault(t, w, sandbox.FaultRule{Path: "/v1/partner/admin/*", Kind: sandbox.FaultStatus, Status: 503})
		}, contio.GuideNetworkError, diagnosis.SeverityError, "server_error"},
		{"reset on the profile call", func(t *testing.T, w *liveWorld) {
			addFault(t, w, sandbox.FaultRule{Path: "/v1/partner/user/profile", Kind: sandbox.FaultReset})
		}, contio.GuideNetworkError, diagnosis.SeverityError, "network_endpoint"},
		{"hang on introspection", func(t *testing.T, w *liveWorld) {
			addFault(t, w, sandbox.FaultRule{Path: "/oauth2/introspect", Kind: sandbox.FaultHang})
		}, contio.GuideNetworkError, diagnosis.SeverityError, "network_endpoint"},
		{"deactivated app", func(t *testing.T, w *liveWorld) {
			if err := w.sb.SetAppActive(w.app.ClientID, false); err != nil {
				t.Fatal(err)
			}
		}, contio.GuideInvalidClient, diagnosis.SeverityError, "client_rejected"},
		{"client_id and secret swapped", func(t *testing.T, w *liveWorld) {
			w.ig.OAuth.ClientID, w.ig.OAuth.ClientSecret = val(w.app.ClientSecret), val(w.app.ClientID)
			w.ig.Admin.ClientID = val(w.app.ClientSecret)
		}, contio.GuideInvalidClient, diagnosis.SeverityError, "client_rejected"},
		{"revoked token", func(t *testing.T, w *liveWorld) {
			w.sb.RevokeToken(w.tok.AccessToken)
		}, contio.GuideInvalidGrant, diagnosis.SeverityError, "token_inactive"},
		{"partial consent", func(t *testing.T, w *liveWorld) {
			tok, err := w.sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"openid", "profile", "meetings:read"}})
			if err != nil {
				t.Fatal(err)
			}
			w.ig.Tokens.AccessToken = val(tok.AccessToken)
		}, contio.GuidePartialScope, diagnosis.SeverityWarning, "token_partial_scope"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newLiveWorld(t, sandbox.Options{})
			c.seed(t, w)
			rep := w.runProblems(t)
			if len(rep.Problems) != 1 || rep.Counts().Error != 0 {
				t.Fatalf("want one problem under %s, got:\n%s", c.guide, describeProblems(rep))
			}
			p := rep.Problems[0]
			if p.Guide != c.guide || p.Severity != c.sev || p.Root.Kind != c.root {
				t.Errorf("problem %s %s root %s, want %s %s root %s:\n%s", p.Guide, p.Severity, p.Root, c.guide, c.sev, c.root, describeProblems(rep))
			}
		})
	}
}

func addFault(t *testing.T, w *liveWorld, f sandbox.FaultRule) {
	t.Helper()
	if _, err := w.sb.AddFault(f); err != nil {
		t.Fatal(err)
	}
}

// TestLiveTransportMistakesAreNamed: HTTPS spoken to a plain-HTTP port,
// and a 200 whose body is not JSON, are each named as such.
func TestLiveTransportMistakesAreNamed(t *testing.T) {
	t.Run("https to a plain-HTTP port", func(t *testing.T) {
		w := newLiveWorld(t, sandbox.Options{})
		tlsURL := "https://" + strings.TrimPrefix(w.sb.URL(), "http://")
		w.ig.APIURL, w.ig.AuthURL = val(tlsURL), val(tlsURL)
		rep := w.runProblems(t)
		if len(rep.Problems) != 1 || rep.Counts().Error != 0 {
			t.Fatalf("want one problem:\n%s", describeProblems(rep))
		}
		p := rep.Problems[0]
		if p.Guide != contio.GuideNetworkError || !strings.Contains(p.Message, "speaks plain HTTP, but the URL says https") {
			t.Errorf("problem %s %q", p.Guide, p.Message)
		}
	})
	t.Run("a 200 that is not JSON", func(t *testing.T) {
		w := newLiveWorld(t, sandbox.Options{})
		addFault(t, w, sandbox.FaultRule{Path: "/v1/partner/user/profile", Kind: sandbox.FaultMalformed})
		rep := w.runProblems(t)
		if len(rep.Problems) != 1 || rep.Counts().Error != 0 {
			t.Fatalf("want one problem:\n%s", describeProblems(rep))
		}
		if p := rep.Problems[0]; !strings.Contains(p.Message, "not JSON") {
			t.Errorf("problem %s %q", p.Guide, p.Message)
		}
	})
}
