package checks

// The error responses a HAR capture holds, one check per guide entry so
// each lands under its heading in the report. Responses with the same
// method, path, status and code are one finding that lists their entries
// and request_ids.

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// harCallGuide maps an observed failed call to its guide entry by its
// code, then by its status. A 401 without a code on a request that sent
// no credentials is no auth-scheme problem (there was no scheme): on an
// OAuth page it is the client that was not recognised, elsewhere it stays
// unclassified.
func harCallGuide(c integration.Call) contio.GuideKey {
	status, code := c.Status, c.ErrorCode
	switch code {
	case "invalid_grant":
		return contio.GuideInvalidGrant
	case "invalid_request", "unsupported_grant_type", "unsupported_response_type", "invalid_scope":
		return contio.GuideInvalidRequest
	case "session_expired":
		return contio.GuideSessionExpired
	case "invalid_code":
		return contio.GuideInvalidCode
	case "invalid_client":
		return contio.GuideInvalidClient
	case "insufficient_scope":
		return contio.GuideInsufficientScope
	case "method_not_allowed":
		return contio.GuideMethodNotAllowed
	case "missing_client_id":
		return contio.GuideMissingClientID
	case "rate_limit_exceeded":
		return contio.GuideRateLimitExceeded
	case "invalid_token", "unauthorized":
		return contio.GuideAuthMethod
	}
	switch {
	case status == 0 || status >= 500:
		return contio.GuideNetworkError
	case status == 429:
		return contio.GuideRateLimitExceeded
	case status == 405:
		return contio.GuideMethodNotAllowed
	case status == 401 && c.Auth.Raw == integration.AuthNone:
		if contio.ClassOf(c.Path.Raw) == contio.ClassOAuth {
			return contio.GuideInvalidClient
		}
		return contio.GuideNone
	case status == 401:
		return contio.GuideAuthMethod
	case status == 403:
		return contio.GuideInsufficientScope
	}
	return contio.GuideNone
}

// harErrorRoot names the root cause an observed error shares with the
// findings of other checks: the server's missing_client_id is the same
// mistake as the call without X-Client-ID that CD4201 sees in the same
// capture; invalid_client, the same as CD1501's rejected client.
func harErrorRoot(code string) Root {
	switch code {
	case "missing_client_id":
		return missingClientIDRt
	case "invalid_client":
		return clientRoot
	}
	return Root{}
}

// harEntryRoot is the root of what went wrong at one entry of a capture.
func harEntryRoot(entry int) Root { return Root{Kind: "har_entry", Subject: strconv.Itoa(entry)} }

// harErrorCheck is one guide entry's check over observed error responses.
type harErrorCheck struct {
	id, name string
	guide    contio.GuideKey
	title    string
	symptom  string
	cause    string
	fix      string
	severity Severity
}

var _ = func() bool {
	for _, h := range []harErrorCheck{
		{"CD1450", "observed-invalid-client", contio.GuideInvalidClient,
			"The capture shows calls rejected with invalid_client",
			"Token, introspection or sign-in calls answer 401 invalid_client.",
			"Contio did not recognise the client: the client_id or client_secret is wrong (a typo, stray whitespace, the other environment's pair), or the partner app is deactivated.",
			"Compare the client_id and client_secret your code sends with the Partner Dashboard, fix how the Basic header is built, and ask Contio support if the app may be deactivated.",
			SeverityError},
		{"CD2450", "observed-invalid-grant", contio.GuideInvalidGrant,
			"The capture shows code or refresh-token exchanges rejected with invalid_grant",
			"POST /oauth2/token answers 400 invalid_grant.",
			"The authorization code or refresh token was expired, already used, issued to another client, or the redirect_uri did not match the authorization request.",
			"Exchange each code once, within 5 minutes, with the same redirect_uri; keep the newest refresh token after every refresh. The flow checks (CD2401-CD2403, CD3401) name the exact cause when the capture shows it." + sdkInvalidGrantFix,
			SeverityError},
		{"CD2451", "observed-invalid-request", contio.GuideInvalidRequest,
			"The capture shows requests rejected with invalid_request",
			"OAuth calls answer 400 invalid_request (or an unsupported grant or response type).",
			"A required parameter is missing, malformed or different from what the authorization request sent (redirect_uri most often).",
			"Read the message of each response below, send every required parameter, and use the exact redirect_uri registered for the app.",
			SeverityError},
		{"CD2452", "observed-session-expired", contio.GuideSessionExpired,
			"The capture shows sign-in steps rejected with session_expired",
			"Consent or authorization answers session_expired.",
			"The session opened by OTP verification lasts 30 minutes; the consent step came later, or without a verified session.",
			"Send the user back to sign in with a new code when consent fails with session_expired, and keep the sign-in and consent steps close together.",
			SeverityError},
		{"CD2453", "observed-invalid-code", contio.GuideInvalidCode,
			"The capture shows OTP verification rejected with invalid_code",
			"/auth/verify answers invalid_code.",
			"The one-time code was wrong, already used, or older than 3 minutes.",
			"Let the user ask for a new code when verification fails, and verify within 3 minutes of /auth/initiate.",
			SeverityWarning},
		{"CD3450", "observed-insufficient-scope", contio.GuideInsufficientScope,
			"The capture shows calls rejected for a missing scope",
			"User API calls answer 403 insufficient_scope.",
			"The access token does not carry the scope the endpoint requires: it was not requested, or the user did not grant it.",
			"Request the endpoint's scope in the authorization request and have the user consent again; check the token's scopes with POST /oauth2/introspect." + sdkScopeFix,
			SeverityError},
		{"CD4450", "observed-method-not-allowed", contio.GuideMethodNotAllowed,
			"The capture shows calls answered 405 Method Not Allowed",
			"Calls answer 405 method_not_allowed.",
			"The path exists but not with that HTTP method (GET where POST is needed, PUT for PATCH, or the other way round).",
			"Use the method the API documents for the path; the Allow header of the response lists the ones it serves.",
			SeverityError},
		{"CD4451", "observed-missing-client-id", contio.GuideMissingClientID,
			"The capture shows admin calls rejected for a missing X-Client-ID",
			"Admin API calls answer missing_client_id.",
			"Admin calls need the X-Client-ID header next to X-API-Key; the request did not carry it.",
			"Send X-Client-ID with your client_id on every /v1/partner/admin call.",
			SeverityError},
		{"CD4452", "observed-unauthorized", contio.GuideAuthMethod,
			"The capture shows calls rejected as unauthenticated",
			"Calls answer 401 invalid_token or unauthorized.",
			"The call used the wrong scheme for its path (a Bearer token on an admin path, an API key on a user path), or an expired or revoked token.",
			"User paths take `Authorization: Bearer <access token>`, admin paths `X-API-Key` plus `X-Client-ID`, OAuth endpoints HTTP Basic; refresh expired tokens before calling.",
			SeverityError},
		{"CD5450", "observed-rate-limited", contio.GuideRateLimitExceeded,
			"The capture shows calls answered 429 Too Many Requests",
			"Calls answer 429 rate_limit_exceeded.",
			"The app sent more requests than the endpoint class allows: per credential and minute user 100, admin 50, OAuth 20 by the " +
				"troubleshooting guide; per IP address and rolling 5 minutes 1,000, 500 and 100 by the API guide (AWS WAF), shared by " +
				"everything your servers send from one address.",
			"Spread or cache requests, and after a 429 wait as long as Retry-After (or until X-RateLimit-Reset) says before trying again; " +
				"a rolling 5-minute window does not clear a minute after the burst." + sdkRateLimitFix,
			SeverityWarning},
		{"CD6450", "observed-server-errors", contio.GuideNetworkError,
			"The capture shows requests without a response or answered with a server error",
			"Requests fail with no response, or with 5xx.",
			"The request never got an answer (network, proxy, TLS or a blocked request) or the server failed.",
			"Check connectivity and proxies for requests without a response; retry 5xx with backoff and quote the request_id to Contio support when it persists.",
			SeverityWarning},
		{"CD4499", "observed-other-errors", contio.GuideNone,
			"The capture shows other error responses",
			"Calls answer 4xx errors the guide does not list.",
			"Each response's code and message say what the API refused.",
			"Read each response's message; quote its request_id to Contio support if it is unclear.",
			SeverityWarning},
	} {
		register(&Check{
			ID: h.id, Name: h.name, Guide: h.guide, Title: h.title,
			Symptom: h.symptom, Cause: h.cause, Fix: h.fix,
			Verifies: "no Contio call in the capture answered with an error of this kind.",
			Severity: h.severity,
			Needs:    NeedsConfig | NeedsCapture,
			Run: func(_ context.Context, in *Input) ([]Finding, error) {
				return harErrorFindings(in.Integration, h.guide), nil
			},
		})
	}
	return true
}()

// harFailed reports whether an observed call failed: an error status, no
// response at all, or a redirect that carries an error back to the app
// (RFC 6749 §4.1.2.1). A user who chose Deny (access_denied) is no fault.
func harFailed(c integration.Call) bool {
	if !c.Observed || c.ErrorCode == "access_denied" {
		return false
	}
	return c.Status >= 400 || c.Status == 0 || c.Status >= 300 && c.Status < 400 && c.ErrorCode != ""
}

func harErrorFindings(ig *integration.Integration, guide contio.GuideKey) []Finding {
	type group struct {
		calls []integration.Call
	}
	groups := map[string]*group{}
	var order []string
	for _, c := range ig.Calls {
		if !harFailed(c) || harCallGuide(c) != guide {
			continue
		}
		key := fmt.Sprintf("%s %s %d %s", callMethod(c), harPathTemplate(c), c.Status, c.ErrorCode)
		if groups[key] == nil {
			groups[key] = &group{}
			order = append(order, key)
		}
		groups[key].calls = append(groups[key].calls, c)
	}
	var out []Finding
	for _, key := range order {
		g := groups[key]
		first := g.calls[0]
		answer := fmt.Sprintf("%d", first.Status)
		if first.Status == 0 {
			answer = "no response"
		}
		if first.ErrorCode != "" {
			answer += " " + first.ErrorCode
		}
		msg := fmt.Sprintf("%s %s answered %s", callMethod(first), first.Path.Raw, answer)
		if len(g.calls) > 1 {
			msg = fmt.Sprintf("%s %s answered %s %d times (entries %s)", callMethod(first), harPathTemplate(first), answer, len(g.calls), harEntryList(g.calls))
		} else {
			msg += fmt.Sprintf(" (entry %d)", first.At.HAREntry)
		}
		var ids []string
		for _, c := range g.calls {
			if c.RequestID != "" && len(ids) < 5 {
				ids = append(ids, c.RequestID)
			}
		}
		var evs []string
		if first.ErrorMessage != "" {
			// The server's own words: the docs' error_description or the spec's message.
			evs = append(evs, fmt.Sprintf("said: %q", clip(first.ErrorMessage, 200)))
		}
		if len(ids) > 0 {
			ev := "request_id: " + strings.Join(ids, ", ")
			if n := countRequestIDs(g.calls); n > len(ids) {
				ev += fmt.Sprintf(" and %d more", n-len(ids))
			}
			evs = append(evs, ev)
		}
		ev := strings.Join(evs, "\n")
		root := harErrorRoot(first.ErrorCode)
		if first.ErrorCode == "invalid_grant" {
			// A refused exchange another check explains (a reused code)
			// names the entry: both findings are then one problem.
			root = harEntryRoot(first.At.HAREntry)
		}
		out = append(out, Finding{Root: root, Message: msg, Location: first.At, RequestID: first.RequestID, Evidence: ev})
	}
	return out
}

func countRequestIDs(calls []integration.Call) int {
	n := 0
	for _, c := range calls {
		if c.RequestID != "" {
			n++
		}
	}
	return n
}

// harPathTemplate is the catalogue's template for an observed path (so
// /meetings/1 and /meetings/2 group), or the path itself.
func harPathTemplate(c integration.Call) string {
	if ep, _ := contio.Lookup(callMethod(c), c.Path.Raw); ep != nil {
		return ep.Path
	}
	return c.Path.Raw
}

// harEntryList is "3, 7, 9" (at most eight, then "…").
func harEntryList(calls []integration.Call) string {
	idx := make([]int, 0, len(calls))
	for _, c := range calls {
		idx = append(idx, c.At.HAREntry)
	}
	sort.Ints(idx)
	var parts []string
	for i, n := range idx {
		if i == 8 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprint(n))
	}
	return strings.Join(parts, ", ")
}

// clip shortens s to at most n bytes on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
