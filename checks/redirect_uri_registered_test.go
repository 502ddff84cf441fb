package checks

import (
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestRedirectURINotRegistered(t *testing.T) {
	cases := []struct {
		name, sent string
		registered []string
		want       []string
	}{
		{"exact", famCallback, []string{famCallback}, nil},
		{"one of several", famCallback, []string{"https://other.example.com/cb", famCallback}, nil},
		{"trailing slash", famCallback + "/", []string{famCallback},
			[]string{`redirect_uri "https://app.example.com/oauth/callback/" differs from the registered "https://app.example.com/oauth/callback": trailing slash added`}},
		{"explicit 443", "https://app.example.com:443/oauth/callback", []string{famCallback}, []string{"explicit default port :443 added"}},
		{"host case", "https://App.example.com/oauth/callback", []string{famCallback}, []string{"host case differs"}},
		{"query", famCallback + "?tenant=1", []string{famCallback}, []string{`query "?tenant=1" added`}},
		{"encoded slash", "https://app.example.com/oauth%2Fcallback", []string{famCallback}, []string{`percent-encoded as "%2F"`}},
		{"trailing space", famCallback + " ", []string{famCallback}, []string{`trailing whitespace " " added`}},
		{"closest of several", famCallback + "/", []string{"https://other.example.com/x", famCallback},
			[]string{`matches none of the 2 registered URIs; the closest, "https://app.example.com/oauth/callback", differs: trailing slash added`}},
		{"loopback IP port is exact", "http://127.0.0.1:53682/cb", []string{"http://127.0.0.1/cb"}, []string{"port :53682 added"}},
		{"loopback IP other port", "http://[::1]:53682/cb", []string{"http://[::1]:8080/cb"}, []string{"port :53682 instead of :8080"}},
		{"sandbox default", "http://localhost:3000/callback", []string{"http://localhost:3000/callback"}, nil},
		{"localhost port is exact", "http://localhost:53682/cb", []string{"http://localhost/cb"}, []string{"port :53682 added"}},
		{"localhost vs 127.0.0.1", "http://localhost/cb", []string{"http://127.0.0.1/cb"}, []string{`loopback host spelled "localhost" instead of "127.0.0.1"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ig := famIG()
			ig.OAuth.RedirectURI = famVal(tc.sent, 7)
			ig.OAuth.RegisteredRedirectURIs = nil
			for i, r := range tc.registered {
				ig.OAuth.RegisteredRedirectURIs = append(ig.OAuth.RegisteredRedirectURIs, famVal(r, 9+i))
			}
			fs := famExpect(t, "CD2001", ig, tc.want...)
			for _, f := range fs {
				if f.Location.Line != 7 {
					t.Errorf("location %v, want the redirect_uri line 7", f.Location)
				}
				if !strings.Contains(f.Fix, `"`+tc.registered[len(tc.registered)-1]+`"`) && len(tc.registered) == 1 {
					t.Errorf("fix %q does not name the registered URI", f.Fix)
				}
			}
		})
	}
}

func TestRedirectURINotRegisteredSkips(t *testing.T) {
	ig := famIG()
	ig.OAuth.RegisteredRedirectURIs = nil
	if _, err := famRun(t, "CD2001", ig); err == nil {
		t.Fatal("no registered URIs: want a skip")
	} else if _, ok := IsSkip(err); !ok {
		t.Fatalf("err = %v, want a skip", err)
	}
	ig = famIG()
	ig.OAuth.RedirectURI = integration.Value{}
	if _, err := famRun(t, "CD2001", ig); err == nil {
		t.Fatal("no redirect_uri: want a skip")
	}
}
