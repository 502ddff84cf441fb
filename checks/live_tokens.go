package checks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

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
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		l, err := liveOf(in)
		if err != nil {
			return nil, err
		}
		ig := in.Integration
		if len(ig.OAuth.Scopes) == 0 {
			return nil, Skip("no scopes configured", "set oauth.scopes")
		}
		cc, err := l.clientCredentials(ctx, ig)
		if err != nil {
			if s := budgetOrLimited(err); s != nil {
				return nil, s
			}
			return nil, Skip("the client credentials could not be checked", "see CD1501")
		}
		if !cc.accepted {
			return nil, Skip("the client credentials were rejected, and the scope list needs them", "fix the client credentials first (CD1501)")
		}
		u, err := l.authEndpoint("/oauth2/scopes")
		if err != nil {
			return nil, err
		}
		resp, err := l.Probe.Do(ctx, probe.Request{Method: "GET", URL: u, Class: contio.ClassOAuth, Credentialed: true,
			Header: http.Header{"Authorization": {cc.header}, "Accept": {"application/json"}}, Purpose: "read the scope catalogue"})
		if err != nil {
			if s := budgetOrLimited(err); s != nil {
				return nil, s
			}
			return nil, fmt.Errorf("GET /oauth2/scopes: %w", err)
		}
		if resp.Status != http.StatusOK {
			return nil, fmt.Errorf("GET /oauth2/scopes answered %d %s%s", resp.Status, orNone(resp.Code), requestIDNote(resp))
		}
		var body struct {
			Scopes []string `json:"scopes"`
		}
		if err := json.Unmarshal(resp.Body, &body); err != nil || body.Scopes == nil {
			// The SDK also tolerates a bare array.
			if json.Unmarshal(resp.Body, &body.Scopes) != nil {
				return nil, fmt.Errorf("GET /oauth2/scopes: unexpected body%s", requestIDNote(resp))
			}
		}
		var out []Finding
		for _, s := range ig.OAuth.Scopes {
			for _, name := range strings.FieldsFunc(s.Raw, func(r rune) bool { return r == ' ' || r == ',' }) {
				if !slices.Contains(body.Scopes, name) {
					out = append(out, Finding{
						Message:   fmt.Sprintf("scope %q is not in the server's catalogue (%d scopes)%s", name, len(body.Scopes), requestIDNote(resp)),
						Location:  s.From,
						RequestID: resp.RequestID,
					})
				}
			}
		}
		return out, nil
	},
})

// accessIntrospection introspects the configured access token, turning
// probe failures into skips or errors.
func accessIntrospection(ctx context.Context, in *Input, refresh bool) (*introspection, error) {
	l, err := liveOf(in)
	if err != nil {
		return nil, err
	}
	tok := in.Integration.Tokens.AccessToken.Raw
	if refresh {
		tok = in.Integration.Tokens.RefreshToken.Raw
	}
	r, err := l.introspect(ctx, in.Integration, tok)
	if err != nil {
		if s, ok := IsSkip(err); ok {
			return nil, s
		}
		if s := budgetOrLimited(err); s != nil {
			return nil, s
		}
		return nil, transportError("POST /oauth2/introspect", err)
	}
	if r.info == nil {
		return nil, fmt.Errorf("introspection answered HTTP %d %s%s", r.resp.Status, orNone(r.resp.Code), requestIDNote(r.resp))
	}
	return r, nil
}

// activeAccess is accessIntrospection for checks that need an active token.
func activeAccess(ctx context.Context, in *Input) (*introspection, error) {
	r, err := accessIntrospection(ctx, in, false)
	if err != nil {
		return nil, err
	}
	if !r.info.Active {
		return nil, Skip("the access token is not active", "see CD3510; connect again to get a fresh token")
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
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		r, err := accessIntrospection(ctx, in, false)
		if err != nil {
			return nil, err
		}
		if r.info.Active {
			return nil, nil
		}
		return []Finding{{
			Message:   "introspection says the access token is not active" + requestIDNote(r.resp),
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
			Message:   "the access token is active but has no scopes: consent was never completed" + requestIDNote(r.resp),
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
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		r, err := activeAccess(ctx, in)
		if err != nil {
			return nil, err
		}
		granted := r.info.Scopes()
		if len(granted) == 0 {
			return nil, Skip("the token has no scopes at all", "see CD3511")
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
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		r, err := activeAccess(ctx, in)
		if err != nil {
			return nil, err
		}
		granted := r.info.Scopes()
		if len(granted) == 0 {
			return nil, Skip("the token has no scopes at all", "see CD3511")
		}
		var out []Finding
		for i, c := range in.Integration.Calls {
			scope := contio.ScopeFor(strings.ToUpper(c.Method.Raw), c.Path.Raw)
			if scope == "" || slices.Contains(granted, scope) {
				continue
			}
			out = append(out, Finding{
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
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		r, err := accessIntrospection(ctx, in, true)
		if err != nil {
			return nil, err
		}
		if r.info.Active {
			return nil, nil
		}
		return []Finding{{
			Message:   "introspection says the refresh token is not active; the next refresh will fail with invalid_grant" + requestIDNote(r.resp),
			Location:  in.Integration.Tokens.RefreshToken.From,
			RequestID: r.resp.RequestID,
		}}, nil
	},
})
