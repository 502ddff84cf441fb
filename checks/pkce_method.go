package checks

// PKCE: Contio's OAuth flow guide makes PKCE optional but, when used,
// accepts only code_challenge_method=S256. CD2010 reads the authorization
// URL the app builds; CD2406 every authorization request a capture shows.

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

const (
	pkceSymptom = "The browser stops on Contio's error page with invalid_request instead of the sign-in screen, " +
		"or the code exchange fails although the code_verifier is the one the app kept."
	pkceCause = "Contio's OAuth flow guide accepts PKCE only with code_challenge_method=S256 (the base64url SHA-256 of the verifier). " +
		"code_challenge_method=plain, a method in the wrong case, or a code_challenge sent without any method (which RFC 7636 reads " +
		"as plain) is not S256."
	pkceFix = "Send code_challenge=BASE64URL(SHA256(code_verifier)) without padding (43 characters) and code_challenge_method=S256, " +
		"and send the same code_verifier with the code exchange. The SDK 1.9.0 OAuth client builds no PKCE parameters: add them " +
		"to the URL it returns, or build the URL yourself."
)

var _ = register(&Check{
	ID:       "CD2010",
	Name:     "authorization-url-pkce-method",
	Guide:    contio.GuideInvalidRequest,
	Title:    "The authorization URL uses PKCE without the S256 method",
	Symptom:  pkceSymptom,
	Cause:    pkceCause,
	Fix:      pkceFix,
	Verifies: "oauth.authorization_url either carries no PKCE parameters or carries a code_challenge with code_challenge_method=S256.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      authorizationURLPKCE,
})

var _ = register(&Check{
	ID:       "CD2406",
	Name:     "har-authorize-pkce-method",
	Guide:    contio.GuideInvalidRequest,
	Title:    "An authorization request in the capture uses PKCE without the S256 method",
	Symptom:  pkceSymptom,
	Cause:    pkceCause,
	Fix:      pkceFix,
	Verifies: "every GET /oauth2/authorize in the capture either carries no PKCE parameters or uses code_challenge_method=S256.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCapture,
	Run:      harAuthorizePKCE,
})

// pkceProblem says what is wrong with an authorization request's PKCE
// parameters, or "" when they are absent or right.
func pkceProblem(hasChallenge, hasMethod bool, challenge, method string) string {
	switch {
	case !hasChallenge && !hasMethod:
		return "" // PKCE is optional
	case !hasMethod:
		return "carries code_challenge without code_challenge_method, which means plain; Contio accepts only S256"
	case method == "plain":
		return "uses code_challenge_method=plain; Contio accepts only S256"
	case strings.EqualFold(method, "S256") && method != "S256":
		return fmt.Sprintf("spells the method %q; the value is case-sensitive and must be S256", method)
	case method != "S256":
		return fmt.Sprintf("uses code_challenge_method=%q, which is not a PKCE method; Contio accepts only S256", method)
	case !hasChallenge:
		return "sets code_challenge_method=S256 but sends no code_challenge"
	case !isS256Challenge(challenge):
		return fmt.Sprintf("sends a %d-character code_challenge that is not a base64url SHA-256 digest (43 characters of A-Z a-z 0-9 - _, no padding)",
			len(challenge))
	}
	return ""
}

// isS256Challenge reports whether s has the shape of an S256 challenge:
// 32 bytes, base64url without padding.
func isS256Challenge(s string) bool {
	if len(s) != 43 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func authorizationURLPKCE(_ context.Context, in *Input) ([]Finding, error) {
	if in.Integration.Capture != nil && in.Integration.OAuth.AuthorizationURL.From.HAREntry > 0 {
		// Taken from a capture: CD2406 judges every authorization request it shows.
		return nil, Skip("the authorization URL comes from the capture, whose requests CD2406 checks", "")
	}
	_, params, err := authorizationURLParts(in.Integration)
	if err != nil {
		return nil, err
	}
	decoded := func(key string) (string, bool) {
		p, ok := authURLParam(params, key)
		if !ok {
			return "", false
		}
		if v, err := url.QueryUnescape(p.Raw); err == nil {
			return v, true
		}
		return p.Raw, true
	}
	challenge, hasChallenge := decoded("code_challenge")
	method, hasMethod := decoded("code_challenge_method")
	msg := pkceProblem(hasChallenge, hasMethod, challenge, method)
	if msg == "" {
		return nil, nil
	}
	return []Finding{{
		Message:  "authorization_url " + msg,
		Location: in.Integration.OAuth.AuthorizationURL.From,
	}}, nil
}

func harAuthorizePKCE(_ context.Context, in *Input) ([]Finding, error) {
	var out []Finding
	for _, s := range harSteps(in.Integration, integration.FlowAuthorize) {
		msg := pkceProblem(s.HasCodeChallenge, s.HasChallengeMethod, s.CodeChallenge, s.CodeChallengeMethod)
		if msg == "" {
			continue
		}
		f := Finding{Message: fmt.Sprintf("the authorization request at %s %s", harAt(s.At), msg), Location: s.At}
		if s.Status >= 400 {
			f.Message += fmt.Sprintf(" (answer %s)", harStatus(s))
		}
		out = append(out, f)
	}
	return out, nil
}
