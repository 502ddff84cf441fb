package checks

// Capture-only check of the scopes granted against those requested
// (CD3403): a user who unticked a permission at consent, or a token
// response narrower than the authorization request.

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:      "CD3403",
	Name:    "har-scope-not-granted",
	Guide:   contio.GuidePartialScope,
	Title:   "Fewer scopes were granted than the authorization request asked for",
	Symptom: "Some user API calls answer 403 insufficient_scope although the app requests every scope it needs.",
	Cause: "The consent page lets the user untick permissions, and the token carries only what was granted. The capture " +
		"shows a consent or a token response with fewer scopes than the authorization request named.",
	Fix: "Read the scope of every token response and keep the granted set with the user's tokens; hide or explain features " +
		"whose scope is missing, and offer to sign in again to grant it.",
	Verifies: "every consent and token response in the capture granted all the scopes its authorization request asked for.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig | NeedsCapture,
	Run:      harScopeNotGranted,
})

func harScopeNotGranted(_ context.Context, in *Input) ([]Finding, error) {
	var requested *integration.FlowStep
	var out []Finding
	steps := harAllSteps(in.Integration)
	for i := range steps {
		s := &steps[i]
		var granted, where string
		switch {
		case s.Kind == integration.FlowAuthorize && s.Scope != "":
			requested = s
			continue
		case s.Kind == integration.FlowConsent && s.Decision != "deny" && s.Status > 0 && s.Status < 400 && s.Scope != "":
			granted, where = s.Scope, "the consent"
		case s.Kind == integration.FlowToken && s.GrantType != "refresh_token" && s.Status >= 200 && s.Status < 300 && s.GrantedScope != "":
			granted, where = s.GrantedScope, "the token response"
		default:
			continue
		}
		if requested == nil {
			continue
		}
		missing := scopeMissing(strings.Fields(requested.Scope), strings.Fields(granted))
		if len(missing) == 0 {
			continue
		}
		out = append(out, Finding{
			Message: fmt.Sprintf("%s at %s grants %q; the authorization request at %s asked for %q: %s not granted",
				where, harAt(s.At), granted, harAt(requested.At), requested.Scope, strings.Join(missing, ", ")),
			Location: s.At,
		})
	}
	return out, nil
}

// scopeMissing lists the requested scopes not in granted, in request order.
func scopeMissing(requested, granted []string) []string {
	var out []string
	for _, r := range requested {
		if !contains(granted, r) && !contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}
