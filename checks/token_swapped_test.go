package checks

import (
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

const (
	testAT = "cto_at_v1_CANARYaccessCANARYaccess"
	testRT = "cto_rt_v1_CANARYrefreshCANARYrefresh"
	testJW = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJDQU5BUlkifQ.c2lnbmF0dXJl"
)

// tokenCases runs a token check on (access, refresh) pairs.
func tokenCases(t *testing.T, id string, cases []struct {
	name            string
	access, refresh string
	want            []string
}) {
	t.Helper()
	for _, tt := range cases {
		ig := &integration.Integration{Tokens: integration.Tokens{}}
		if tt.access != "" {
			ig.Tokens.AccessToken = envVal("CONTIO_ACCESS_TOKEN", tt.access)
		}
		if tt.refresh != "" {
			ig.Tokens.RefreshToken = envVal("CONTIO_REFRESH_TOKEN", tt.refresh)
		}
		got := runByID(t, id, ig)
		expectFindings(t, tt.name, got, tt.want...)
		for _, f := range got {
			if strings.Contains(f.Message+f.Evidence, "CANARY") {
				t.Errorf("%s: token leaked: %q / %q", tt.name, f.Message, f.Evidence)
			}
		}
	}
}

func TestTokenSlotsSwapped(t *testing.T) {
	tokenCases(t, "CD3101", []struct {
		name            string
		access, refresh string
		want            []string
	}{
		{"swapped", testRT, testAT, []string{"tokens.access_token holds a refresh token", "tokens.refresh_token holds an access token"}},
		{"id token as refresh", testAT, testJW, []string{"tokens.refresh_token holds a JWT"}},
		{"right", testAT, testRT, nil},
		{"none", "", "", nil},
	})
}
