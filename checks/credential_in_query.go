package checks

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD4105",
	Name:    "credential-in-query-string",
	Guide:   contio.GuideAuthMethod,
	Title:   "A token, API key or client secret is sent in the URL's query string",
	Symptom: "The call answers 401 as if no credentials were sent, and the credential shows up in proxy, CDN and server access logs.",
	Cause: "Contio reads credentials only from headers (Authorization, X-API-Key) or, for the OAuth endpoints, from the form body. " +
		"A query-string credential is ignored, and URLs are logged, cached and kept in browser history, so the credential leaks.",
	Fix: "Move the credential into its header: `Authorization: Bearer <token>` for user calls, `X-API-Key` plus `X-Client-ID` for admin calls, " +
		"HTTP Basic for the OAuth endpoints. Then rotate the credential: it has been written to logs.",
	Verifies: "no call carries access_token, refresh_token, id_token, api_key or client_secret in its query string.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCalls,
	Run:      credentialInQueryString,
})

// queryCredential says what credential a query parameter name carries.
func queryCredential(name string) (string, bool) {
	switch name {
	case "access_token":
		return "an access token", true
	case "refresh_token":
		return "a refresh token", true
	case "id_token":
		return "an ID token", true
	case "api_key":
		return "the API key", true
	case "apikey":
		return "the API key", true
	case "x-api-key":
		return "the API key", true
	case "client_secret":
		return "the client secret", true
	}
	return "", false
}

func credentialInQueryString(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	var out []Finding
	for i, c := range ig.Calls {
		if c.Query.Raw == "" || !isContioCall(ig, c) {
			continue
		}
		for _, part := range strings.Split(c.Query.Raw, "&") {
			name, _, _ := strings.Cut(part, "=")
			if n, err := url.QueryUnescape(name); err == nil {
				name = n
			}
			what, ok := queryCredential(strings.ToLower(name))
			if !ok {
				continue
			}
			out = append(out, Finding{
				Message:  fmt.Sprintf("%s sends %s in the query parameter %q", callLabel(i, c), what, name),
				Location: callAt(c, c.Query),
				Evidence: fmt.Sprintf("query parameter %q (value not shown)", name),
				Commands: []string{exampleCurl(ig, callMethod(c), c.Path.Raw)},
			})
		}
	}
	return out, nil
}
