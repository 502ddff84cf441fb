package checks

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// Fixtures for the CD1xxx table tests. The secrets are canaries: no
// finding may ever contain one.
const (
	credID     = "ctp_Q2xpZW50SWRFeGFtcGxl"
	credSecret = "CANARYsecretVa1ueThatMustNeverBePrinted0000"
	credAPIKey = "cak_CANARYapiKeyThatMustNeverBePrinted00000"
	credHook   = "whsec_CANARYhookThatMustNeverBePrinted0000"
)

// credVal is a value set from ${name} at a fixed position.
func credVal(raw, envVar string, line int) integration.Value {
	return integration.Value{Raw: raw, Set: true, From: integration.Source{File: "contio-doctor.yaml", Line: line, Column: 3, EnvVar: envVar}}
}

func credBasic(pair string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(pair)) }

// credIG is a healthy integration; tests break one thing at a time.
func credIG() *integration.Integration {
	return &integration.Integration{
		ConfigPath: "contio-doctor.yaml",
		ConfigMode: 0o600,
		OAuth: integration.OAuth{
			ClientID:        credVal(credID, "CONTIO_CLIENT_ID", 4),
			ClientSecret:    credVal(credSecret, "CONTIO_CLIENT_SECRET", 5),
			BasicAuthHeader: credVal(credBasic(credID+":"+credSecret), "CONTIO_BASIC_AUTH", 6),
		},
		Tokens: integration.Tokens{
			AccessToken:  credVal("cto_at_v1_CANARYaccessTokenNeverPrinted000000", "CONTIO_ACCESS_TOKEN", 8),
			RefreshToken: credVal("cto_rt_v1_CANARYrefreshTokenNeverPrinted00000", "CONTIO_REFRESH_TOKEN", 9),
		},
		Admin: integration.Admin{
			APIKey:   credVal(credAPIKey, "CONTIO_API_KEY", 11),
			ClientID: credVal(credID, "CONTIO_CLIENT_ID", 12),
		},
		Calls: []integration.Call{
			{Name: credVal("app", "", 14), Method: credVal("GET", "", 15), Path: credVal("/v1/partner/admin/app", "", 16), Auth: credVal("api_key", "", 17)},
		},
		Webhooks: integration.Webhooks{
			URL:    credVal("https://app.example.com/webhooks", "", 19),
			Secret: credVal(credHook, "CONTIO_WEBHOOK_SECRET", 20),
		},
	}
}

// credRun runs one registered check on ig and fails the test on an error
// or on any finding that leaks a secret of ig.
func credRun(t *testing.T, id string, ig *integration.Integration) ([]Finding, error) {
	t.Helper()
	c, ok := Lookup(id)
	if !ok {
		t.Fatalf("%s is not registered", id)
	}
	fs, err := c.Run(context.Background(), &Input{Integration: ig})
	for _, f := range fs {
		text := f.Message + "\n" + f.Evidence + "\n" + strings.Join(f.Commands, "\n")
		for _, s := range ig.Secrets() {
			for _, form := range []string{s.Value.Raw, strings.TrimSpace(s.Value.Raw), strings.Trim(s.Value.Raw, "\"'")} {
				if len(form) >= 8 && strings.Contains(text, form) {
					t.Errorf("%s finding leaks %s: %q", id, s.Name, text)
				}
			}
		}
	}
	return fs, err
}

// credMessages runs the check and returns its finding messages.
func credMessages(t *testing.T, id string, ig *integration.Integration) []string {
	t.Helper()
	fs, err := credRun(t, id, ig)
	if err != nil {
		t.Fatalf("%s: unexpected error %v", id, err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, f.Message)
	}
	return out
}

// assertMessages checks that the findings are exactly one per wanted
// substring, in order.
func assertMessages(t *testing.T, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d findings %q, want %d containing %q", len(got), got, len(want), want)
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Errorf("finding %d = %q, want it to contain %q", i, got[i], want[i])
		}
	}
}

func TestCredentialChecksPassOnAHealthyIntegration(t *testing.T) {
	for _, id := range []string{"CD1001", "CD1002", "CD1003", "CD1004", "CD1005", "CD1006", "CD1007", "CD1101", "CD1102", "CD1103", "CD1104", "CD1105"} {
		if got := credMessages(t, id, credIG()); len(got) > 0 {
			t.Errorf("%s fails on a healthy integration: %q", id, got)
		}
	}
}
