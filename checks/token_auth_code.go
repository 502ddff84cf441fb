package checks

import (
	"context"
	"fmt"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:      "CD3103",
	Name:    "authorization-code-as-token",
	Guide:   contio.GuideInvalidGrant,
	Title:   "A configured token looks like an authorization code",
	Symptom: "User calls answer 401 invalid_token, or refreshing answers invalid_grant, right after a sign-in that seemed to work.",
	Cause: "The value is short, opaque and lacks the cto_at_v1_ / cto_rt_v1_ prefix: most likely the `code` from the redirect back to the app, " +
		"stored before it was exchanged. A code is not a token; it must be exchanged within 5 minutes, once, at POST /oauth2/token.",
	Fix: "Exchange the code first (POST /oauth2/token with grant_type=authorization_code, the same redirect_uri and HTTP Basic) " +
		"and store the access_token and refresh_token from the response.",
	Verifies: "tokens.access_token and tokens.refresh_token are not short opaque values shaped like an authorization code.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig,
	Run:      authorizationCodeAsToken,
})

func authorizationCodeAsToken(_ context.Context, in *Input) ([]Finding, error) {
	t := in.Integration.Tokens
	var out []Finding
	for _, s := range []integration.Secret{{Name: "tokens.access_token", Value: t.AccessToken}, {Name: "tokens.refresh_token", Value: t.RefreshToken}} {
		if tokenKind(s.Value.Raw) != "code" {
			continue
		}
		out = append(out, Finding{
			Message: fmt.Sprintf("%s is a short opaque value (%d characters) without a Contio token prefix: it looks like an authorization code",
				s.Name, len([]rune(s.Value.Raw))),
			Location: s.Value.From,
			Evidence: mask(s.Name, s.Value.Raw),
			Commands: []string{exampleCurl(in.Integration, "POST", "/oauth2/token")},
		})
	}
	return out, nil
}
