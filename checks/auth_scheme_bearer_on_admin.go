package checks

import (
	"context"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:      "CD4103",
	Name:    "bearer-on-admin-endpoint",
	Guide:   contio.GuideAuthMethod,
	Title:   "An admin endpoint is called with an OAuth access token",
	Symptom: "/v1/partner/admin/* answers 401 although the access token works on the user endpoints.",
	Cause: "Admin endpoints manage the partner app itself and take the app's API key in X-API-Key together with its client ID in X-Client-ID. " +
		"An access token speaks for one user and is not accepted there.",
	Fix:      "Send `X-API-Key: <API key>` and `X-Client-ID: <client ID>` to /v1/partner/admin/*, with no Authorization header.",
	Verifies: "no call to the admin API authenticates with a Bearer token.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCalls,
	Run:      bearerOnAdminEndpoint,
})

func bearerOnAdminEndpoint(_ context.Context, in *Input) ([]Finding, error) {
	return authSchemeFindings(in.Integration, func(got string, want contio.Auth, _ *contio.Endpoint) string {
		if got != integration.AuthBearer || want != contio.AuthAPIKey {
			return ""
		}
		return "sends a Bearer token; admin endpoints take X-API-Key and X-Client-ID"
	}), nil
}
