package checks

import (
	"context"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:      "CD4104",
	Name:    "basic-auth-outside-oauth",
	Guide:   contio.GuideAuthMethod,
	Title:   "HTTP Basic client credentials are sent to an endpoint that does not take them",
	Symptom: "The call answers 401, and the client secret travels to an endpoint that has no use for it.",
	Cause: "HTTP Basic with client_id:client_secret authenticates the app only at the OAuth token, introspection, revocation, " +
		"consent-check, scopes and passwordless endpoints. User endpoints and /oauth2/userInfo want the user's Bearer token, " +
		"admin endpoints want X-API-Key and X-Client-ID, and public endpoints want nothing.",
	Fix:      "Send the scheme the endpoint takes (the finding shows the request) and keep the client secret to the OAuth endpoints.",
	Verifies: "HTTP Basic is sent only to the client-authenticated OAuth endpoints.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCalls,
	Run:      basicAuthOutsideOAuth,
})

func basicAuthOutsideOAuth(_ context.Context, in *Input) ([]Finding, error) {
	return authSchemeFindings(in.Integration, func(got string, want contio.Auth, _ *contio.Endpoint) string {
		if got != integration.AuthBasic || want == contio.AuthBasic {
			return ""
		}
		switch want {
		case contio.AuthBearer:
			return "sends HTTP Basic client credentials; this endpoint takes the user's access token as `Authorization: Bearer`"
		case contio.AuthAPIKey:
			return "sends HTTP Basic client credentials; admin endpoints take X-API-Key and X-Client-ID"
		}
		return "sends HTTP Basic client credentials to a public endpoint that takes no credentials"
	}), nil
}
