package checks

import (
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// TestBaseURLs covers CD6001 (scheme), CD6002 (host), CD6003 (path) and
// CD6006 (the SDK's insecure-TLS substring test) on api_url and auth_url.
func TestBaseURLs(t *testing.T) {
	cases := []struct {
		id, key, url string
		want         []string
	}{
		{"CD6001", "api_url", "http://api.contio.ai", []string{`api_url "http://api.contio.ai" uses http`}},
		{"CD6001", "api_url", "http://127.0.0.1:8080", nil},
		{"CD6001", "api_url", "api.contio.ai", []string{"is not an absolute URL"}},
		{"CD6001", "auth_url", "ftp://auth.contio.ai", []string{`has the scheme "ftp"`}},
		{"CD6002", "auth_url", "https://auth.contio.io", []string{"uses the .io domain"}},
		{"CD6002", "api_url", "https://auth.contio.ai", []string{"points at the auth host"}},
		{"CD6002", "auth_url", "https://api.contio.ai", nil},
		{"CD6002", "api_url", "https://beta.api.contio.ai", nil},
		{"CD6002", "auth_url", "https://beta.api.contio.ai", nil},
		{"CD6002", "api_url", "https://api.beta.contio.ai", []string{"is not a documented Contio host (production: api.contio.ai, auth.contio.ai; beta: beta.api.contio.ai)"}},
		{"CD6002", "api_url", "https://beta.api.contoi.ai", []string{"looks like a misspelling of beta.api.contio.ai"}},
		{"CD6002", "api_url", "https://app.contio.ai", []string{"the Contio web app"}},
		{"CD6002", "api_url", "https://api.conito.ai", []string{"looks like a misspelling of api.contio.ai"}},
		{"CD6002", "api_url", "https://api.contio.com", []string{"looks like a misspelling"}},
		{"CD6002", "api_url", "https://staging.contio.ai", []string{"is not a documented Contio host"}},
		{"CD6002", "api_url", "https://gateway.example.com", []string{"is not a Contio host; fine if it is your own gateway"}},
		{"CD6002", "api_url", "http://localhost:8080", nil},
		{"CD6003", "api_url", "https://api.contio.ai/", []string{"requests go to https://api.contio.ai//v1/partner/user/meetings"}},
		{"CD6003", "api_url", "https://api.contio.ai/v1", []string{`carries the path "/v1", so requests go to https://api.contio.ai/v1/v1/partner/user/meetings`}},
		{"CD6003", "auth_url", "https://auth.contio.ai/oauth2", []string{"https://auth.contio.ai/oauth2/oauth2/token"}},
		{"CD6003", "api_url", "https://api.contio.ai?x=1", []string{"carries a query or fragment"}},
		{"CD6003", "api_url", "https://api.contio.ai:443", nil},
		{"CD6006", "api_url", "https://mylocal.example.com", []string{`contains "local." at offset 10`}},
		{"CD6006", "api_url", "https://gw.example.com/localhost-proxy", []string{`contains "localhost"`}},
		{"CD6006", "auth_url", "https://auth.dev.lan.contio.ai", []string{`contains ".lan.contio.ai"`}},
		{"CD6006", "api_url", "http://localhost:8080", nil},
		{"CD6006", "api_url", "https://api.contio.ai", nil},
	}
	for _, tc := range cases {
		t.Run(tc.id+" "+tc.url, func(t *testing.T) {
			ig := famIG()
			line := 2
			if tc.key == "auth_url" {
				line = 3
				ig.AuthURL = famVal(tc.url, line)
			} else {
				ig.APIURL = famVal(tc.url, line)
			}
			for _, f := range famExpect(t, tc.id, ig, tc.want...) {
				if f.Location.Line != line {
					t.Errorf("location %v, want line %d", f.Location, line)
				}
			}
		})
	}
}

// An undocumented contio.ai host is a warning whose fix never moves a
// beta partner to production.
func TestBaseURLHostUndocumentedFix(t *testing.T) {
	ig := famIG()
	ig.APIURL = famVal("https://staging.beta.contio.ai", 2)
	fs := famExpect(t, "CD6002", ig, "is not a documented Contio host")
	if fs[0].Severity != SeverityWarning {
		t.Errorf("severity %v, want warning", fs[0].Severity)
	}
	if !strings.Contains(fs[0].Fix, "https://beta.api.contio.ai for beta") || strings.HasPrefix(fs[0].Fix, "Set api_url: https://api.contio.ai") {
		t.Errorf("fix %q must offer both environments, not production alone", fs[0].Fix)
	}
	ig.APIURL = famVal("https://beta.api.contoi.ai", 2)
	if fs := famExpect(t, "CD6002", ig, "misspelling"); fs[0].Fix != "Set api_url: https://beta.api.contio.ai." {
		t.Errorf("fix for a misspelt beta host = %q, want the beta host", fs[0].Fix)
	}
}

func TestBaseURLEnvironmentMix(t *testing.T) {
	unset := func(raw string) integration.Value { return integration.Value{Raw: raw} }
	cases := []struct {
		name          string
		api, auth     integration.Value
		authorization string
		want          []string
		line          int
		fix           string
	}{
		{"production", famVal("https://api.contio.ai", 2), famVal("https://auth.contio.ai", 3), "", nil, 0, ""},
		{"production with oauth on the api host", famVal("https://api.contio.ai", 2), famVal("https://api.contio.ai", 3), "", nil, 0, ""},
		{"beta", famVal("https://beta.api.contio.ai", 2), famVal("https://beta.api.contio.ai", 3),
			"https://beta.api.contio.ai/oauth2/authorize?client_id=x", nil, 0, ""},
		{"beta api, production auth", famVal("https://beta.api.contio.ai", 2), famVal("https://auth.contio.ai", 3), "",
			[]string{"api_url is on beta (beta.api.contio.ai) but auth_url is on production (auth.contio.ai)"}, 3,
			"If your credentials are for beta, set auth_url to https://beta.api.contio.ai; if they are for production, set api_url to https://api.contio.ai instead."},
		{"beta api, auth defaulted", famVal("https://beta.api.contio.ai", 2), unset("https://auth.contio.ai"), "",
			[]string{"auth_url is not set, so it defaults to production auth.contio.ai"}, 2,
			"Set auth_url: https://beta.api.contio.ai, and give the SDK's OAuth client authorizationUrl https://beta.api.contio.ai/oauth2/authorize and tokenUrl https://beta.api.contio.ai/oauth2/token."},
		{"production config, beta authorization url", famVal("https://api.contio.ai", 2), famVal("https://auth.contio.ai", 3),
			"https://beta.api.contio.ai/oauth2/authorize?client_id=x",
			[]string{"oauth.authorization_url is on beta (beta.api.contio.ai)"}, 10, ""},
		{"loopback simulator", famVal("http://127.0.0.1:8080", 2), famVal("https://auth.contio.ai", 3), "", nil, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ig := famIG()
			ig.APIURL, ig.AuthURL = tc.api, tc.auth
			if tc.authorization != "" {
				ig.OAuth.AuthorizationURL = famVal(tc.authorization, 10)
			}
			fs := famExpect(t, "CD6007", ig, tc.want...)
			if len(fs) == 0 {
				return
			}
			if fs[0].Location.Line != tc.line {
				t.Errorf("location %v, want line %d", fs[0].Location, tc.line)
			}
			if tc.fix != "" && fs[0].Fix != tc.fix {
				t.Errorf("fix = %q\nwant  %q", fs[0].Fix, tc.fix)
			}
		})
	}
}

func TestHTTPTimeoutOutOfRange(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want []string
	}{
		{30 * time.Second, nil},
		{time.Second, nil},
		{120 * time.Second, nil},
		{500 * time.Millisecond, []string{"http.timeout is 500ms"}},
		{0, []string{"requests never time out"}},
		{5 * time.Minute, []string{"http.timeout is 5m0s"}},
	}
	for _, tc := range cases {
		t.Run(tc.d.String(), func(t *testing.T) {
			ig := famIG()
			ig.HTTP.Timeout = tc.d
			famExpect(t, "CD6004", ig, tc.want...)
		})
	}
}
