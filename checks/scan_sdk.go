package checks

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// Official SDK 1.9.0 options and calls that it silently ignores or that
// cannot work (contio-doctor scan). Guide entries as the config checks
// for the same outcome: the scopes a token ends up with, the code exchange.

var _ = register(&Check{
	ID:    "CD3601",
	Name:  "code-sdk-scopes-option",
	Guide: contio.GuideInsufficientScope,
	Title: "The SDK is given `scopes:`, an option it ignores (the option is `scope`)",
	Symptom: "Calls outside meetings answer insufficient_scope; the authorization URL carries only openid, profile, " +
		"meetings:read and meetings:write.",
	Cause: "SDK 1.9.0 reads the scope list from the `scope` option. A `scopes` key is ignored without a warning, so the " +
		"authorization request falls back to the SDK's four default scopes.",
	Fix:      "Rename the option to `scope: [...]` in forUser / new OAuthClient, then sign the user in again to get a token with those scopes.",
	Verifies: "SDK options name their scopes `scope`.",
	Severity: SeverityError,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, o := range code.SDKOptions {
			at, ok := o.Keys["scopes"]
			if !ok {
				continue
			}
			if _, both := o.Keys["scope"]; both {
				continue
			}
			out = append(out, Finding{
				Message:  fmt.Sprintf("%s is given scopes: %s, which SDK 1.9.0 ignores; it requests %s instead", o.Callee, listOrUnknown(o.Lists["scopes"]), strings.Join(contio.SDKDefaultScopes, " ")),
				Location: at,
			})
		}
		return out, nil
	},
})

func listOrUnknown(l []string) string {
	if len(l) == 0 {
		return "(not a literal list)"
	}
	return "[" + strings.Join(l, " ") + "]"
}

var _ = register(&Check{
	ID:      "CD3602",
	Name:    "code-sdk-authorization-url-scope-argument",
	Guide:   contio.GuideInsufficientScope,
	Title:   "getAuthorizationUrl is given a scope list as its second argument",
	Symptom: "The consent screen and the issued token lack the scopes the code lists; calls that need them answer insufficient_scope.",
	Cause: "In SDK 1.9.0 the second argument of getAuthorizationUrl(state, options) is an options object ({ loginHint }). " +
		"An array there is ignored; the scopes come only from the client's `scope` option (or the four defaults).",
	Fix:      "Call getAuthorizationUrl(state) and put the scope list in the client's options: forUser({ ..., scope: [...] }).",
	Verifies: "getAuthorizationUrl's second argument is an options object.",
	Severity: SeverityError,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, c := range code.SDKCalls {
			if c.Method != "getAuthorizationUrl" || len(c.Args) < 2 || c.Args[1] != "array" {
				continue
			}
			out = append(out, Finding{Message: "getAuthorizationUrl(state, [scopes]) ignores the array; the URL carries the client's configured or default scopes", Location: c.At})
		}
		return out, nil
	},
})

var _ = register(&Check{
	ID:    "CD3603",
	Name:  "code-oauth-error-code-test",
	Guide: contio.GuideInvalidGrant,
	Title: "Code tests error.code after an OAuth-client call, whose errors have no code",
	Symptom: "An expired or reused authorization code is not handled as planned: the `invalid_grant` branch never runs " +
		"and users see a generic error.",
	Cause: "The SDK's OAuthClient (exchangeCodeForToken, refreshAccessToken, …) throws a plain Error whose message holds " +
		"the server's answer; it has no `code` property. Only the API clients throw ContioAPIError with a code.",
	Fix: "Test the message (e.g. /invalid_grant/.test(err.message)) or catch the HTTP status yourself; on invalid_grant " +
		"restart the sign-in for a fresh code.",
	Verifies: "no error.code tests after OAuth-client calls.",
	Severity: SeverityWarning,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, t := range code.ErrorCodeTests {
			out = append(out, Finding{
				Message:  fmt.Sprintf("error.code === %q after %s never matches: the OAuth client's errors carry no code", t.Code, t.Method),
				Location: t.At,
			})
		}
		return out, nil
	},
})

var _ = register(&Check{
	ID:      "CD2601",
	Name:    "code-redirect-uri-not-registered",
	Guide:   contio.GuideInvalidRequest,
	Title:   "The redirect URI written in code is not one the config lists as registered",
	Symptom: "The authorization step fails with invalid_request (redirect_uri mismatch) before the user sees the consent screen.",
	Cause: "The redirect URI sent must equal a registered one character for character. The code's literal (or its " +
		"fallback after ||/??) differs from every URI under oauth.registered_redirect_uris.",
	Fix:      "Use the exact URI registered in the Partner Dashboard (scheme, host, port, path, trailing slash), or register the one the code uses.",
	Verifies: "redirect URIs in code are among the registered ones.",
	Severity: SeverityError,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		ig := in.Integration
		var registered []string
		for _, v := range ig.OAuth.RegisteredRedirectURIs {
			registered = append(registered, v.Raw)
		}
		if len(registered) == 0 {
			return nil, nil // nothing to compare with: the config checks speak for the config
		}
		var out []Finding
		for _, v := range code.RedirectURIs() {
			if slices.Contains(registered, v.Raw) {
				continue
			}
			out = append(out, Finding{
				Message:  fmt.Sprintf("redirectUri %q is not among the registered URIs %v", v.Raw, registered),
				Location: v.From,
			})
		}
		return out, nil
	},
})
