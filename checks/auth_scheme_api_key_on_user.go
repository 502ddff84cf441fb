package checks

import (
	"context"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:      "CD4102",
	Name:    "api-key-on-user-endpoint",
	Guide:   contio.GuideAuthMethod,
	Title:   "A user endpoint is called with the admin API key",
	Symptom: "/v1/partner/user/* answers 401 although the API key works on the admin endpoints.",
	Cause: "User endpoints act on behalf of one signed-in user, so they take that user's OAuth access token. " +
		"The API key (with X-Client-ID) belongs to the app and opens only /v1/partner/admin/*.",
	Fix:      "Send `Authorization: Bearer <access token>` from the user's OAuth sign-in to /v1/partner/user/*, and drop X-API-Key there.",
	Verifies: "no call to the user API authenticates with the API key.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCalls,
	Run:      apiKeyOnUserEndpoint,
})

func apiKeyOnUserEndpoint(_ context.Context, in *Input) ([]Finding, error) {
	return authSchemeFindings(in.Integration, func(got string, want contio.Auth, ep *contio.Endpoint) string {
		if got != integration.AuthAPIKey || want != contio.AuthBearer {
			return ""
		}
		if ep != nil && ep.Class != contio.ClassUser && ep.Path != "/oauth2/userInfo" {
			return ""
		}
		return "sends the admin API key; user endpoints take the user's access token as `Authorization: Bearer`"
	}), nil
}
