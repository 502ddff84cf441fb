package checks

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// Helpers for the CD2/CD5/CD6/CD7 table tests.

const famCallback = "https://app.example.com/oauth/callback"

// famCanary is a webhook secret that must never appear in a finding.
const famCanary = "whsec_CANARYcanary0123456789abcdefXYZ"

func famVal(raw string, line int) integration.Value {
	return integration.Value{Raw: raw, Set: true, From: integration.Source{File: "contio-doctor.yaml", Line: line, Column: 3}}
}

// famIG is a healthy integration: every check of the families passes on it.
func famIG() *integration.Integration {
	return &integration.Integration{
		APIURL:  famVal("https://api.contio.ai", 2),
		AuthURL: famVal("https://auth.contio.ai", 3),
		OAuth: integration.OAuth{
			ClientID:               famVal("ctp_8jIkkDqWIkynui0CTL0WzOPn", 5),
			ClientSecret:           famVal("mONrhIZ8SYcWOluT4Cp8Q06Xd33rSBurMDPOpzx8KGHXf0e4", 6),
			RedirectURI:            famVal(famCallback, 7),
			TokenRedirectURI:       famVal(famCallback, 8),
			RegisteredRedirectURIs: []integration.Value{famVal(famCallback, 9)},
		},
		Admin: integration.Admin{APIKey: famVal("cak_HSvD5SFoR0MMg0PF4LtPzFtPIs27IDVReY1m9bcd", 12)},
		HTTP: integration.HTTP{
			Timeout: 30 * time.Second, TimeoutSet: true, TimeoutFrom: integration.Source{File: "contio-doctor.yaml", Line: 20},
			MaxRetries: 3, MaxRetriesSet: true, MaxRetriesFrom: integration.Source{File: "contio-doctor.yaml", Line: 21},
			Backoff:          famVal("exponential", 22),
			HonorsRetryAfter: true, HonorsRetrySet: true, HonorsRetryFrom: integration.Source{File: "contio-doctor.yaml", Line: 23},
			RetryStatuses: []int{429, 500, 502, 503, 504}, RetryStatusSet: true, RetryStatusFrom: integration.Source{File: "contio-doctor.yaml", Line: 24},
		},
		Webhooks: integration.Webhooks{URL: famVal("https://app.example.com/webhooks", 30), Secret: famVal(famCanary, 31)},
		Env:      map[string]string{},
	}
}

func famRun(t *testing.T, id string, ig *integration.Integration) ([]Finding, error) {
	t.Helper()
	c, ok := Lookup(id)
	if !ok {
		t.Fatalf("check %s is not registered", id)
	}
	fs, err := c.Run(context.Background(), &Input{Integration: ig, Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	for _, f := range fs {
		for _, s := range []string{f.Message, f.Evidence, f.Fix, f.Symptom, f.Cause} {
			if strings.Contains(s, famCanary) || strings.Contains(s, ig.OAuth.ClientSecret.Raw) && ig.OAuth.ClientSecret.Raw != "" {
				t.Fatalf("%s finding shows a secret: %q", id, s)
			}
		}
	}
	return fs, err
}

// famExpect runs check id and requires one finding per want, each message
// containing its want, in order.
func famExpect(t *testing.T, id string, ig *integration.Integration, want ...string) []Finding {
	t.Helper()
	fs, err := famRun(t, id, ig)
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.Message)
	}
	if len(got) != len(want) {
		t.Fatalf("%s: got %d findings %q, want %d containing %q", id, len(got), got, len(want), want)
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Errorf("%s: finding %d = %q, want it to contain %q", id, i, got[i], want[i])
		}
	}
	return fs
}

func TestFamiliesPassOnAHealthyIntegration(t *testing.T) {
	for _, c := range All() {
		if !strings.HasPrefix(c.ID, "CD2") && !strings.HasPrefix(c.ID, "CD5") && !strings.HasPrefix(c.ID, "CD6") && !strings.HasPrefix(c.ID, "CD7") {
			continue
		}
		if c.Needs&NeedsNetwork != 0 {
			continue
		}
		fs, err := famRun(t, c.ID, famIG())
		if _, skip := IsSkip(err); err != nil && !skip {
			t.Errorf("%s: %v", c.ID, err)
		}
		if len(fs) > 0 {
			t.Errorf("%s (%s) fails on a healthy integration: %s", c.ID, c.Name, fs[0].Message)
		}
	}
}
