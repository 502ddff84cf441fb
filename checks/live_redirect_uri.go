package checks

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/probe"
)

var _ = register(&Check{
	ID:    "CD2501",
	Name:  "redirect-uri-accepted",
	Guide: contio.GuideInvalidRequest,
	Title: "The authorization server rejects the redirect URI",
	Symptom: "Users who click \"Connect\" see an error page from Contio instead of the sign-in screen; " +
		"no code ever reaches the callback.",
	Cause: "The redirect_uri the app sends is not registered for this client, character for character " +
		"(a trailing slash, http vs https, another port or path).",
	Fix:      "Register the exact redirect_uri in the Partner Dashboard, or change the app to send the registered one.",
	Verifies: "GET /oauth2/authorize with the configured client_id, redirect_uri and scopes is accepted (sign-in starts).",
	Severity: SeverityError,
	Needs:    NeedsNetwork,
	Safety:   1,
	Requires: needs(authorize),
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		ar, err := authorizeOf(ctx, in)
		if err != nil {
			return nil, err
		}
		if ar.code == "invalid_request" || ar.code == "redirect_uri_mismatch" || (ar.code != "" && strings.Contains(strings.ToLower(ar.msg), "redirect")) {
			return []Finding{{
				Root:      redirectURIRoot(in.Integration.OAuth.RedirectURI.Raw),
				Message:   fmt.Sprintf("GET /oauth2/authorize rejected redirect_uri %q: %s %s", in.Integration.OAuth.RedirectURI.Raw, ar.code, ar.msg),
				Location:  in.Integration.OAuth.RedirectURI.From,
				RequestID: ar.resp.RequestID,
			}}, nil
		}
		if ar.code == "invalid_client" || ar.code == "unauthorized_client" {
			return nil, clientBlocker(ar.resp)
		}
		return nil, nil
	},
})

var _ = register(&Check{
	ID:       "CD3501",
	Name:     "scopes-approved",
	Guide:    contio.GuidePartialScope,
	Title:    "The authorization server refuses a requested scope",
	Symptom:  "The authorization request fails with invalid_scope, or tokens come back without some of the requested scopes.",
	Cause:    "The app asks for a scope it is not approved for, or for a scope name that does not exist.",
	Fix:      "Request only scopes the Partner Dashboard shows as approved for the app, spelled exactly as the scope catalogue lists them.",
	Verifies: "GET /oauth2/authorize with the configured scopes raises no invalid_scope.",
	Severity: SeverityError,
	Needs:    NeedsNetwork,
	Safety:   1,
	Requires: needs(authorize),
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		ar, err := authorizeOf(ctx, in)
		if err != nil {
			return nil, err
		}
		if ar.code != "invalid_scope" {
			return nil, nil
		}
		return []Finding{{
			Message:   fmt.Sprintf("GET /oauth2/authorize answered invalid_scope: %s", ar.msg),
			Location:  in.Integration.OAuth.ScopesFrom,
			RequestID: ar.resp.RequestID,
		}}, nil
	},
})

type authorizeResult struct {
	resp *probe.Response
	code string
	msg  string
}

// authorize sends the authorization request the app would send, without
// following the redirect, and reads any error from the JSON body or from
// the error parameter of a redirect.
var authorize = &diagnosis.Fact[*authorizeResult]{Name: "authorization request", Requires: probing,
	Compute: func(ctx context.Context, in *Input) (*authorizeResult, error) {
		l, err := liveHosts.Of(ctx, in)
		if err != nil {
			return nil, err
		}
		ig := in.Integration
		base, err := l.authEndpoint("/oauth2/authorize")
		if err != nil {
			return nil, err
		}
		var scopes []string
		for _, s := range ig.OAuth.Scopes {
			scopes = append(scopes, s.Raw)
		}
		q := url.Values{
			"client_id":     {ig.OAuth.ClientID.Raw},
			"redirect_uri":  {ig.OAuth.RedirectURI.Raw},
			"response_type": {"code"},
			"state":         {"doctor-" + randomToken(8)},
		}
		if len(scopes) > 0 {
			q.Set("scope", strings.Join(scopes, " "))
		}
		resp, err := l.send(ctx, in, probe.Request{Method: "GET", URL: base + "?" + q.Encode(), Class: contio.ClassOAuth,
			Header: http.Header{"Accept": {"application/json"}}, Purpose: "start an authorization request (read-only; no one signs in)"},
			sendOptions{ownsClient: true, ownsRedirect: true})
		if err != nil {
			return nil, err
		}
		ar := &authorizeResult{resp: resp, code: resp.Code, msg: resp.Message}
		if ar.code == "" && resp.Redirect != "" {
			// An error sent back to the redirect URI (only for a valid
			// redirect_uri): ?error=invalid_scope&error_description=…
			if u, perr := url.Parse(resp.Redirect); perr == nil {
				ar.code, ar.msg = u.Query().Get("error"), u.Query().Get("error_description")
			}
		}
		if ar.code == "" && resp.Status >= 400 {
			ar.code = "http_" + fmt.Sprint(resp.Status)
		}
		return ar, nil
	}}

// authorizeOf is authorize for a config that can build the request.
func authorizeOf(ctx context.Context, in *Input) (*authorizeResult, error) {
	ig := in.Integration
	if ig.OAuth.ClientID.Empty() || ig.OAuth.RedirectURI.Empty() {
		return nil, Skip("no client_id or redirect_uri configured", "set oauth.client_id and oauth.redirect_uri")
	}
	return authorize.Of(ctx, in)
}
