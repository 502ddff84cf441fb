package checks

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// The header each path wants, judged on calls whose URL and headers are
// visible in one call site (contio-doctor scan). Same guide entries as
// the config checks CD4101–CD4103, CD4201 and CD4001: one problem each.

func codeCallLabel(c integration.CodeCall) string {
	m := c.Method
	if m == "" {
		m = "?"
	}
	return fmt.Sprintf("%s %s (%s)", m, c.Path, c.Lib)
}

func headerAt(c integration.CodeCall, name string) integration.Source {
	if h, ok := c.Header(name); ok && h.At.Line > 0 {
		return h.At
	}
	return c.At
}

var _ = register(&Check{
	ID:      "CD4601",
	Name:    "code-bearer-to-oauth-client-endpoint",
	Guide:   contio.GuideAuthMethod,
	Title:   "Code sends a Bearer token to an OAuth endpoint that wants Basic client credentials",
	Symptom: "POST /oauth2/token (or introspect/revoke) answers invalid_client or 401 although the token is valid.",
	Cause: "The token, introspection and revocation endpoints authenticate the client, not a user: they want " +
		"`Authorization: Basic base64(client_id:client_secret)`. An access token there identifies no client.",
	Fix:      "Send Basic client credentials to /oauth2/token, /oauth2/introspect and /oauth2/revoke; keep Bearer for /v1/partner/user/*.",
	Verifies: "calls in code to client-authenticated OAuth endpoints do not send Bearer.",
	Severity: SeverityError,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, c := range code.Calls {
			if !strings.HasPrefix(c.Path, "/oauth2/") || c.Auth() != integration.AuthBearer {
				continue
			}
			if auth, _, ok := expectedAuth(c.Path); !ok || auth != contio.AuthBasic {
				continue
			}
			out = append(out, Finding{Message: codeCallLabel(c) + " sends Authorization: Bearer; the endpoint wants Basic client credentials", Location: headerAt(c, "Authorization")})
		}
		return out, nil
	},
})

var _ = register(&Check{
	ID:      "CD4602",
	Name:    "code-api-key-to-user-path",
	Guide:   contio.GuideAuthMethod,
	Title:   "Code sends X-API-Key to a /v1/partner/user/* path",
	Symptom: "User endpoints answer 401 although the API key works on admin endpoints.",
	Cause: "/v1/partner/user/* acts for a signed-in user and takes only `Authorization: Bearer <access token>`. The API key " +
		"is for /v1/partner/admin/* and is ignored or refused here.",
	Fix:      "Send the user's access token as `Authorization: Bearer …` to /v1/partner/user/*; use the API key only on admin paths.",
	Verifies: "calls in code to user paths do not send X-API-Key.",
	Severity: SeverityError,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, c := range code.Calls {
			if contio.ClassOf(c.Path) != contio.ClassUser {
				continue
			}
			if _, ok := c.Header("X-API-Key"); ok {
				out = append(out, Finding{Message: codeCallLabel(c) + " sends X-API-Key to a user path", Location: headerAt(c, "X-API-Key")})
			}
		}
		return out, nil
	},
})

var _ = register(&Check{
	ID:       "CD4603",
	Name:     "code-bearer-to-admin-path",
	Guide:    contio.GuideAuthMethod,
	Title:    "Code sends a Bearer token to a /v1/partner/admin/* path",
	Symptom:  "Admin endpoints answer 401 although the user's token works on user endpoints.",
	Cause:    "/v1/partner/admin/* acts for your partner app, not a user: it takes `X-API-Key` plus `X-Client-ID`, and an access token is not accepted there.",
	Fix:      "Send `X-API-Key: <API key>` and `X-Client-ID: <client ID>` to admin paths, with no Authorization header.",
	Verifies: "calls in code to admin paths do not send Bearer.",
	Severity: SeverityError,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, c := range code.Calls {
			if contio.ClassOf(c.Path) == contio.ClassAdmin && c.Auth() == integration.AuthBearer {
				out = append(out, Finding{Message: codeCallLabel(c) + " sends Authorization: Bearer to an admin path", Location: headerAt(c, "Authorization")})
			}
		}
		return out, nil
	},
})

var _ = register(&Check{
	ID:      "CD4604",
	Name:    "code-admin-without-client-id",
	Guide:   contio.GuideMissingClientID,
	Title:   "An admin call or forAdmin(...) in code has no X-Client-ID / clientId",
	Symptom: "Admin endpoints answer missing_client_id (or 401) although the API key is right.",
	Cause: "Admin calls need the app's OAuth client ID in X-Client-ID beside X-API-Key. The SDK sends it only when " +
		"forAdmin (or the SDK constructor) is given clientId; forAdmin({ apiKey }) alone leaves it out.",
	Fix:      "Pass clientId: process.env.CONTIO_CLIENT_ID to forAdmin, or add `X-Client-ID` to the headers of hand-written admin calls.",
	Verifies: "admin calls and admin SDK clients in code carry the client ID.",
	Severity: SeverityError,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, c := range code.Calls {
			if contio.ClassOf(c.Path) != contio.ClassAdmin || !c.HeadersKnown {
				continue
			}
			if _, ok := c.Header("X-Client-ID"); ok {
				continue
			}
			if _, ok := c.Header("X-API-Key"); !ok && c.Auth() != integration.AuthNone {
				continue // CD4603 reports the wrong scheme
			}
			out = append(out, Finding{Message: codeCallLabel(c) + " sends no X-Client-ID", Location: c.At})
		}
		for _, o := range code.SDKOptions {
			if !adminOptions(o) || o.Spread {
				continue
			}
			if _, ok := o.Keys["clientId"]; ok {
				continue
			}
			out = append(out, Finding{Message: o.Callee + " is given apiKey without clientId, so the SDK sends no X-Client-ID", Location: o.At})
		}
		return out, nil
	},
})

// adminOptions: options that make an admin client.
func adminOptions(o integration.SDKOptions) bool {
	_, key := o.Keys["apiKey"]
	switch o.Callee {
	case "forAdmin", "new ApiKeyClient":
		return true
	case "new ContioPartnerSDK":
		return key
	}
	return false
}

var _ = register(&Check{
	ID:      "CD4605",
	Name:    "code-method-not-allowed",
	Guide:   contio.GuideMethodNotAllowed,
	Title:   "Code calls an endpoint with a method it does not serve (GET to a POST-only endpoint)",
	Symptom: "The call answers 405 Method Not Allowed.",
	Cause: "The endpoint accepts only the methods in the API reference; fetch() without a method option sends GET, which " +
		"the POST-only endpoints (the token endpoint, actions that execute something) refuse.",
	Fix:      "Send the method the endpoint serves: add method: 'POST' (and a body) to the call.",
	Verifies: "calls in code use a method their endpoint serves.",
	Severity: SeverityError,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, c := range code.Calls {
			if c.Method == "" {
				continue
			}
			ep, allowed := contio.Lookup(c.Method, c.Path)
			if ep != nil || len(allowed) == 0 || slices.Contains(allowed, c.Method) {
				continue
			}
			out = append(out, Finding{
				Message:  fmt.Sprintf("%s: %s serves %s, not %s", codeCallLabel(c), contio.Template(c.Path), strings.Join(allowed, ", "), c.Method),
				Location: c.MethodAt,
			})
		}
		return out, nil
	},
})
