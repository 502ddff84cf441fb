package checks

import (
	"context"
	"fmt"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:      "CD4101",
	Name:    "client-auth-endpoint-without-basic",
	Guide:   contio.GuideAuthMethod,
	Title:   "An OAuth endpoint that authenticates the client gets a Bearer token or API key",
	Symptom: "POST /oauth2/token (or introspect, revoke, check-consent, /auth/initiate, /auth/verify) answers invalid_client or 401.",
	Cause: "These endpoints authenticate the app itself, with HTTP Basic over client_id:client_secret. An access token or the admin API key " +
		"identifies a user or the admin API, not the OAuth client, so the server cannot tell which app is calling.",
	Fix: "Send `Authorization: Basic base64(client_id:client_secret)` (curl -u does this) to the OAuth endpoints; " +
		"keep the Bearer token for /v1/partner/user/* and /oauth2/userInfo, and the API key for /v1/partner/admin/*.",
	Verifies: "every call to a client-authenticated OAuth endpoint uses HTTP Basic (or no header, with the credentials in the form body).",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCalls,
	Run:      clientAuthEndpointWithoutBasic,
})

func clientAuthEndpointWithoutBasic(_ context.Context, in *Input) ([]Finding, error) {
	return authSchemeFindings(in.Integration, func(got string, want contio.Auth, ep *contio.Endpoint) string {
		if !contio.IsClientAuthenticated(ep) {
			return ""
		}
		switch got {
		case integration.AuthBearer:
			return "sends a Bearer token; " + ep.Path + " authenticates the client with HTTP Basic (client_id:client_secret)"
		case integration.AuthAPIKey:
			return "sends the admin API key; " + ep.Path + " authenticates the client with HTTP Basic (client_id:client_secret), not X-API-Key"
		}
		return ""
	}), nil
}

// authSchemeFindings runs judge on every Contio call whose scheme is known
// and whose path has an expected scheme; a non-empty verdict becomes a
// finding with the correct request as its command.
func authSchemeFindings(ig *integration.Integration, judge func(got string, want contio.Auth, ep *contio.Endpoint) string) []Finding {
	var out []Finding
	for i, c := range ig.Calls {
		got := callAuth(c)
		if got == "" || !isContioCall(ig, c) {
			continue
		}
		want, ep, ok := expectedAuth(c.Path.Raw)
		if !ok {
			continue
		}
		verdict := judge(got, want, ep)
		if verdict == "" {
			continue
		}
		method := callMethod(c)
		if allowed := contio.AllowedMethods(c.Path.Raw); len(allowed) > 0 && !contains(allowed, method) {
			method = allowed[0]
		}
		at := c.Auth
		if !at.Set {
			at = c.Authorization
		}
		out = append(out, Finding{
			Message:  fmt.Sprintf("%s %s", callLabel(i, c), verdict),
			Location: callAt(c, at),
			Evidence: fmt.Sprintf("sent %s; expected %s", got, want),
			Commands: []string{exampleCurl(ig, method, c.Path.Raw)},
		})
	}
	return out
}
