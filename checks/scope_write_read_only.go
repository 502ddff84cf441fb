package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD3005",
	Name:    "scope-write-read-only",
	Guide:   contio.GuidePartialScope,
	Title:   "A write call is backed only by the read scope",
	Symptom: "Reads work, but creating, updating or deleting answers 403 insufficient_scope.",
	Cause: "Contio splits each resource into a :read and a :write scope, and holding one grants nothing of the other. " +
		"The app requests the :read scope of a resource it also changes.",
	Fix:      "Request the :write scope next to the :read one (e.g. meetings:read meetings:write) and have users sign in again to consent.",
	Verifies: "every declared write call's :write scope is requested, not only its :read sibling.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCalls,
	Run:      scopeWriteReadOnly,
})

func scopeWriteReadOnly(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	requested := requestedScopes(ig)
	var out []Finding
	for i, c := range ig.Calls {
		need := contio.ScopeFor(callMethod(c), c.Path.Raw)
		if !writeWithReadOnly(requested, need) {
			continue
		}
		out = append(out, Finding{
			Message: fmt.Sprintf("%s changes data and needs %s; oauth.scopes requests only %s",
				callLabel(i, c), need, strings.TrimSuffix(need, ":write")+":read"),
			Location: c.At,
			Evidence: "requested: " + strings.Join(requested, " "),
			Fix:      fmt.Sprintf("Add %s to oauth.scopes and to the authorization request.", need),
		})
	}
	return out, nil
}

// writeWithReadOnly reports whether need is a :write scope that is not
// requested while its :read sibling is.
func writeWithReadOnly(requested []string, need string) bool {
	base, ok := strings.CutSuffix(need, ":write")
	return ok && !contains(requested, need) && contains(requested, base+":read")
}
