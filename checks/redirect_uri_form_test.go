package checks

import (
	"strings"
	"testing"
)

// The form checks: CD2003 fragment, CD2004 http, CD2005 localhost, CD2006
// not absolute. Each case sets every redirect URI to the same value, so
// only the form check under test can fail.
func TestRedirectURIForm(t *testing.T) {
	cases := []struct {
		id, uri string
		want    string // "" for a pass
	}{
		{"CD2003", "https://app.example.com/#/callback", `contains the fragment "#/callback"`},
		{"CD2003", "https://app.example.com/callback#", `contains the fragment "#"`},
		{"CD2003", famCallback, ""},
		{"CD2004", "http://app.example.com/oauth/callback", `uses http on "app.example.com", which is not a loopback host`},
		{"CD2004", "http://127.0.0.1:8080/cb", ""},
		{"CD2004", "http://localhost:8080/cb", ""},
		{"CD2004", "http://[::1]/cb", ""},
		{"CD2004", famCallback, ""},
		{"CD2005", "http://localhost:3000/cb", ""},
		{"CD2005", "http://localhost/cb", `names no port, so it matches only a callback on port 80`},
		{"CD2005", "http://[::1]/cb", `names no port`},
		{"CD2005", "http://0.0.0.0:3000/cb", "a bind address rather than a reachable host"},
		{"CD2005", "http://127.0.0.1/cb", `"http://127.0.0.1/cb" names no port`},
		{"CD2005", "http://127.0.0.1:8976/cb", ""},
		{"CD2006", "/oauth/callback", "is a path without scheme and host"},
		{"CD2006", "app.example.com/oauth/callback", "has no scheme"},
		{"CD2006", "app.example.com:8443/oauth/callback", "has no scheme"},
		{"CD2006", "//app.example.com/cb", "is scheme-relative"},
		{"CD2006", "https:/cb", "has no host"},
		{"CD2006", "com.example.app:/oauth2redirect", ""},
		{"CD2006", famCallback, ""},
	}
	for _, tc := range cases {
		t.Run(tc.id+" "+tc.uri, func(t *testing.T) {
			ig := famIG()
			ig.OAuth.RedirectURI = famVal(tc.uri, 7)
			ig.OAuth.TokenRedirectURI = famVal(tc.uri, 8)
			ig.OAuth.RegisteredRedirectURIs[0] = famVal(tc.uri, 9)
			var want []string
			if tc.want != "" {
				want = []string{tc.want, tc.want} // redirect_uri and the registered one
			}
			fs := famExpect(t, tc.id, ig, want...)
			if len(fs) == 2 && (fs[0].Location.Line != 7 || fs[1].Location.Line != 9) {
				t.Errorf("locations %v, %v; want lines 7 and 9", fs[0].Location, fs[1].Location)
			}
		})
	}
}

func TestRedirectURIFormFixes(t *testing.T) {
	ig := famIG()
	ig.OAuth.RedirectURI = famVal("https://app.example.com/#/callback", 7)
	ig.OAuth.TokenRedirectURI = ig.OAuth.RedirectURI
	ig.OAuth.RegisteredRedirectURIs = nil
	fs := famExpect(t, "CD2003", ig, "fragment")
	if want := `"https://app.example.com/callback"`; !strings.Contains(fs[0].Fix, want) {
		t.Errorf("fix %q, want it to suggest %s", fs[0].Fix, want)
	}
	ig.OAuth.RedirectURI = famVal("http://app.example.com/cb", 7)
	ig.OAuth.TokenRedirectURI = ig.OAuth.RedirectURI
	fs = famExpect(t, "CD2004", ig, "uses http")
	if want := `"https://app.example.com/cb"`; !strings.Contains(fs[0].Fix, want) {
		t.Errorf("fix %q, want it to suggest %s", fs[0].Fix, want)
	}
	// CD2005's advice pins a port; it never promises that any port matches.
	ig.OAuth.RedirectURI = famVal("http://127.0.0.1/cb", 7)
	ig.OAuth.TokenRedirectURI = ig.OAuth.RedirectURI
	fs = famExpect(t, "CD2005", ig, "names no port")
	if want := `"http://127.0.0.1:3000/cb"`; !strings.Contains(fs[0].Fix, want) || strings.Contains(fs[0].Fix, "any port") {
		t.Errorf("fix %q, want it to pin a port like %s and promise no any-port match", fs[0].Fix, want)
	}
}
