package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD3001",
	Name:    "scopes-not-requested",
	Guide:   contio.GuideInsufficientScope,
	Title:   "The authorization request asks for no scopes",
	Symptom: "Tokens come back without the scopes the app needs, and user calls answer 403 insufficient_scope.",
	Cause: "No scope list is configured. Without one, the official SDK silently requests `" + contio.SDKDefaultScopeString + "` " +
		"(an empty list counts as none), so anything beyond meetings, such as action items, calendar, context, chat, toolkits " +
		"or workflows, is never granted; a hand-written client may send no scope parameter at all.",
	Fix: "List every scope the app's calls need in oauth.scopes and pass the same list to the SDK's OAuth configuration " +
		"(the `scope` option) or to the authorization URL's space-separated scope parameter. Users must then sign in again to consent to them." + sdkScopeFix,
	Verifies: "an integration that signs users in requests an explicit scope list.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig,
	Run:      scopesNotRequested,
})

func scopesNotRequested(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	if len(requestedScopes(ig)) > 0 || !userCallFlow(ig) {
		return nil, nil
	}
	// What the calls need beyond the SDK's default decides how bad the silent default is.
	var beyond []string
	for _, c := range ig.Calls {
		s := contio.ScopeFor(callMethod(c), c.Path.Raw)
		if s != "" && !contains(contio.SDKDefaultScopes, s) && !contains(beyond, s) {
			beyond = append(beyond, s)
		}
	}
	at := ig.OAuth.ScopesFrom
	if at.IsZero() {
		at = ig.OAuth.ClientID.From
	}
	msg := "oauth.scopes is not set"
	if ig.OAuth.ScopesSet {
		msg = "oauth.scopes is empty"
	}
	f := Finding{
		Message:  msg + "; the SDK will request its default `" + contio.SDKDefaultScopeString + "`",
		Location: at,
		Evidence: "requested scopes: none",
	}
	if len(beyond) > 0 {
		f.Severity = SeverityError
		f.Message += fmt.Sprintf(", which lacks %s needed by the declared calls", strings.Join(beyond, ", "))
	}
	return []Finding{f}, nil
}
