package checks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/probe"
)

var _ = register(&Check{
	ID:       "CD3502",
	Name:     "scope-catalogue",
	Guide:    contio.GuidePartialScope,
	Title:    "A requested scope is not in the server's scope catalogue",
	Symptom:  "Tokens come back without a scope the app asked for, or the authorization request fails with invalid_scope.",
	Cause:    "The scope name is misspelled or does not exist on this server.",
	Fix:      "Use the names GET /oauth2/scopes returns, exactly as written.",
	Verifies: "Every configured scope is in the list GET /oauth2/scopes returns.",
	Severity: SeverityError,
	Needs:    NeedsNetwork | NeedsClientSecret,
	Safety:   1,
	Requires: needs(clientAuth),
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		l, err := liveHosts.Of(ctx, in)
		if err != nil {
			return nil, err
		}
		ig := in.Integration
		if len(ig.OAuth.Scopes) == 0 {
			return nil, Skip("no scopes configured", "set oauth.scopes")
		}
		cc, err := acceptedClient(ctx, in)
		if err != nil {
			return nil, err
		}
		u, err := l.authEndpoint("/oauth2/scopes")
		if err != nil {
			return nil, err
		}
		resp, err := l.send(ctx, in, probe.Request{Method: "GET", URL: u, Class: contio.ClassOAuth, Credentialed: true,
			Header: http.Header{"Authorization": {cc.header}, "Accept": {"application/json"}}, Purpose: "read the scope catalogue"},
			sendOptions{json: true})
		if err != nil {
			return nil, err
		}
		if resp.Status != http.StatusOK {
			return nil, Skip(fmt.Sprintf("GET /oauth2/scopes answered %d %s, so the catalogue cannot be compared", resp.Status, orNone(resp.Code)), "check the scopes against the documented list (CD3002)")
		}
		var body struct {
			Scopes []string `json:"scopes"`
		}
		if err := json.Unmarshal(resp.Body, &body); err != nil || body.Scopes == nil {
			// The SDK also tolerates a bare array.
			if json.Unmarshal(resp.Body, &body.Scopes) != nil {
				return nil, Skip("GET /oauth2/scopes answered a body of an unknown shape", "check the scopes against the documented list (CD3002)")
			}
		}
		var out []Finding
		for _, s := range ig.OAuth.Scopes {
			for _, name := range strings.FieldsFunc(s.Raw, func(r rune) bool { return r == ' ' || r == ',' }) {
				if !slices.Contains(body.Scopes, name) {
					out = append(out, Finding{
						Root:      unknownScopeRoot(name),
						Message:   fmt.Sprintf("scope %q is not in the server's catalogue (%d scopes)", name, len(body.Scopes)),
						Location:  s.From,
						RequestID: resp.RequestID,
					})
				}
			}
		}
		return out, nil
	},
})

// tokenIntrospection introspects the configured access (or refresh)
// token; an answer other than 200 blocks under the problem it names.
func tokenIntrospection(ctx context.Context, in *Input, refresh bool) (*introspection, error) {
	f := accessIntro
	if refresh {
		f = refreshIntro
	}
	r, err := f.Of(ctx, in)
	if err != nil {
		return nil, err
	}
	if r.info == nil {
		return nil, Skip(fmt.Sprintf("introspection answered HTTP %d %s", r.resp.Status, orNone(r.resp.Code)), "run with -v to see the exchange")
	}
	return r, nil
}

// activeAccess is tokenIntrospection for checks that need an active
// token: an inactive one blocks them under CD3510's problem.
func activeAccess(ctx context.Context, in *Input) (*introspection, error) {
	r, err := tokenIntrospection(ctx, in, false)
	if err != nil {
		return nil, err
	}
	if !r.info.Active {
		return nil, &diagnosis.Blocker{Root: tokenInactiveRoot, Check: "CD3510", Reason: "the access token is not active",
			Finding: Finding{Message: "introspection says the access token is not active"}}
	}
	return r, nil
}

var _ = register(&Check{
	ID:      "CD3510",
	Name:    "access-token-active",
	Guide:   contio.GuideInvalidGrant,
	Title:   "The access token is expired or revoked",
	Symptom: "User API calls answer 401, and refreshing may fail with invalid_grant.",
	Cause: "Introspection says the token is not active: it expired (access tokens live 24 hours), the user " +
		"revoked the connection, or the token was revoked after its code was replayed.",
	Fix:      "Refresh it with the refresh token; if that fails with invalid_grant, send the user through the OAuth flow again." + sdkInvalidGrantFix,
	Verifies: "POST /oauth2/introspect says the configured access token is active.",
	Severity: SeverityError,
	Needs:    NeedsNetwork | NeedsAccessToken | NeedsClientSecret,
	Safety:   1,
	Requires: needs(accessIntro),
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		r, err := tokenIntrospection(ctx, in, false)
		if err != nil {
			return nil, err
		}
		if r.info.Active {
			return nil, nil
		}
		return []Finding{{
			Root:      tokenInactiveRoot,
			Message:   "introspection says the access token is not active",
			Evidence:  `introspection answered {"active":false}`,
			Location:  in.Integration.Tokens.AccessToken.From,
			RequestID: r.resp.RequestID,
		}}, nil
	},
})

var _ = register(&Check{
	ID:      "CD3511",
	Name:    "access-token-has-scopes",
	Guide:   contio.GuideInsufficientScope,
	Title:   "The access token carries no scopes",
	Symptom: "Every user API call answers 403 insufficient_scope although the token is valid.",
	Cause: "The user never finished the consent screen (an automated flow that skipped it, or an interrupted one), " +
		"the authorization URL had no scope parameter, or the user later revoked consent.",
	Fix: "Send the user through the full flow again: authorize URL with the scopes → sign-in with the e-mailed code → " +
		"consent screen, where they click Allow → code exchange. Consent cannot be skipped." + sdkScopeFix,
	Verifies: "Introspection of the access token shows at least one scope.",
	Severity: SeverityError,
	Needs:    NeedsNetwork | NeedsAccessToken | NeedsClientSecret,
	Safety:   1,
	Requires: needs(accessIntro),
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		r, err := activeAccess(ctx, in)
		if err != nil {
			return nil, err
		}
		if len(r.info.Scopes()) > 0 {
			return nil, nil
		}
		ev := `introspection: active, scope ""`
		if !r.info.scopePresent {
			ev = "introspection: active, no scope field"
		}
		return []Finding{{
			Root:      noScopesRoot,
			Message:   "the access token is active but has no scopes: consent was never completed",
			Evidence:  ev,
			Commands:  []string{introspectCommand(in.Integration)},
			Location:  in.Integration.Tokens.AccessToken.From,
			RequestID: r.resp.RequestID,
		}}, nil
	},
})

var _ = register(&Check{
	ID:       "CD3512",
	Name:     "access-token-partial-scopes",
	Guide:    contio.GuidePartialScope,
	Title:    "The access token has fewer scopes than the app requests",
	Symptom:  "Some user API calls work and others answer 403 insufficient_scope.",
	Cause:    "The user unticked some permissions on the consent screen, or the app is not approved for some scopes.",
	Fix:      "Read the granted scopes (introspection) and degrade gracefully, or ask the user to connect again and allow everything the feature needs." + sdkScopeFix,
	Verifies: "Every configured scope appears in the token's introspected scopes.",
	Severity: SeverityWarning,
	Needs:    NeedsNetwork | NeedsAccessToken | NeedsClientSecret,
	Safety:   1,
	Requires: needs(accessIntro),
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		r, err := activeAccess(ctx, in)
		if err != nil {
			return nil, err
		}
		granted := r.info.Scopes()
		if len(granted) == 0 {
			return nil, noScopesBlocker()
		}
		var missing []string
		for _, s := range in.Integration.OAuth.Scopes {
			if !slices.Contains(granted, s.Raw) && contio.KnownScope(s.Raw) {
				missing = append(missing, s.Raw)
			}
		}
		if len(missing) == 0 {
			return nil, nil
		}
		return []Finding{{
			Root:      partialConsentRoot,
			Message:   fmt.Sprintf("the token lacks %d requested scope(s): %s", len(missing), strings.Join(missing, ", ")),
			Evidence:  "granted: " + strings.Join(granted, " "),
			Commands:  []string{introspectCommand(in.Integration)},
			Location:  in.Integration.OAuth.ScopesFrom,
			RequestID: r.resp.RequestID,
		}}, nil
	},
})

var _ = register(&Check{
	ID:       "CD3513",
	Name:     "access-token-call-scopes",
	Guide:    contio.GuideInsufficientScope,
	Title:    "The access token lacks a scope a declared call needs",
	Symptom:  "A specific call the app makes answers 403 insufficient_scope.",
	Cause:    "The token was granted without the scope this endpoint requires.",
	Fix:      "Request the scope in the authorization URL and have the user consent again, or stop making the call for users who declined it." + sdkScopeFix,
	Verifies: "Each declared user call's required scope is among the token's introspected scopes.",
	Severity: SeverityError,
	Needs:    NeedsNetwork | NeedsAccessToken | NeedsClientSecret | NeedsCalls,
	Safety:   1,
	Requires: needs(accessIntro),
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		r, err := activeAccess(ctx, in)
		if err != nil {
			return nil, err
		}
		granted := r.info.Scopes()
		if len(granted) == 0 {
			return nil, noScopesBlocker()
		}
		var out []Finding
		for i, c := range in.Integration.Calls {
			scope := contio.ScopeFor(strings.ToUpper(c.Method.Raw), c.Path.Raw)
			if scope == "" || slices.Contains(granted, scope) {
				continue
			}
			// Asked for and not granted: the user declined it at consent
			// (partial_scope); never asked for: the request's mistake.
			root, guide := partialConsentRoot, contio.GuidePartialScope
			if !slices.Contains(requestedScopes(in.Integration), scope) {
				root, guide = Root{Kind: "scope_not_requested", Subject: scope}, ""
			}
			out = append(out, Finding{
				Root:      root,
				Guide:     guide,
				Message:   fmt.Sprintf("%s needs scope %s, which the token does not have", callLabel(i, c), scope),
				Evidence:  "granted: " + strings.Join(granted, " "),
				Location:  c.At,
				RequestID: r.resp.RequestID,
			})
		}
		return out, nil
	},
})

var _ = register(&Check{
	ID:       "CD3514",
	Name:     "access-token-client",
	Guide:    contio.GuideInvalidGrant,
	Title:    "The access token was issued to another client",
	Symptom:  "Calls with this token work in one environment but the app cannot refresh or manage it.",
	Cause:    "The token belongs to a different partner app (another environment's client_id, or a token copied from another project).",
	Fix:      "Use a token obtained through this app's own OAuth flow.",
	Verifies: "The introspected client_id equals oauth.client_id.",
	Severity: SeverityError,
	Needs:    NeedsNetwork | NeedsAccessToken | NeedsClientSecret,
	Safety:   1,
	Requires: needs(accessIntro),
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		r, err := activeAccess(ctx, in)
		if err != nil {
			return nil, err
		}
		want := in.Integration.OAuth.ClientID.Raw
		if r.info.ClientID == "" || r.info.ClientID == want {
			return nil, nil
		}
		return []Finding{{
			Message:   fmt.Sprintf("the access token was issued to client %q, not to the configured %q", r.info.ClientID, want),
			Location:  in.Integration.Tokens.AccessToken.From,
			RequestID: r.resp.RequestID,
		}}, nil
	},
})

// tokenExpiryWarn: an access token closer than this to expiry is noted.
const tokenExpiryWarn = time.Hour

var _ = register(&Check{
	ID:       "CD3515",
	Name:     "access-token-expiry",
	Guide:    contio.GuideInvalidGrant,
	Title:    "The access token is about to expire",
	Symptom:  "Calls start failing with 401 within the hour unless the app refreshes the token.",
	Cause:    "Access tokens live 24 hours; this one is near its end.",
	Fix:      "Make sure the app refreshes before expiry (compare expires_at with the clock, with a margin of a few minutes).",
	Verifies: "The access token has more than an hour left.",
	Severity: SeverityInfo,
	Needs:    NeedsNetwork | NeedsAccessToken | NeedsClientSecret,
	Safety:   1,
	Requires: needs(accessIntro),
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		r, err := activeAccess(ctx, in)
		if err != nil {
			return nil, err
		}
		if r.info.Exp == 0 {
			return nil, nil
		}
		left := time.Unix(r.info.Exp, 0).Sub(probeNow(in))
		if left > tokenExpiryWarn {
			return nil, nil
		}
		return []Finding{{
			Message:   fmt.Sprintf("the access token expires in %s (at %s)", left.Round(time.Minute), time.Unix(r.info.Exp, 0).UTC().Format(time.RFC3339)),
			Location:  in.Integration.Tokens.AccessToken.From,
			RequestID: r.resp.RequestID,
		}}, nil
	},
})

var _ = register(&Check{
	ID:      "CD3520",
	Name:    "refresh-token-active",
	Guide:   contio.GuideInvalidGrant,
	Title:   "The refresh token is expired or revoked",
	Symptom: "The next refresh fails with invalid_grant and the user is silently disconnected.",
	Cause: "Introspection says the refresh token is not active: it is older than 30 days, it was rotated " +
		"(each refresh returns a new one and the old one stops working), or the user revoked the connection.",
	Fix: "Store the new refresh token from every refresh response. When a refresh fails with invalid_grant, " +
		"send the user through the OAuth flow again." + sdkInvalidGrantFix,
	Verifies: "POST /oauth2/introspect says the configured refresh token is active (the doctor never refreshes: that would rotate it).",
	Severity: SeverityError,
	Needs:    NeedsNetwork | NeedsRefreshToken | NeedsClientSecret,
	Safety:   1,
	Requires: needs(refreshIntro),
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		r, err := tokenIntrospection(ctx, in, true)
		if err != nil {
			return nil, err
		}
		if r.info.Active {
			return nil, nil
		}
		return []Finding{{
			Message:   "introspection says the refresh token is not active; the next refresh will fail with invalid_grant",
			Location:  in.Integration.Tokens.RefreshToken.From,
			RequestID: r.resp.RequestID,
		}}, nil
	},
})

func noScopesBlocker() *diagnosis.Blocker {
	return &diagnosis.Blocker{Root: noScopesRoot, Check: "CD3511", Reason: "the access token carries no scopes",
		Finding: Finding{Message: "the access token is active but has no scopes"}}
}
