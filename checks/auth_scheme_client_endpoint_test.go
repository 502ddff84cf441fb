package checks

import (
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// authCases runs one auth-scheme check over calls, each expected to give
// the listed findings.
func authCases(t *testing.T, id string, cases []struct {
	name string
	call integration.Call
	want []string
}) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got := runByID(t, id, &integration.Integration{Calls: []integration.Call{tt.call}})
			expectFindings(t, tt.name, got, tt.want...)
		})
	}
}

func TestClientAuthEndpointWithoutBasic(t *testing.T) {
	authCases(t, "CD4101", []struct {
		name string
		call integration.Call
		want []string
	}{
		{"bearer on token", testCall("exchange", "POST", "/oauth2/token", "bearer"), []string{"calls[0] (exchange) POST /oauth2/token sends a Bearer token|HTTP Basic"}},
		{"bearer on introspect", testCall("i", "POST", "/oauth2/introspect", "bearer"), []string{"/oauth2/introspect authenticates the client"}},
		{"api key on revoke", testCall("r", "POST", "/oauth2/revoke", "api_key"), []string{"sends the admin API key"}},
		{"bearer on initiate", testCall("o", "POST", "/auth/initiate", "bearer"), []string{"Bearer"}},
		{"basic on token", testCall("ok", "POST", "/oauth2/token", "basic"), nil},
		{"form credentials on token", testCall("ok", "POST", "/oauth2/token", "none"), nil},
		{"bearer on userInfo", testCall("ok", "GET", "/oauth2/userInfo", "bearer"), nil},
	})
	// The fix shows the right request.
	got := runByID(t, "CD4101", &integration.Integration{Calls: []integration.Call{testCall("x", "POST", "/oauth2/token", "bearer")}})
	if !strings.Contains(got[0].Commands[0], `-u "$CONTIO_CLIENT_ID:$CONTIO_CLIENT_SECRET"`) {
		t.Errorf("fix command %q lacks Basic credentials", got[0].Commands)
	}
}
