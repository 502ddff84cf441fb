package checks

import (
	"strings"
	"testing"
)

const famAuthURL = "https://auth.contio.ai/oauth2/authorize?client_id=ctp_8jIkkDqWIkynui0CTL0WzOPn" +
	"&redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback&response_type=code" +
	"&scope=openid%20profile%20meetings%3Aread&state=Zq3vN8xK2pLw7TfA"

// TestAuthorizationURL covers CD2007 (parameters and endpoint), CD2008
// (scope format) and CD2009 (state) on variations of one good URL.
func TestAuthorizationURL(t *testing.T) {
	cases := []struct {
		name, id, old, new string
		want               []string
	}{
		{"good 2007", "CD2007", "", "", nil},
		{"good 2008", "CD2008", "", "", nil},
		{"good 2009", "CD2009", "", "", nil},
		{"plus for spaces is fine", "CD2008", "openid%20profile%20meetings%3Aread", "openid+profile+meetings:read", nil},
		{"double-encoded redirect", "CD2007", "https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback",
			"https%253A%252F%252Fapp.example.com%252Foauth%252Fcallback", []string{"redirect_uri is percent-encoded twice"}},
		{"redirect with slash", "CD2007", "%2Fcallback&", "%2Fcallback%2F&",
			[]string{`redirect_uri "https://app.example.com/oauth/callback/" differs from oauth.redirect_uri "https://app.example.com/oauth/callback": trailing slash added`}},
		{"other client", "CD2007", "client_id=ctp_8jIkkDqWIkynui0CTL0WzOPn", "client_id=ctp_staging",
			[]string{`client_id "ctp_staging" differs from oauth.client_id "ctp_8jIkkDqWIkynui0CTL0WzOPn"`}},
		{"token response type", "CD2007", "response_type=code", "response_type=token", []string{`response_type is "token"`}},
		{"no redirect", "CD2007", "&redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback", "", []string{"no redirect_uri parameter"}},
		{"hydra path", "CD2007", "/oauth2/authorize", "/oauth2/auth", []string{`path "/oauth2/auth" is not the authorize endpoint`}},
		{"wrong host", "CD2007", "auth.contio.ai", "auth.contio.io", []string{`host "auth.contio.io" is not a Contio authorization host`}},
		{"api host is fine", "CD2007", "auth.contio.ai", "api.contio.ai", nil},
		{"commas", "CD2008", "openid%20profile%20meetings%3Aread", "openid,profile,meetings:read",
			[]string{`separates scopes with commas; Contio reads "openid,profile,meetings:read" as one scope name`}},
		{"encoded plus", "CD2008", "openid%20profile%20meetings%3Aread", "openid%2Bprofile", []string{`"openid+profile" reaches Contio as one scope name`}},
		{"no scope", "CD2008", "&scope=openid%20profile%20meetings%3Aread", "", []string{"no scope parameter"}},
		{"empty scope", "CD2008", "scope=openid%20profile%20meetings%3Aread", "scope=", []string{"scope parameter is empty"}},
		{"no state", "CD2009", "&state=Zq3vN8xK2pLw7TfA", "", []string{"has no state parameter"}},
		{"short state", "CD2009", "state=Zq3vN8xK2pLw7TfA", "state=abc", []string{`state "abc" is 3 characters`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := famAuthURL
			if tc.old != "" {
				if !strings.Contains(u, tc.old) {
					t.Fatalf("test URL lacks %q", tc.old)
				}
				u = strings.Replace(u, tc.old, tc.new, 1)
			}
			ig := famIG()
			ig.OAuth.AuthorizationURL = famVal(u, 11)
			for _, f := range famExpect(t, tc.id, ig, tc.want...) {
				if f.Location.Line != 11 {
					t.Errorf("location %v, want the authorization_url line", f.Location)
				}
			}
		})
	}
}

func TestAuthorizationURLSkipsWithoutOne(t *testing.T) {
	for _, id := range []string{"CD2007", "CD2008", "CD2009"} {
		_, err := famRun(t, id, famIG())
		if _, ok := IsSkip(err); !ok {
			t.Errorf("%s without oauth.authorization_url: err = %v, want a skip", id, err)
		}
	}
}
