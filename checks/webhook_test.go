package checks

import (
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// TestWebhookChecks covers CD7001–CD7006.
func TestWebhookChecks(t *testing.T) {
	cases := []struct {
		name, id string
		url      string // "" keeps the healthy URL
		secret   *integration.Value
		want     []string
	}{
		{"no secret", "CD7001", "", &integration.Value{}, []string{`webhooks.url "https://app.example.com/webhooks" is set but webhooks.secret is not`}},
		{"explicit empty secret is CD1004's", "CD7001", "", &integration.Value{Set: true}, nil},
		{"trailing newline", "CD7002", "", famPtr(famVal(famCanary+"\n", 31)), []string{`webhooks.secret ends with "\n"`}},
		{"leading space", "CD7002", "", famPtr(famVal(" "+famCanary, 31)), []string{`webhooks.secret starts with " "`}},
		{"inner line break", "CD7002", "", famPtr(famVal("whsec_abcdefgh\nijklmnopqrst", 31)), []string{`holds "\n" at position 14`}},
		{"quoted", "CD7002", "", famPtr(famVal(`"`+famCanary+`"`, 31)), []string{"is wrapped in double quotes"}},
		{"clean", "CD7002", "", nil, nil},
		{"http", "CD7003", "http://app.example.com/webhooks", nil, []string{`uses http on "app.example.com"`}},
		{"http loopback", "CD7003", "http://127.0.0.1:4000/webhooks", nil, nil},
		{"relative", "CD7004", "/webhooks", nil, []string{`webhooks.url "/webhooks" is not an absolute http(s) URL`}},
		{"no scheme", "CD7004", "app.example.com/webhooks", nil, []string{"is not an absolute"}},
		{"client secret", "CD7005", "", famPtr(famVal("mONrhIZ8SYcWOluT4Cp8Q06Xd33rSBurMDPOpzx8KGHXf0e4", 31)),
			[]string{"webhooks.secret is the same value as oauth.client_secret"}},
		{"api key with newline", "CD7005", "", famPtr(famVal("cak_HSvD5SFoR0MMg0PF4LtPzFtPIs27IDVReY1m9bcd\n", 31)),
			[]string{"is, apart from whitespace or quotes, the same value as admin.api_key"}},
		{"access token", "CD7005", "", famPtr(famVal("cto_at_v1_abcdefghijklmnopqrstuvwxyz", 31)), []string{`starts with "cto_at_v1_"`}},
		{"short", "CD7006", "", famPtr(famVal("whsec_abc", 31)), []string{"webhooks.secret is 9 characters long, under the minimum of 16"}},
		{"long enough", "CD7006", "", famPtr(famVal("0123456789abcdef", 31)), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ig := famIG()
			if tc.url != "" {
				ig.Webhooks.URL = famVal(tc.url, 30)
			}
			if tc.secret != nil {
				ig.Webhooks.Secret = *tc.secret
			}
			for _, f := range famExpect(t, tc.id, ig, tc.want...) {
				if f.Location.IsZero() {
					t.Errorf("finding %q has no location", f.Message)
				}
				if raw := ig.Webhooks.Secret.Raw; len(raw) > 8 && strings.Contains(f.Message+f.Evidence+f.Fix, strings.TrimSpace(raw)) {
					t.Errorf("finding shows the webhook secret: %+v", f)
				}
			}
		})
	}
}

func famPtr(v integration.Value) *integration.Value { return &v }
