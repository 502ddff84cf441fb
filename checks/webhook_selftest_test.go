package checks_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/Contio-AI/contio-doctor/diagnosis"

	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
	"github.com/Contio-AI/contio-doctor/webhook"
)

const webhookCanary = "whsec_CHECKS_canary_4411"

func webhookChecks(t *testing.T) []*diagnosis.Check {
	t.Helper()
	list, err := diagnosis.Select(checks.All(), []string{"CD7510", "CD7511", "CD7512", "CD7513", "CD7514", "CD7515"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func runWebhookChecks(t *testing.T, h http.Handler, probeOptIn bool) (map[string]diagnosis.Result, int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	src := integration.Source{File: "contio-doctor.yaml", Line: 30, Column: 8}
	ig := &integration.Integration{Webhooks: integration.Webhooks{
		URL:    integration.Value{Raw: srv.URL + "/webhooks", Set: true, From: src},
		Secret: integration.Value{Raw: webhookCanary, Set: true},
		Probe:  probeOptIn,
	}}
	in := &diagnosis.Input{Integration: ig, Probe: probe.New(probe.Options{})}
	out := map[string]diagnosis.Result{}
	for _, r := range diagnosis.RunChecks(context.Background(), webhookChecks(t), in, diagnosis.RunnerOptions{}) {
		out[r.Check.ID] = r
	}
	return out, hits.Load()
}

func verifyingReceiver(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	if err := webhook.Verify(webhookCanary, raw, r.Header.Get(webhook.Header)); err != nil {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func TestWebhookSelfTestChecks(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		want    map[string]diagnosis.Status
		message map[string]string
	}{
		{"verifying receiver", verifyingReceiver, map[string]diagnosis.Status{
			"CD7510": diagnosis.StatusPass, "CD7511": diagnosis.StatusPass, "CD7512": diagnosis.StatusPass,
			"CD7513": diagnosis.StatusPass, "CD7514": diagnosis.StatusPass, "CD7515": diagnosis.StatusPass}, nil},
		{"receiver that accepts anything", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }, map[string]diagnosis.Status{
			"CD7510": diagnosis.StatusPass, "CD7511": diagnosis.StatusPass, "CD7512": diagnosis.StatusFail,
			"CD7513": diagnosis.StatusFail, "CD7514": diagnosis.StatusPass, "CD7515": diagnosis.StatusPass},
			map[string]string{"CD7512": "does not verify signatures", "CD7513": "signed with the wrong secret"}},
		{"redirecting receiver", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://app.example.com/webhooks/", http.StatusMovedPermanently)
		}, map[string]diagnosis.Status{
			"CD7510": diagnosis.StatusSkip, "CD7511": diagnosis.StatusSkip, "CD7512": diagnosis.StatusSkip,
			"CD7513": diagnosis.StatusSkip, "CD7514": diagnosis.StatusSkip, "CD7515": diagnosis.StatusFail},
			map[string]string{"CD7515": "redirecting to https://app.example.com/webhooks/"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, hits := runWebhookChecks(t, c.handler, true)
			if hits != 5 {
				t.Errorf("receiver got %d deliveries; the six checks must share one self-test of 5", hits)
			}
			for id, want := range c.want {
				r := res[id]
				if r.Status != want {
					t.Errorf("%s: %s (%s %s), want %s", id, r.Status, r.SkipReason, r.Err, want)
				}
				if msg := c.message[id]; msg != "" {
					if len(r.Findings) == 0 || !strings.Contains(r.Findings[0].Message, msg) {
						t.Errorf("%s: findings %+v, want %q", id, r.Findings, msg)
						continue
					}
					f := r.Findings[0]
					if f.Location.Line != 30 || strings.Contains(f.Evidence, webhookCanary) || !strings.Contains(f.Evidence, "received:") {
						t.Errorf("%s: location %v, evidence:\n%s", id, f.Location, f.Evidence)
					}
				}
			}
		})
	}
}

func TestWebhookSelfTestNeedsOptIn(t *testing.T) {
	res, hits := runWebhookChecks(t, http.HandlerFunc(verifyingReceiver), false)
	if hits != 0 {
		t.Fatalf("%d deliveries sent without webhooks.probe or --probe-webhook", hits)
	}
	for id, r := range res {
		if r.Status != diagnosis.StatusSkip || r.Enable == "" {
			t.Errorf("%s: %s, want a skip that says how to enable it", id, r.Status)
		}
	}
}
