package checks

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// A real S256 challenge: base64url(SHA-256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")), RFC 7636 appendix B.
const s256Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

func TestAuthorizationURLPKCE(t *testing.T) {
	cases := []struct {
		name, params string
		want         []string
	}{
		{"no PKCE", "", nil},
		{"S256", "&code_challenge=" + s256Challenge + "&code_challenge_method=S256", nil},
		{"plain", "&code_challenge=" + s256Challenge + "&code_challenge_method=plain", []string{"uses code_challenge_method=plain; Contio accepts only S256"}},
		{"challenge without method", "&code_challenge=" + s256Challenge, []string{"without code_challenge_method, which means plain"}},
		{"lower-case method", "&code_challenge=" + s256Challenge + "&code_challenge_method=s256", []string{`spells the method "s256"`}},
		{"unknown method", "&code_challenge=" + s256Challenge + "&code_challenge_method=SHA256", []string{`code_challenge_method="SHA256", which is not a PKCE method`}},
		{"method without challenge", "&code_challenge_method=S256", []string{"sends no code_challenge"}},
		{"padded challenge", "&code_challenge=" + s256Challenge + "%3D&code_challenge_method=S256", []string{"44-character code_challenge that is not a base64url SHA-256"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ig := famIG()
			ig.OAuth.AuthorizationURL = famVal(famAuthURL+tc.params, 14)
			for _, f := range famExpect(t, "CD2010", ig, tc.want...) {
				if f.Location.Line != 14 {
					t.Errorf("location %v, want the authorization_url line", f.Location)
				}
			}
		})
	}
	if _, err := famRun(t, "CD2010", famIG()); !isSkipErr(err) {
		t.Errorf("no authorization URL: err %v, want a skip", err)
	}
}

func TestHARAuthorizePKCE(t *testing.T) {
	step := func(entry int, hasC, hasM bool, method string) integration.FlowStep {
		return integration.FlowStep{Kind: integration.FlowAuthorize, At: integration.Source{File: "c.har", HAREntry: entry},
			Status: 200, HasCodeChallenge: hasC, HasChallengeMethod: hasM, CodeChallenge: s256Challenge, CodeChallengeMethod: method}
	}
	ig := famIG()
	ig.Capture = &integration.Capture{Steps: []integration.FlowStep{
		step(1, false, false, ""), step(2, true, true, "S256"), step(3, true, true, "plain"), step(4, true, false, ""),
		{Kind: integration.FlowToken, At: integration.Source{HAREntry: 5}, HasCodeChallenge: true},
	}}
	famExpect(t, "CD2406", ig,
		"the authorization request at entry 3 uses code_challenge_method=plain",
		"the authorization request at entry 4 carries code_challenge without code_challenge_method")
}

func isSkipErr(err error) bool { _, ok := IsSkip(err); return ok }
