package checks

import (
	"encoding/base64"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestCredentialWrongKind(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(ig *integration.Integration)
		want   []string
	}{
		{"healthy", func(*integration.Integration) {}, nil},
		{"access token as secret", func(ig *integration.Integration) {
			ig.OAuth.ClientSecret.Raw = "cto_at_v1_CANARYaccessInTheWrongSlot00"
		},
			[]string{"oauth.client_secret holds an access token (cto_at_v1_…)"}},
		{"refresh token as API key", func(ig *integration.Integration) { ig.Admin.APIKey.Raw = "cto_rt_v1_CANARYrefreshInTheWrongSlot0" },
			[]string{"admin.api_key holds a refresh token"}},
		{"JWT as secret", func(ig *integration.Integration) {
			ig.OAuth.ClientSecret.Raw = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJDQU5BUlkifQ.c2lnbmF0dXJl"
		},
			[]string{"oauth.client_secret holds a JWT"}},
		{"Basic header as secret", func(ig *integration.Integration) { ig.OAuth.ClientSecret.Raw = credBasic(credID + ":CANARYx") },
			[]string{"oauth.client_secret holds a whole Authorization header value (Basic …)"}},
		{"base64 pair as secret", func(ig *integration.Integration) {
			ig.OAuth.ClientSecret.Raw = base64.StdEncoding.EncodeToString([]byte(credID + ":CANARYsecret"))
		}, []string{"oauth.client_secret holds the base64 of client_id:client_secret"}},
		{"secret equals client id", func(ig *integration.Integration) { ig.OAuth.ClientSecret.Raw = credID },
			[]string{"oauth.client_secret equals oauth.client_id: the client secret is the client ID"}},
		{"secret equals API key", func(ig *integration.Integration) { ig.OAuth.ClientSecret.Raw = credAPIKey },
			[]string{"oauth.client_secret equals admin.api_key"}},
		{"webhook secret reuse is CD7005's", func(ig *integration.Integration) { ig.Webhooks.Secret.Raw = credSecret }, nil},
		{"JWT as webhook secret", func(ig *integration.Integration) {
			ig.Webhooks.Secret.Raw = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJDQU5BUlkifQ.c2lnbmF0dXJl"
		}, []string{"webhooks.secret holds a JWT"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ig := credIG()
			tc.mutate(ig)
			assertMessages(t, credMessages(t, "CD1005", ig), tc.want...)
		})
	}
}
