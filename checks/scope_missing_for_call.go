package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:      "CD3004",
	Name:    "scope-missing-for-call",
	Guide:   contio.GuidePartialScope,
	Title:   "A call needs a scope the authorization request does not ask for",
	Symptom: "That call answers 403 insufficient_scope while others with the same token work.",
	Cause: "Each user endpoint requires one scope (meetings:read for meetings, action-items:write to change action items, and so on). " +
		"A scope that is not requested is never granted, so the token cannot open that endpoint.",
	Fix: "Add the missing scope to oauth.scopes and to the authorization request, then have users sign in again so they consent to it. " +
		"Check a token's actual scopes with POST /oauth2/introspect." + sdkScopeFix,
	Verifies: "every declared user call's scope is among the requested scopes.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCalls,
	Run:      scopeMissingForCall,
})

func scopeMissingForCall(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	requested := requestedScopes(ig)
	if len(requested) == 0 {
		return nil, nil // CD3001 reports the missing list
	}
	var out []Finding
	for i, c := range ig.Calls {
		need := contio.ScopeFor(callMethod(c), c.Path.Raw)
		if need == "" || contains(requested, need) || writeWithReadOnly(requested, need) {
			continue
		}
		f := Finding{
			Root:     Root{Kind: "scope_not_requested", Subject: need},
			Message:  fmt.Sprintf("%s needs %s, which oauth.scopes does not request", callLabel(i, c), need),
			Location: c.At,
			Evidence: "requested: " + strings.Join(requested, " "),
			Fix:      fmt.Sprintf("Add %s to oauth.scopes and to the authorization request; users then sign in again to consent.", need) + sdkScopeFix,
			Commands: []string{introspectCommand(ig)},
		}
		if ig.Capture != nil {
			// A capture run has no config: speak of the traffic.
			f.Message = fmt.Sprintf("%s needs %s, which the authorization request's scope does not include", callLabel(i, c), need)
			f.Fix = fmt.Sprintf("Add %s to the scope of the authorization request; users then sign in again to consent.", need)
		}
		for _, s := range requested {
			if near, _ := nearestScope(s); near == need {
				// The misspelling is the root cause: one problem with CD3002.
				f.Root = unknownScopeRoot(s)
				f.Message += fmt.Sprintf(" (it requests %q, a misspelling of it)", s)
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// introspectCommand shows a token's granted scopes.
func introspectCommand(ig *integration.Integration) string {
	return exampleCurl(ig, "POST", "/oauth2/introspect")
}
