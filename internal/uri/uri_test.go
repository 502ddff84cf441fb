package uri

import (
	"strings"
	"testing"
)

func TestDiffNamesTheComponent(t *testing.T) {
	const reg = "https://app.example.com/oauth/callback"
	cases := []struct {
		got, want string
		detail    string
	}{
		{reg + "/", reg, "trailing slash added"},
		{"https://app.example.com/oauth", "https://app.example.com/oauth/", "trailing slash removed"},
		{"http://app.example.com/oauth/callback", reg, `scheme "http" instead of "https"`},
		{"https://App.Example.com/oauth/callback", reg, `host case differs ("App.Example.com" instead of "app.example.com"`},
		{"https://app.example.com:443/oauth/callback", reg, "explicit default port :443 added"},
		{reg, "https://app.example.com:443/oauth/callback", "explicit default port :443 removed"},
		{"https://app.example.com:8443/oauth/callback", reg, "port :8443 added"},
		{"http://localhost:3000/cb", "http://localhost:8080/cb", "port :3000 instead of :8080"},
		{"https://app.example.com/OAuth/callback", reg, "path case differs"},
		{reg + "?x=1", reg, `query "?x=1" added`},
		{reg, reg + "?x=1", `query "?x=1" removed`},
		{reg + "?b=2&a=1", reg + "?a=1&b=2", "query parameters reordered"},
		{reg + "?a=1&c=3", reg + "?a=1&b=2", `query parameter "c=3" added, parameter "b=2" removed`},
		{"https://app.example.com/oauth%2Fcallback", reg, `has "/" percent-encoded as "%2F"`},
		{"https://app.example.com/a%2fb", "https://app.example.com/a%2Fb", `uses "%2f" where the other has "%2F"`},
		{"https://app.example.com/a%252Fb", "https://app.example.com/a%2Fb", "percent-encoded twice (%252F is %2F encoded again)"},
		{reg + "#done", reg, `fragment "#done" added`},
		{reg + " ", reg, `trailing whitespace " " added`},
		{reg + "\n", reg, `trailing whitespace "\n" added`},
		{"http://localhost/cb", "http://127.0.0.1/cb", `loopback host spelled "localhost" instead of "127.0.0.1"`},
		{"https://evil.example.com/oauth/callback", reg, `host "evil.example.com" instead of "app.example.com"`},
		{"app.example.com/oauth/callback", reg, `scheme missing (want "https")`},
		{"https://[::1]:8080/cb", "https://[::1]:9090/cb", "port :8080 instead of :9090"},
	}
	for _, tc := range cases {
		t.Run(tc.detail, func(t *testing.T) {
			got := Describe(Diff(tc.got, tc.want))
			if !strings.Contains(got, tc.detail) {
				t.Errorf("Diff(%q, %q) = %q, want it to contain %q", tc.got, tc.want, got, tc.detail)
			}
		})
	}
}

func TestDiffOfEqualStringsIsEmpty(t *testing.T) {
	if d := Diff("https://a.example/x", "https://a.example/x"); d != nil {
		t.Errorf("Diff of equal strings = %v", d)
	}
}

// Contio matches redirect URIs exactly: no port flexibility, even on IP
// loopback addresses.
func TestEqualIsExactEvenOnLoopback(t *testing.T) {
	cases := []struct {
		req, reg string
		want     bool
	}{
		{"http://127.0.0.1:53123/cb", "http://127.0.0.1/cb", false},
		{"http://[::1]:53123/cb", "http://[::1]:8080/cb", false},
		{"http://127.0.0.1:53123/cb", "http://127.0.0.1:53123/cb", true},
		{"http://localhost:3000/callback", "http://localhost:3000/callback", true},
		{"http://localhost:53123/cb", "http://localhost/cb", false},
		{"http://127.0.0.1:53123/cb/", "http://127.0.0.1/cb", false},
		{"https://127.0.0.1:53123/cb", "https://127.0.0.1/cb", false},
		{"https://app.example.com/cb", "https://app.example.com/cb", true},
		{"https://app.example.com/cb/", "https://app.example.com/cb", false},
	}
	for _, tc := range cases {
		if got := Equal(tc.req, tc.reg); got != tc.want {
			t.Errorf("Equal(%q, %q) = %v, want %v", tc.req, tc.reg, got, tc.want)
		}
	}
}

func TestSplit(t *testing.T) {
	p := Split("https://u:p@[::1]:8443/a/b?x=1#f")
	if p.Scheme != "https" || p.UserInfo != "u:p" || p.Host != "[::1]" || p.Port != "8443" ||
		p.Path != "/a/b" || p.Query != "x=1" || p.Fragment != "f" || !p.HasFrag || !p.HasQuery {
		t.Errorf("Split = %+v", p)
	}
	if p := Split("/relative/path"); p.Scheme != "" || p.HasAuthority || p.Path != "/relative/path" {
		t.Errorf("Split(relative) = %+v", p)
	}
	if p := Split("app.example.com/cb"); p.Scheme != "" || p.HasAuthority {
		t.Errorf("Split(no scheme) = %+v", p)
	}
}

func TestIsLoopback(t *testing.T) {
	for h, want := range map[string]bool{
		"localhost": true, "LOCALHOST": true, "app.localhost": true, "127.0.0.1": true,
		"127.1.2.3": true, "[::1]": true, "::1": true, "0.0.0.0": false, "example.com": false,
		"localhost.example.com": false,
	} {
		if got := IsLoopback(h); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", h, got, want)
		}
	}
	if IsLoopbackIP("localhost") {
		t.Error("IsLoopbackIP(localhost) = true; only IP literals get port flexibility")
	}
}

func FuzzDiff(f *testing.F) {
	for _, s := range []string{
		"https://app.example.com/oauth/callback", "http://[::1]:8080/a?b=c#d", "%", "%2", "%zz",
		"https://a/%252F", "://", "a:b:c", "https://u@h:", " https://x/ \n",
	} {
		f.Add(s, "https://app.example.com/oauth/callback")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		d := Diff(a, b)
		if (a == b) != (d == nil) {
			t.Fatalf("Diff(%q, %q) = %v: equality and emptiness disagree", a, b, d)
		}
		_ = Equal(a, b)
		_ = Split(a).Hostname()
	})
}
