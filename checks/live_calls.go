package checks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
)

var _ = register(&Check{
	ID:      "CD4503",
	Name:    "declared-calls-answer",
	Guide:   contio.GuideAuthMethod,
	Title:   "A declared read call fails when sent the way the app sends it",
	Symptom: "A call the app makes answers 401, 403 or 404 in production.",
	Cause: "The call uses the wrong credential for its path (an API key on /v1/partner/user/*, a Bearer token on " +
		"/v1/partner/admin/*), lacks X-Client-ID, or names a path the API does not serve.",
	Fix: "Use a Bearer access token on user endpoints and X-API-Key plus X-Client-ID on admin endpoints; " +
		"correct the path as the finding says.",
	Verifies: "Each declared read-only call to a concrete path answers 2xx with the declared credentials (writes are never sent).",
	Severity: SeverityError,
	Needs:    NeedsNetwork | NeedsCalls,
	Safety:   1,
	Requires: needs(accessIntro, clientAuth),
	Run:      declaredCallsAnswer,
})

func declaredCallsAnswer(ctx context.Context, in *Input) ([]Finding, error) {
	l, err := liveHosts.Of(ctx, in)
	if err != nil {
		return nil, err
	}
	ig := in.Integration
	// Select the calls first, then send them in parallel: the run costs
	// one round trip for all of them.
	type replay struct {
		i   int
		c   integration.Call
		req probe.Request
	}
	var todo []replay
	for i, c := range ig.Calls {
		method := strings.ToUpper(c.Method.Raw)
		path := c.Path.Raw
		ep, _ := contio.Lookup(method, path)
		if method != http.MethodGet || ep == nil || !ep.SafeProbe || strings.Contains(path, "{") {
			continue // only safe reads of concrete paths are replayed
		}
		if ep.Class != contio.ClassUser && ep.Class != contio.ClassAdmin {
			continue // OAuth and public endpoints have their own checks
		}
		h, ok := declaredAuthHeader(ig, c)
		if !ok {
			continue // the credential it would use is not configured
		}
		u, err := l.apiEndpoint(path)
		if err != nil {
			return nil, err
		}
		if c.Query.Raw != "" {
			u += "?" + c.Query.Raw
		}
		todo = append(todo, replay{i, c, probe.Request{Method: method, URL: u, Class: ep.Class, Credentialed: true, Header: h,
			Purpose: "replay the declared call " + callLabel(i, c) + " (read-only)"}})
	}
	// Sent beside the introspection, not after it: a refusal it explains
	// (inactive token, a scope not granted) is that problem's.
	type answer struct {
		resp *probe.Response
		err  error
	}
	answers := make([]answer, len(todo))
	var wg sync.WaitGroup
	for i, r := range todo {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := l.send(ctx, in, r.req, sendOptions{})
			answers[i] = answer{resp, err}
		}()
	}
	wg.Wait()
	var out []Finding
	var blocked, skipped error
	sent := 0
	for i, a := range answers {
		c, label := todo[i].c, callLabel(todo[i].i, todo[i].c)
		if a.err != nil {
			var found *diagnosis.FoundError
			switch {
			case errors.As(a.err, &found):
				for _, f := range found.Findings {
					f.Message = label + ": " + f.Message
					f.Location = c.At
					out = append(out, f)
				}
			case isBlocker(a.err):
				blocked = cmpErr(blocked, a.err)
			default:
				if _, ok := IsSkip(a.err); ok {
					skipped = cmpErr(skipped, a.err)
					continue // out of budget or quota: report what was learned
				}
				return nil, a.err
			}
			continue
		}
		sent++
		if a.resp.Status == http.StatusUnauthorized && c.HasHeader("X-Client-ID") {
			if b := clientExplains(ctx, in, todo[i].req.Header.Get("X-Client-Id")); b != nil {
				blocked = cmpErr(blocked, b)
				continue
			}
		}
		if a.resp.Status == http.StatusUnauthorized || a.resp.Status == http.StatusForbidden {
			if strings.EqualFold(c.Auth.Raw, integration.AuthBearer) {
				ep, _ := contio.Lookup(strings.ToUpper(c.Method.Raw), c.Path.Raw)
				if b := tokenExplains(ctx, in, ep.Scope); b != nil {
					blocked = cmpErr(blocked, b)
					continue
				}
			}
		}
		out = append(out, apiAnswerFindings(a.resp, label, c.At)...)
	}
	switch {
	case len(out) > 0:
		return out, nil
	case blocked != nil:
		return nil, blocked
	case sent == 0 && skipped != nil:
		return nil, skipped
	case sent == 0:
		return nil, Skip("no declared call is a read of a concrete user or admin path with configured credentials", "declare the GET calls your app makes under calls")
	}
	return nil, nil
}

func isBlocker(err error) bool { _, ok := diagnosis.AsBlocker(err); return ok }

// cmpErr keeps the first error.
func cmpErr(have, next error) error {
	if have != nil {
		return have
	}
	return next
}

// declaredAuthHeader builds the headers a call sends by its declared
// scheme; ok is false when the needed credential is not configured.
func declaredAuthHeader(ig *integration.Integration, c integration.Call) (http.Header, bool) {
	h := http.Header{"Accept": {"application/json"}}
	switch strings.ToLower(c.Auth.Raw) {
	case integration.AuthBearer:
		if ig.Tokens.AccessToken.Empty() {
			return nil, false
		}
		h.Set("Authorization", "Bearer "+ig.Tokens.AccessToken.Raw)
	case integration.AuthAPIKey:
		if ig.Admin.APIKey.Empty() {
			return nil, false
		}
		h.Set("X-Api-Key", ig.Admin.APIKey.Raw)
	case integration.AuthBasic:
		if ig.OAuth.ClientSecret.Empty() {
			return nil, false
		}
		h.Set("Authorization", basicAuth(ig.OAuth.ClientID.Raw, ig.OAuth.ClientSecret.Raw))
	case integration.AuthNone:
	default:
		return nil, false
	}
	if c.HasHeader("X-Client-ID") {
		id := ig.Admin.ClientID.Raw
		if id == "" {
			id = ig.OAuth.ClientID.Raw
		}
		h.Set("X-Client-Id", id)
	}
	return h, true
}

var _ = register(&Check{
	ID:      "CD5501",
	Name:    "rate-limit-headroom",
	Guide:   contio.GuideRateLimitExceeded,
	Title:   "An endpoint class is out of rate-limit quota",
	Symptom: "Calls answer 429 rate_limit_exceeded.",
	Cause: "The app (or another process sharing its credentials) used up the class's quota: 100/min for the user API, " +
		"50/min for the admin API, 20/min for OAuth.",
	Fix: "Wait for the reset the finding names; then spread calls out, cache reads, and back off on 429 using " +
		"Retry-After or X-RateLimit-Reset." + sdkRateLimitFix,
	Verifies: "No probe answered 429 and every class has more than a tenth of its quota left (the report's notes give the numbers).",
	Severity: SeverityWarning,
	Needs:    NeedsNetwork,
	Safety:   1,
	Late:     true,
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		var out []Finding
		for _, rl := range in.Probe.RateLimits() {
			switch {
			case rl.Hit:
				out = append(out, Finding{
					Root:      quotaRoot(rl.Class),
					Message:   fmt.Sprintf("%s endpoints answered 429; the doctor stopped probing them; quota resets %s", rl.Class, rl.ResetString()),
					Evidence:  quotaEvidence(rl),
					RequestID: rl.RequestID,
				})
			case rl.Limit > 0 && rl.Remaining >= 0 && rl.Remaining*10 < rl.Limit:
				out = append(out, Finding{
					Root:     quotaRoot(rl.Class),
					Message:  fmt.Sprintf("%s endpoints have %d of %d requests left in this window; resets %s", rl.Class, rl.Remaining, rl.Limit, rl.ResetString()),
					Evidence: quotaEvidence(rl),
				})
			}
		}
		return out, nil
	},
})

func quotaEvidence(rl probe.RateLimit) string {
	parts := []string{}
	if rl.Limit > 0 {
		parts = append(parts, fmt.Sprintf("X-RateLimit-Limit %d", rl.Limit))
	}
	if rl.Remaining >= 0 {
		parts = append(parts, fmt.Sprintf("X-RateLimit-Remaining %d", rl.Remaining))
	}
	if !rl.Reset.IsZero() {
		parts = append(parts, fmt.Sprintf("X-RateLimit-Reset %d", rl.Reset.Unix()))
	}
	if rl.RetryAfter > 0 {
		parts = append(parts, fmt.Sprintf("Retry-After %s", rl.RetryAfter))
	}
	return strings.Join(parts, ", ")
}

var _ = register(&Check{
	ID:    "CD6506",
	Name:  "credential-redirect",
	Guide: contio.GuideNone,
	Title: "A URL that receives credentials answers with a redirect",
	Symptom: "Requests that carry a secret are bounced to another URL; clients that follow may send the secret there, " +
		"or turn a POST into a GET.",
	Cause:    "A base URL is not the final one (http→https, a missing or extra path segment, a proxy's login page).",
	Fix:      "Configure the final URL in api_url/auth_url so no credential-bearing request is redirected.",
	Verifies: "No credential-bearing probe was answered with a redirect (the doctor never follows one).",
	Severity: SeverityError,
	Needs:    NeedsNetwork,
	Safety:   1,
	Late:     true,
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		var out []Finding
		for _, ex := range in.Probe.Exchanges() {
			r := ex.Response
			if r == nil || !ex.Request.Credentialed || r.Redirect == "" {
				continue
			}
			out = append(out, Finding{
				Root:      redirectRoot(hostPart(ex.Request.URL)),
				Message:   fmt.Sprintf("%s %s answered %d with Location %s", ex.Request.Method, stripQuery(ex.Request.URL), r.Status, r.Redirect),
				RequestID: r.RequestID,
			})
		}
		return out, nil
	},
})

func stripQuery(u string) string {
	s, _, _ := strings.Cut(u, "?")
	return s
}
