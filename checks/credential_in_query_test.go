package checks

import (
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestCredentialInQueryString(t *testing.T) {
	const canary = "cto_at_v1_CANARYcanaryCANARY"
	authCases(t, "CD4105", []struct {
		name string
		call integration.Call
		want []string
	}{
		{"access token", testCall("m", "GET", "/v1/partner/user/meetings?limit=1&access_token="+canary, "bearer"), []string{`query parameter "access_token"|an access token`}},
		{"api key", testCall("a", "GET", "/v1/partner/admin/app?api_key=x", "api_key"), []string{"the API key"}},
		{"client secret", testCall("t", "POST", "/oauth2/token?client_secret=x&client_id=y", "none"), []string{"the client secret"}},
		{"escaped name", testCall("m", "GET", "/v1/partner/user/meetings?Access%5Ftoken=x", "bearer"), []string{"an access token"}},
		{"several", testCall("m", "GET", "/v1/partner/user/meetings?access_token=a&api_key=b", "bearer"), []string{"access token", "API key"}},
		{"harmless query", testCall("ok", "GET", "/v1/partner/user/meetings?limit=10&offset=0", "bearer"), nil},
		{"token hint is not a token", testCall("ok", "POST", "/oauth2/revoke?token_type_hint=access_token", "basic"), nil},
	})
	got := runByID(t, "CD4105", &integration.Integration{Calls: []integration.Call{testCall("m", "GET", "/v1/partner/user/meetings?access_token="+canary, "bearer")}})
	for _, s := range []string{got[0].Message, got[0].Evidence, strings.Join(got[0].Commands, " ")} {
		if strings.Contains(s, "CANARY") {
			t.Errorf("the token leaked into the finding: %q", s)
		}
	}
}
