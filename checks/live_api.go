package checks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

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
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		l, err := liveOf(in)
		if err != nil {
			return nil, err
		}
		ig := in.Integration
		// Check the token against the introspection first: no request is
		// sent that is known to fail.
		if !ig.OAuth.ClientSecret.Empty() {
			if r, ierr := accessIntrospection(ctx, in, false); ierr == nil {
				if !r.info.Active {
					return nil, Skip("the access token is not active, so the call would answer 401 (see CD3510)", "connect again for a fresh token")
				}
				if !slices.Contains(r.info.Scopes(), "profile") {
					return nil, Skip("the token has no profile scope, so the profile call would answer 403 (see CD3511-CD3513)", "request the profile scope")
				}
			}
		}
		u, err := l.apiEndpoint(contio.UserPrefix + "/profile")
		if err != nil {
			return nil, err
		}
		resp, err := l.Probe.Do(ctx, probe.Request{Method: "GET", URL: u, Class: contio.ClassUser, Credentialed: true,
			Header:  http.Header{"Authorization": {"Bearer " + ig.Tokens.AccessToken.Raw}, "Accept": {"application/json"}},
			Purpose: "read the user's profile (the cheapest authenticated call)"})
		if err != nil {
			if s := budgetOrLimited(err); s != nil {
				return nil, s
			}
			return nil, transportError("GET /v1/partner/user/profile", err)
		}
		if resp.Code == "invalid_client" {
			return nil, errAppRejected(resp)
		}
		return apiAnswerFindings(resp, "GET /v1/partner/user/profile", ig.Tokens.AccessToken.From), nil
	},
})

// apiAnswerFindings explains a non-2xx answer of the user or admin API.
func apiAnswerFindings(resp *probe.Response, what string, loc integration.Source) []Finding {
	if resp.Status >= 200 && resp.Status < 300 {
		return nil
	}
	f := Finding{
		Message:   fmt.Sprintf("%s answered %d %s%s", what, resp.Status, orNone(resp.Code), requestIDNote(resp)),
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
		f.Cause = "The token is valid but lacks the scope this endpoint needs."
		f.Fix = "Request the scope in the authorization URL and have the user consent again."
		if i := strings.Index(wa, `scope="`); i >= 0 {
			f.Message += "; required scope: " + strings.SplitN(wa[i+7:], `"`, 2)[0]
		}
	case resp.Code == "missing_client_id":
		f.Cause = "Admin endpoints need both X-API-Key and X-Client-ID; the client ID header was missing or empty."
		f.Fix = "Send X-Client-ID with the app's client_id on every /v1/partner/admin/* call."
	case resp.Status >= 500:
		f.Severity = SeverityWarning
		f.Cause = "The API failed on its side."
		f.Fix = "Retry later; if it persists, contact Contio support with the request_id."
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
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		ar, err := adminApp(ctx, in)
		if err != nil {
			return nil, err
		}
		if ar.netErr != nil {
			return nil, transportError("GET /v1/partner/admin/app", ar.netErr)
		}
		if ar.resp.Code == "invalid_client" {
			return nil, errAppRejected(ar.resp)
		}
		loc := in.Integration.Admin.APIKey.From
		if ar.resp.Code == "missing_client_id" {
			loc = in.Integration.Admin.ClientID.From
		}
		return apiAnswerFindings(ar.resp, "GET /v1/partner/admin/app", loc), nil
	},
})

type adminAppResult struct {
	resp   *probe.Response
	netErr error
	app    struct {
		ClientID       string `json:"client_id"`
		Status         string `json:"status"`
		WebhookURL     string `json:"webhook_url"`
		WebhookEnabled *bool  `json:"webhook_enabled"`
	}
}

// adminApp reads GET /v1/partner/admin/app once per run.
func adminApp(ctx context.Context, in *Input) (*adminAppResult, error) {
	l, err := liveOf(in)
	if err != nil {
		return nil, err
	}
	ig := in.Integration
	v, err := l.Probe.Once("admin-app", func() (any, error) {
		u, err := l.apiEndpoint(contio.AdminPrefix + "/app")
		if err != nil {
			return nil, err
		}
		h := http.Header{"X-Api-Key": {ig.Admin.APIKey.Raw}, "Accept": {"application/json"}}
		if id := ig.Admin.ClientID.Raw; id != "" {
			h.Set("X-Client-Id", id)
		}
		resp, err := l.Probe.Do(ctx, probe.Request{Method: "GET", URL: u, Class: contio.ClassAdmin, Credentialed: true,
			Header: h, Purpose: "read the partner app's settings with the API key"})
		if err != nil {
			if s := budgetOrLimited(err); s != nil {
				return nil, s
			}
			return &adminAppResult{netErr: err}, nil
		}
		ar := &adminAppResult{resp: resp}
		if resp.Status == http.StatusOK {
			_ = json.Unmarshal(resp.Body, &ar.app)
		}
		return ar, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*adminAppResult), nil
}

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
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		ar, err := adminApp(ctx, in)
		if err != nil {
			return nil, err
		}
		if ar.netErr != nil || ar.resp.Status != http.StatusOK {
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
