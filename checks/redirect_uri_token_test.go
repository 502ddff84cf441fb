package checks

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestTokenRedirectURIMismatch(t *testing.T) {
	cases := []struct {
		name  string
		token integration.Value
		want  []string
	}{
		{"same", famVal(famCallback, 8), nil},
		{"unset defaults to the request's", integration.Value{}, nil},
		{"trailing slash", famVal(famCallback+"/", 8),
			[]string{`token_redirect_uri "https://app.example.com/oauth/callback/" differs from the authorization request's redirect_uri "https://app.example.com/oauth/callback": trailing slash added`}},
		{"scheme", famVal("http://app.example.com/oauth/callback", 8), []string{`scheme "http" instead of "https"`}},
		{"lower-case hex", famVal("https://app.example.com/oauth/callback?next=%2fhome", 8), []string{`query "?next=%2fhome" added`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ig := famIG()
			ig.OAuth.TokenRedirectURI = tc.token
			for _, f := range famExpect(t, "CD2002", ig, tc.want...) {
				if f.Location.Line != 8 {
					t.Errorf("location %v, want the token_redirect_uri line", f.Location)
				}
			}
		})
	}
}

func TestTokenRedirectURIEncodingCase(t *testing.T) {
	ig := famIG()
	ig.OAuth.RedirectURI = famVal(famCallback+"?next=%2Fhome", 7)
	ig.OAuth.TokenRedirectURI = famVal(famCallback+"?next=%2fhome", 8)
	famExpect(t, "CD2002", ig, `uses "%2f" where the other has "%2F"`)
}
