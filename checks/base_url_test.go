package checks

import (
	"testing"
	"time"
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
		{"CD6002", "auth_url", "https://api.contio.ai", []string{"the OAuth paths answer there too"}},
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

func TestBaseURLHostSeverity(t *testing.T) {
	ig := famIG()
	ig.AuthURL = famVal("https://api.contio.ai", 3)
	if fs := famExpect(t, "CD6002", ig, "answer there too"); fs[0].Severity != SeverityInfo {
		t.Errorf("auth paths on the API host: severity %v, want info", fs[0].Severity)
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
