package checks

import (
	"context"
	"fmt"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD4003",
	Name:    "path-spelling-drift",
	Guide:   contio.GuideNone,
	Title:   "A call uses a path the SDK and the API spec spell differently",
	Symptom: "The call may answer 404 (or 405) on one deployment and work on another, or start failing after an SDK or API upgrade.",
	Cause: "For a few endpoints the official SDK (@contio/partner-sdk 1.9.0) and the OpenAPI spec disagree: /automations vs /automation, " +
		"/app/webhook-status and /app/webhook-filter vs /webhook-status and /webhook-filter, PUT vs PATCH to update a toolkit, " +
		"and two paths to uninstall a user's toolkit. The API may serve only one spelling.",
	Fix: "Keep the spelling the call uses, but treat a 404 or 405 on it as path drift, not as an outage: retry with the other spelling " +
		"named in the finding, and pin the one that works in a test against the sandbox.",
	Verifies: "no call depends on a path or method only one of the SDK and the spec uses.",
	Severity: SeverityInfo,
	Needs:    NeedsConfig | NeedsCalls,
	Run:      pathSpellingDrift,
})

func pathSpellingDrift(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	var out []Finding
	for i, c := range ig.Calls {
		if !isContioCall(ig, c) {
			continue
		}
		ep, _ := contio.Lookup(callMethod(c), c.Path.Raw)
		alt := contio.Alternate(ep)
		if alt == nil {
			continue
		}
		other := alt.Method + " " + alt.Path
		out = append(out, Finding{
			Message: fmt.Sprintf("%s uses the %s's spelling %s %s; the %s has %s",
				callLabel(i, c), spellingSource(ep.Spelling), ep.Method, ep.Path, spellingSource(alt.Spelling), other),
			Location: callAt(c, c.Path),
			Evidence: fmt.Sprintf("%s: %s %s; %s: %s", spellingSource(ep.Spelling), ep.Method, ep.Path, spellingSource(alt.Spelling), other),
			Fix:      fmt.Sprintf("If this call answers 404 or 405, switch to %s; either way, handle that answer as path drift.", other),
			Commands: []string{exampleCurl(ig, alt.Method, alt.Path)},
		})
	}
	return out, nil
}

// spellingSource names who uses a spelling.
func spellingSource(s string) string {
	switch s {
	case contio.SpellingSDK:
		return "SDK"
	case contio.SpellingSpec:
		return "OpenAPI spec"
	case contio.SpellingOIDC:
		return "OpenID Connect standard"
	}
	return "documentation"
}
