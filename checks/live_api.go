package checks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
)

var _ = register(&Check{
	ID:      "CD4501",
	Name:    "user-api-profile",
	Guide:   contio.GuideAuthMethod,
	Title:   "The user API rejects the access token",
	Symptom: "GET /v1/partner/user/profile answers 401 or 403 with the configured token.",
	Cause: "A 401 means the token is not accepted at all (expired, revoked, not a Contio access token, or sent " +
		"with the wrong scheme); a 403 means it lacks the profile scope.",
	Fix:      "Send the access token as \"Authorization: Bearer <token>\" on /v1/partner/user/*; refresh or reconnect on 401, request the profile scope on 403.",
	Verifies: "GET /v1/partner/user/profile with the Bearer token answers 200.",
	Severity: SeverityError,
	Needs:    NeedsNetwork | NeedsAccessToken,
	Safety:   1,
	Requires: needs(accessIntro),
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		l, err := liveHosts.Of(ctx, in)
		if err != nil {
			return nil, err
		}
		ig := in.Integration
		u, err := l.apiEndpoint(contio.UserPrefix + "/profile")
		if err != nil {
			return nil, err
		}
		// The call goes out beside the introspection, not after it; a
		// refusal that introspection explains is that problem's, not ours.
		resp, err := l.send(ctx, in, probe.Request{Method: "GET", URL: u, Class: contio.ClassUser, Credentialed: true,
			Header:  http.Header{"Authorization": {"Bearer " + ig.Tokens.AccessToken.Raw}, "Accept": {"application/json"}},
			Purpose: "read the user's profile (the cheapest authenticated call)"}, sendOptions{json: true})
		if err != nil {
			return nil, err
		}
		if resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden {
			if b := tokenExplains(ctx, in, "profile"); b != nil {
				return nil, b
			}
		}
		return apiAnswerFindings(resp, "GET /v1/partner/user/profile", ig.Tokens.AccessToken.From), nil
	},
})

// tokenExplains returns the blocker when introspection already explains
// why a Bearer call was refused: the token is inactive, has no scopes, or
// lacks the scope the call needs.
func tokenExplains(ctx context.Context, in *Input, scope string) *diagnosis.Blocker {
	if in.Integration.OAuth.ClientSecret.Empty() {
		return nil
	}
	r, err := accessIntro.Of(ctx, in)
	if err != nil || r.info == nil {
		if b, ok := diagnosis.AsBlocker(err); ok {
			return b
		}
		return nil
	}
	switch {
	case !r.info.Active:
		return &diagnosis.Blocker{Root: tokenInactiveRoot, Check: "CD3510", Reason: "the access token is not active (see CD3510)",
			Finding: Finding{Message: "introspection says the access token is not active", RequestID: r.resp.RequestID}}
	case len(r.info.Scopes()) == 0:
		return &diagnosis.Blocker{Root: noScopesRoot, Check: "CD3511", Reason: "the access token carries no scopes (see CD3511)",
			Finding: Finding{Message: "the access token is active but has no scopes"}}
	case scope != "" && !slices.Contains(r.info.Scopes(), scope):
		root := partialConsentRoot
		if !slices.Contains(requestedScopes(in.Integration), scope) {
			root = Root{Kind: "scope_not_requested", Subject: scope}
		}
		return &diagnosis.Blocker{Root: root, Check: "CD3513", Reason: "the access token lacks the " + scope + " scope",
			Finding: Finding{Guide: contio.GuideInsufficientScope, Message: "the access token lacks the " + scope + " scope"}}
	}
	return nil
}

// clientExplains returns the client-credential blocker when an admin call
// was refused while sending, as X-Client-ID, the client_id the token
// endpoint already rejected: a wrong client_id (swapped with the secret,
// another environment's) is one problem, not three.
func clientExplains(ctx context.Context, in *Input, sent string) *diagnosis.Blocker {
	ig := in.Integration
	if sent == "" || sent != ig.OAuth.ClientID.Raw || ig.OAuth.ClientSecret.Empty() {
		return nil
	}
	cc, err := clientAuth.Of(ctx, in)
	if err != nil || cc.accepted {
		return nil
	}
	return clientBlocker(cc.resp)
}

// apiAnswerFindings explains a non-2xx answer of the user or admin API.
func apiAnswerFindings(resp *probe.Response, what string, loc integration.Source) []Finding {
	if resp.Status >= 200 && resp.Status < 300 {
		return nil
	}
	f := Finding{
		Message:   fmt.Sprintf("%s answered %d %s", what, resp.Status, orNone(resp.Code)),
		Location:  loc,
		RequestID: resp.RequestID,
	}
	if wa := resp.Header.Get("WWW-Authenticate"); wa != "" {
		f.Evidence = "WWW-Authenticate: " + wa
	}
	wa := strings.ToLower(resp.Header.Get("WWW-Authenticate"))
	switch {
	case resp.Redirect != "":
		f.Message = fmt.Sprintf("%s answered %d with a redirect to %s (not followed)", what, resp.Status, resp.Redirect)
		f.Cause = "api_url points at a host or path that redirects; following it could send the credential to another host."
		f.Fix = "Configure the final URL directly in api_url."
	case resp.Status == http.StatusUnauthorized && strings.Contains(wa, "invalid_token"):
		f.Cause = "The token is expired, revoked or unknown to the API."
		f.Fix = "Refresh the token, or send the user through the OAuth flow again if the refresh fails."
	case resp.Status == http.StatusForbidden || resp.Code == "insufficient_scope":
		f.Guide = contio.GuideInsufficientScope
		f.Cause = "The token is valid but lacks the scope this endpoint needs."
		f.Fix = "Request the scope in the authorization URL and have the user consent again."
		if i := strings.Index(wa, `scope="`); i >= 0 {
			f.Message += "; required scope: " + strings.SplitN(wa[i+7:], `"`, 2)[0]
		}
	case resp.Code == "missing_client_id":
		f.Guide, f.Root = contio.GuideMissingClientID, missingClientIDRt
		f.Cause = "Admin endpoints need both X-API-Key and X-Client-ID; the client ID header was missing or empty."
		f.Fix = "Send X-Client-ID with the app's client_id on every /v1/partner/admin/* call."
	case resp.Status == http.StatusNotFound:
		f.Guide = contio.GuideNone
		f.Cause = "The API does not serve this path: a typo, a path from another API version, or a resource that does not exist."
		f.Fix = "Check the path against the endpoint catalogue (contio-doctor checks lists the path checks)."
	}
	return []Finding{f}
}

var _ = register(&Check{
	ID:      "CD4502",
	Name:    "admin-api-app",
	Guide:   contio.GuideMissingClientID,
	Title:   "The admin API rejects the API key and client ID",
	Symptom: "Admin calls answer 401, or missing_client_id.",
	Cause: "The API key is wrong or rotated, the X-Client-ID header is missing, or the key belongs to another app " +
		"than the client ID names.",
	Fix: "Send both headers on every /v1/partner/admin/* call: X-API-Key with the key from the Partner Dashboard and " +
		"X-Client-ID with the app's client_id.",
	Verifies: "GET /v1/partner/admin/app with X-API-Key and X-Client-ID answers 200.",
	Severity: SeverityError,
	Needs:    NeedsNetwork | NeedsAPIKey,
	Safety:   1,
	Requires: needs(adminApp, clientAuth),
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		ar, err := adminApp.Of(ctx, in)
		if err != nil {
			return nil, err
		}
		if ar.resp.Status == http.StatusUnauthorized {
			if b := clientExplains(ctx, in, in.Integration.Admin.ClientID.Raw); b != nil {
				return nil, b
			}
		}
		loc := in.Integration.Admin.APIKey.From
		if ar.resp.Code == "missing_client_id" {
			loc = in.Integration.Admin.ClientID.From
		}
		return apiAnswerFindings(ar.resp, "GET /v1/partner/admin/app", loc), nil
	},
})

type adminAppResult struct {
	resp *probe.Response
	app  struct {
		ClientID       string `json:"client_id"`
		Status         string `json:"status"`
		WebhookURL     string `json:"webhook_url"`
		WebhookEnabled *bool  `json:"webhook_enabled"`
	}
}

// adminApp reads GET /v1/partner/admin/app with the API key.
var adminApp = &diagnosis.Fact[*adminAppResult]{Name: "admin app", Requires: probing,
	Compute: func(ctx context.Context, in *Input) (*adminAppResult, error) {
		l, err := liveHosts.Of(ctx, in)
		if err != nil {
			return nil, err
		}
		ig := in.Integration
		u, err := l.apiEndpoint(contio.AdminPrefix + "/app")
		if err != nil {
			return nil, err
		}
		h := http.Header{"X-Api-Key": {ig.Admin.APIKey.Raw}, "Accept": {"application/json"}}
		if id := ig.Admin.ClientID.Raw; id != "" {
			h.Set("X-Client-Id", id)
		}
		resp, err := l.send(ctx, in, probe.Request{Method: "GET", URL: u, Class: contio.ClassAdmin, Credentialed: true,
			Header: h, Purpose: "read the partner app's settings with the API key"}, sendOptions{json: true})
		if err != nil {
			return nil, err
		}
		ar := &adminAppResult{resp: resp}
		if resp.Status == http.StatusOK {
			_ = json.Unmarshal(resp.Body, &ar.app)
		}
		return ar, nil
	}}

var _ = register(&Check{
	ID:      "CD7601",
	Name:    "webhook-registration",
	Guide:   contio.GuideWebhookSignature,
	Title:   "The webhook URL registered at Contio differs from the configured one",
	Symptom: "Deliveries go to another URL than the receiver you configured, or do not go out at all.",
	Cause: "The app's webhook_url in the Partner Dashboard is not the URL in this config, or webhooks are disabled for the app: by hand, " +
		"or automatically, which Contio does once 50 deliveries have been abandoned after their retries or no delivery has succeeded " +
		"for more than 72 hours while failures pile up. While disabled, events that pass the filter are kept as pending, not sent.",
	Fix: "Set the webhook URL in the Partner Dashboard to the receiver the config names. If webhooks are off, first make the receiver " +
		"answer 2xx within 5 seconds (deliveries that kept failing are what switches them off), then re-enable with " +
		"PUT /v1/partner/admin/webhook-status (the SDK's updateWebhookStatus) and say what to do with the backlog: " +
		"pending_disposition \"deliver\" sends the pending events, \"abandon\" drops them.",
	Verifies: "GET /v1/partner/admin/app shows webhooks enabled for the configured webhook URL.",
	Severity: SeverityWarning,
	Needs:    NeedsNetwork | NeedsAPIKey | NeedsWebhook,
	Safety:   1,
	Requires: needs(adminApp),
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		ar, err := adminApp.Of(ctx, in)
		if err != nil {
			return nil, err
		}
		if ar.resp.Status != http.StatusOK {
			return nil, Skip("the admin API did not answer with the app", "see CD4502")
		}
		want := in.Integration.Webhooks.URL.Raw
		var out []Finding
		if ar.app.WebhookURL != want {
			got := ar.app.WebhookURL
			if got == "" {
				got = "(none)"
			}
			out = append(out, Finding{
				Message:   fmt.Sprintf("Contio delivers webhooks to %s, but the config names %s", got, want),
				Location:  in.Integration.Webhooks.URL.From,
				RequestID: ar.resp.RequestID,
			})
		}
		if ar.app.WebhookEnabled != nil && !*ar.app.WebhookEnabled {
			out = append(out, Finding{
				Message: "webhooks are disabled for this app, so nothing is delivered; new events are kept as pending until they are re-enabled " +
					"(Contio also disables them by itself after 50 abandoned deliveries or 72 hours without a successful one)",
				Fix: "Fix what made deliveries fail first (the receiver must answer 2xx within 5 seconds), then re-enable webhooks with " +
					"PUT /v1/partner/admin/webhook-status (SDK: updateWebhookStatus), choosing pending_disposition \"deliver\" to receive the " +
					"pending events or \"abandon\" to drop them.",
				Location:  in.Integration.Webhooks.URL.From,
				RequestID: ar.resp.RequestID,
			})
		}
		return out, nil
	},
})
