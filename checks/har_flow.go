package checks

// Capture-only checks of the OAuth and sign-in flow's order and timing:
// what a HAR shows that no config can (CD2401-CD2405, CD3401, CD3402).

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/redact"
)

var _ = register(&Check{
	ID:      "CD2401",
	Name:    "har-code-exchanged-late",
	Guide:   contio.GuideInvalidGrant,
	Title:   "An authorization code was exchanged more than 5 minutes after it was issued",
	Symptom: "The token exchange answers 400 invalid_grant although the code looks right.",
	Cause: "Authorization codes live 5 minutes. The capture shows the app redeeming the code later than that: a slow callback, " +
		"a queue between the callback and the exchange, or a code kept for later.",
	Fix:      "Exchange the code for tokens in the callback request itself, as soon as it arrives; never store a code to redeem it later." + sdkInvalidGrantFix,
	Verifies: "every code exchange in the capture came within 5 minutes of the code being issued.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCapture,
	Run:      harCodeExchangedLate,
})

var _ = register(&Check{
	ID:      "CD2402",
	Name:    "har-code-exchanged-twice",
	Guide:   contio.GuideInvalidGrant,
	Title:   "The same authorization code was exchanged more than once",
	Symptom: "A second token exchange answers invalid_grant, and the tokens from the first stop working.",
	Cause: "A code is single-use; presenting it again makes the server revoke what it issued. Typical causes: a retry of the " +
		"token request after a timeout, a callback handler running twice (page reload, double mount), or two workers sharing the code.",
	Fix: "Redeem each code exactly once: do not retry the code exchange automatically, and make the callback handler idempotent " +
		"(remember the state value it already handled)." + sdkInvalidGrantFix,
	Verifies: "no authorization code in the capture was presented to /oauth2/token twice.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCapture,
	Run:      harCodeExchangedTwice,
})

var _ = register(&Check{
	ID:      "CD2403",
	Name:    "har-token-redirect-uri-mismatch",
	Guide:   contio.GuideInvalidRequest,
	Title:   "The token request's redirect_uri differs from the authorization request's",
	Symptom: "The code exchange is rejected (invalid_request or invalid_grant) right after a successful sign-in.",
	Cause: "The redirect_uri sent with the code must be exactly the one the authorization request used: scheme, host, port, " +
		"path, trailing slash and query all count. The capture shows the two differ (or the token request leaves it out).",
	Fix:      "Build both requests from one configured redirect URI value, and send it with every authorization_code exchange.",
	Verifies: "each code exchange sent the redirect_uri of the authorization request that produced the code.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCapture,
	Run:      harTokenRedirectMismatch,
})

var _ = register(&Check{
	ID:       "CD2404",
	Name:     "har-otp-verified-late",
	Guide:    contio.GuideInvalidCode,
	Title:    "/auth/verify came more than 3 minutes after /auth/initiate",
	Symptom:  "/auth/verify answers invalid_code although the user typed the code correctly.",
	Cause:    "One-time codes are valid for 3 minutes from /auth/initiate. The capture shows the verification later than that.",
	Fix:      "Tell users how long the code lasts, offer a 'send a new code' action, and call /auth/initiate again when the code has expired.",
	Verifies: "every OTP verification in the capture came within 3 minutes of its /auth/initiate.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig | NeedsCapture,
	Run:      harOTPLate,
})

var _ = register(&Check{
	ID:       "CD2405",
	Name:     "har-consent-after-session",
	Guide:    contio.GuideSessionExpired,
	Title:    "Consent came more than 30 minutes after OTP verification",
	Symptom:  "The consent or authorization step answers session_expired.",
	Cause:    "OTP verification opens a sign-in session that lasts 30 minutes. The capture shows the consent step after it closed.",
	Fix:      "When consent fails with session_expired, send the user back to sign in with a new code; keep sign-in and consent in one sitting.",
	Verifies: "every consent step in the capture came within 30 minutes of the OTP verification before it.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCapture,
	Run:      harConsentLate,
})

var _ = register(&Check{
	ID:      "CD3401",
	Name:    "har-refresh-token-reused",
	Guide:   contio.GuideInvalidGrant,
	Title:   "A refresh token was used again after it was rotated",
	Symptom: "A refresh answers invalid_grant, and the user's tokens stop working until they sign in again.",
	Cause: "Each refresh returns a new refresh token and retires the old one. Presenting the old one again is treated as theft: " +
		"the whole token family is revoked. The capture shows the app (or two of its processes) refreshing with a retired token.",
	Fix: "Store the new refresh token from every refresh response before using the access token, and serialise refreshes " +
		"(one in flight per user) so two workers do not race with the same token." + sdkInvalidGrantFix,
	Verifies: "no refresh grant in the capture presented a refresh token an earlier refresh had already rotated.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCapture,
	Run:      harRefreshReused,
})

var _ = register(&Check{
	ID:      "CD3402",
	Name:    "har-token-lacks-scope",
	Guide:   contio.GuidePartialScope,
	Title:   "A token was used on an endpoint whose scope it was not granted",
	Symptom: "Some user API calls answer 403 insufficient_scope while others with the same token work.",
	Cause: "The token response or an introspection in the capture shows which scopes the token carries; the call needs one it " +
		"does not have, because it was not requested or the user did not grant it.",
	Fix: "Request the scope in the authorization request, have the user consent again, and check granted scopes (the token " +
		"response's scope) before calling endpoints that need them." + sdkScopeFix,
	Verifies: "every user call in the capture made with a token of known scopes used an endpoint those scopes open.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCapture,
	Run:      harTokenLacksScope,
})

// harSteps are the capture's flow steps of one kind, in order.
func harSteps(ig *integration.Integration, kind integration.FlowKind) []integration.FlowStep {
	var out []integration.FlowStep
	for _, s := range harAllSteps(ig) {
		if s.Kind == kind {
			out = append(out, s)
		}
	}
	return out
}

// harAllSteps are the capture's flow steps (none without a capture).
func harAllSteps(ig *integration.Integration) []integration.FlowStep {
	if ig.Capture == nil {
		return nil
	}
	return ig.Capture.Steps
}

// harAt names a step: "entry 7 (09:06:00)".
func harAt(s integration.Source) string {
	if s.HARTime.IsZero() {
		return fmt.Sprintf("entry %d", s.HAREntry)
	}
	return fmt.Sprintf("entry %d (%s)", s.HAREntry, s.HARTime.UTC().Format("15:04:05"))
}

// harSince is how long after a b came, when both times are known.
func harSince(a, b integration.Source) (time.Duration, bool) {
	if a.HARTime.IsZero() || b.HARTime.IsZero() {
		return 0, false
	}
	return b.HARTime.Sub(a.HARTime), true
}

func harCodeExchangedLate(_ context.Context, in *Input) ([]Finding, error) {
	issued := map[string]integration.FlowStep{}
	for _, s := range harSteps(in.Integration, integration.FlowCode) {
		issued[s.Code] = s
	}
	var out []Finding
	for _, t := range harSteps(in.Integration, integration.FlowToken) {
		c, ok := issued[t.Code]
		if t.Code == "" || !ok || c.At.HAREntry > t.At.HAREntry {
			continue
		}
		if d, ok := harSince(c.At, t.At); ok && d > contio.AuthCodeTTL {
			out = append(out, Finding{
				Message:  fmt.Sprintf("the code issued at %s was exchanged at %s, %s later; codes expire after %s", harAt(c.At), harAt(t.At), d.Round(time.Second), contio.AuthCodeTTL),
				Location: t.At,
				Evidence: fmt.Sprintf("code %s; token response %s", redact.Fingerprint(t.Code), harStatus(t)),
			})
		}
	}
	return out, nil
}

// harStatus is "400 invalid_grant" or "200".
func harStatus(s integration.FlowStep) string {
	out := fmt.Sprint(s.Status)
	if s.Status == 0 {
		out = "no response"
	}
	if s.ErrorCode != "" {
		out += " " + s.ErrorCode
	}
	return out
}

// harStepArrived is when a step's response arrived.
func harStepArrived(s integration.FlowStep) time.Time { return s.At.HARTime.Add(s.Duration) }

// harConsumedNothing reports whether a token exchange was turned away
// before its code was looked at: client authentication failed (401,
// invalid_client), so the code is still unused.
func harConsumedNothing(t integration.FlowStep) bool {
	return t.Status == 401 || t.ErrorCode == "invalid_client"
}

func harCodeExchangedTwice(_ context.Context, in *Input) ([]Finding, error) {
	first := map[string]integration.FlowStep{}
	var out []Finding
	exchanges := harSteps(in.Integration, integration.FlowToken)
	// The exchange that consumed a code is the one whose answer came
	// first, not the one sent first.
	sort.SliceStable(exchanges, func(i, j int) bool {
		return harStepArrived(exchanges[i]).Before(harStepArrived(exchanges[j]))
	})
	for _, t := range exchanges {
		if t.Code == "" || t.GrantType == "refresh_token" || harConsumedNothing(t) {
			continue
		}
		f, seen := first[t.Code]
		if !seen {
			first[t.Code] = t
			continue
		}
		msg := fmt.Sprintf("the code first exchanged at %s (answer %s) was exchanged again at %s (answer %s)", harAt(f.At), harStatus(f), harAt(t.At), harStatus(t))
		if d, ok := harSince(f.At, t.At); ok {
			msg += fmt.Sprintf(", %s later", d.Round(time.Millisecond))
		}
		// The refused re-exchange is this mistake, not one of its own.
		out = append(out, Finding{Root: harEntryRoot(t.At.HAREntry), Message: msg, Location: t.At, Evidence: "code " + redact.Fingerprint(t.Code)})
	}
	return out, nil
}

func harTokenRedirectMismatch(_ context.Context, in *Input) ([]Finding, error) {
	steps := harAllSteps(in.Integration)
	codeAt := map[string]int{}
	for i, s := range steps {
		if s.Kind == integration.FlowCode {
			codeAt[s.Code] = i
		}
	}
	var out []Finding
	for _, t := range steps {
		if t.Kind != integration.FlowToken || t.Code == "" || t.GrantType == "refresh_token" {
			continue
		}
		i, ok := codeAt[t.Code]
		if !ok {
			continue
		}
		authz, from := "", integration.Source{}
		// The authorization request is the last one before the code.
		for j := i; j >= 0; j-- {
			s := steps[j]
			if (s.Kind == integration.FlowAuthorize || s.Kind == integration.FlowConsent) && s.RedirectURI != "" {
				authz, from = s.RedirectURI, s.At
				break
			}
		}
		if authz == "" {
			authz, from = steps[i].RedirectURI, steps[i].At
		}
		if authz == "" || t.RedirectURI == authz {
			continue
		}
		msg := fmt.Sprintf("the token request at %s sends redirect_uri %q, but the authorization request at %s used %q", harAt(t.At), t.RedirectURI, harAt(from), authz)
		if t.RedirectURI == "" {
			msg = fmt.Sprintf("the token request at %s sends no redirect_uri; the authorization request at %s used %q", harAt(t.At), harAt(from), authz)
		} else if d := uriDifference(authz, t.RedirectURI); d != "" {
			msg += " (" + d + ")"
		}
		out = append(out, Finding{Message: msg, Location: t.At, Evidence: "token response " + harStatus(t)})
	}
	return out, nil
}

// uriDifference says which part of two URIs differs, in words.
func uriDifference(a, b string) string {
	switch {
	case strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/"):
		return "a trailing slash differs"
	case strings.EqualFold(a, b):
		return "letter case differs"
	case strings.SplitN(a, "://", 2)[0] != strings.SplitN(b, "://", 2)[0]:
		return "the scheme differs"
	}
	return ""
}

func harOTPLate(_ context.Context, in *Input) ([]Finding, error) {
	var initiates []integration.FlowStep
	var out []Finding
	for _, s := range harAllSteps(in.Integration) {
		switch s.Kind {
		case integration.FlowInitiate:
			if s.Status >= 200 && s.Status < 300 {
				initiates = append(initiates, s)
			}
		case integration.FlowVerify:
			ini, ok := harMatchInitiate(initiates, s)
			if !ok {
				continue
			}
			if d, ok := harSince(ini.At, s.At); ok && d > contio.OTPTTL {
				out = append(out, Finding{
					Message:  fmt.Sprintf("/auth/verify at %s came %s after /auth/initiate at %s; one-time codes last %s (answer %s)", harAt(s.At), d.Round(time.Second), harAt(ini.At), contio.OTPTTL, harStatus(s)),
					Location: s.At,
				})
			}
		}
	}
	return out, nil
}

// harMatchInitiate finds the initiate a verify answers: the same session,
// else the latest one for the same e-mail (or any, when unknown).
func harMatchInitiate(initiates []integration.FlowStep, v integration.FlowStep) (integration.FlowStep, bool) {
	for i := len(initiates) - 1; i >= 0; i-- {
		if v.Session != "" && initiates[i].Session == v.Session {
			return initiates[i], true
		}
	}
	for i := len(initiates) - 1; i >= 0; i-- {
		if v.Session == "" && (v.Email == "" || strings.EqualFold(initiates[i].Email, v.Email)) {
			return initiates[i], true
		}
	}
	return integration.FlowStep{}, false
}

func harConsentLate(_ context.Context, in *Input) ([]Finding, error) {
	var verified []integration.FlowStep
	var out []Finding
	for _, s := range harAllSteps(in.Integration) {
		switch s.Kind {
		case integration.FlowVerify:
			if s.Status >= 200 && s.Status < 300 {
				verified = append(verified, s)
			}
		case integration.FlowConsent:
			var v integration.FlowStep
			found := false
			for i := len(verified) - 1; i >= 0; i-- {
				if s.Email == "" || verified[i].Email == "" || strings.EqualFold(verified[i].Email, s.Email) {
					v, found = verified[i], true
					break
				}
			}
			if !found {
				continue
			}
			if d, ok := harSince(v.At, s.At); ok && d > contio.SessionTTL {
				out = append(out, Finding{
					Message:  fmt.Sprintf("the consent step at %s came %s after OTP verification at %s; the sign-in session lasts %s (answer %s)", harAt(s.At), d.Round(time.Second), harAt(v.At), contio.SessionTTL, harStatus(s)),
					Location: s.At,
				})
			}
		}
	}
	return out, nil
}

func harRefreshReused(_ context.Context, in *Input) ([]Finding, error) {
	rotated := map[string]integration.FlowStep{}
	var out []Finding
	for _, t := range harSteps(in.Integration, integration.FlowToken) {
		if t.GrantType != "refresh_token" || t.RefreshToken == "" {
			continue
		}
		if r, ok := rotated[t.RefreshToken]; ok {
			out = append(out, Finding{
				Message: fmt.Sprintf("the refresh at %s presents the refresh token that the refresh at %s already exchanged for a new one (answer %s)",
					harAt(t.At), harAt(r.At), harStatus(t)),
				Location: t.At,
				Evidence: "refresh token " + redact.Fingerprint(t.RefreshToken),
			})
			continue
		}
		if t.Status >= 200 && t.Status < 300 && t.IssuedRefresh != "" && t.IssuedRefresh != t.RefreshToken {
			rotated[t.RefreshToken] = t
		}
	}
	return out, nil
}

func harTokenLacksScope(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	type grant struct {
		scopes []string
		at     integration.Source
	}
	granted := map[string]grant{}
	for _, s := range harAllSteps(ig) {
		switch {
		case s.Kind == integration.FlowToken && s.IssuedAccess != "" && s.GrantedScope != "":
			granted[s.IssuedAccess] = grant{strings.Fields(s.GrantedScope), s.At}
		case s.Kind == integration.FlowIntrospect && s.Active && s.Token != "" && s.GrantedScope != "":
			granted[s.Token] = grant{strings.Fields(s.GrantedScope), s.At}
		}
	}
	if len(granted) == 0 {
		return nil, Skip("the capture holds no token response or introspection with scopes", "capture the sign-in (token exchange) or an introspection along with the calls")
	}
	seen := map[string]bool{}
	var out []Finding
	// Every observed call, repeats included: a repeat may carry a newer
	// token than the call it repeats.
	var untimed []harObs
	for i := range ig.Calls {
		if c := &ig.Calls[i]; c.Observed && c.Started.IsZero() {
			untimed = append(untimed, harObs{c, int32(c.At.HAREntry), int32(c.Status), c.Started, c.Duration, c.Path.Raw, c.Query.Raw, ""})
		}
	}
	timed := harTimed(ig)
	for n := 0; n < len(untimed)+timed.Len(); n++ {
		var o harObs
		if n < len(untimed) {
			o = untimed[n]
		} else {
			o = timed.At(n - len(untimed))
		}
		if contio.ClassOf(o.path) != contio.ClassUser {
			continue
		}
		authz := o.authorization
		if authz == "" {
			authz = o.shape.Authorization.Raw
		}
		scheme, tok, _ := strings.Cut(strings.TrimSpace(authz), " ")
		g, ok := granted[strings.TrimSpace(tok)]
		if !strings.EqualFold(scheme, "bearer") || !ok {
			continue
		}
		c := o.call()
		need := contio.ScopeFor(callMethod(c), c.Path.Raw)
		if need == "" || contains(g.scopes, need) {
			continue
		}
		key := tok + " " + callMethod(c) + " " + harPathTemplate(c)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, Finding{
			Message: fmt.Sprintf("%s %s at %s needs %s; the token (granted at %s) carries only %q (answer %s)",
				callMethod(c), c.Path.Raw, harAt(c.At), need, harAt(g.at), strings.Join(g.scopes, " "), harCallStatus(c)),
			Location:  c.At,
			RequestID: c.RequestID,
			Evidence:  "token " + redact.Fingerprint(strings.TrimSpace(tok)),
		})
	}
	return out, nil
}

// harCallStatus is an observed call's answer: "403 insufficient_scope".
func harCallStatus(c integration.Call) string {
	out := fmt.Sprint(c.Status)
	if c.Status == 0 {
		out = "no response"
	}
	if c.ErrorCode != "" {
		out += " " + c.ErrorCode
	}
	return out
}
