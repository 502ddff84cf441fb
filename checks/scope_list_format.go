package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD3003",
	Name:    "scope-list-format",
	Guide:   contio.GuidePartialScope,
	Title:   "Scopes are joined with commas or packed into one list entry",
	Symptom: "Sign-in fails with invalid_scope, or the token has none of the scopes (or only the first) and calls answer 403.",
	Cause: "OAuth scope values are separated by single spaces. `meetings:read,action-items:read` is one unknown scope to the server. " +
		"A tab or line break inside an entry is not a separator either. Several scopes in one list entry also survive only as long as " +
		"nothing joins the list with another separator or sends one scope parameter per entry.",
	Fix:      "Give oauth.scopes as a YAML list with one scope per entry, and have the code join them with single spaces into one `scope` parameter.",
	Verifies: "each oauth.scopes entry is one scope name without commas or other separators.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      scopeListFormat,
})

func scopeListFormat(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	var out []Finding
	for i, v := range ig.OAuth.Scopes {
		raw := v.Raw
		parts := strings.FieldsFunc(raw, isScopeSeparator)
		list := "[" + strings.Join(parts, ", ") + "]"
		switch {
		case strings.ContainsAny(raw, ",;+"):
			out = append(out, Finding{
				Message:  fmt.Sprintf("oauth.scopes[%d] is %q: the server reads it as one scope name, separators included", i, raw),
				Location: v.From,
				Fix:      "Write `scopes: " + list + "` and join with spaces when building the request.",
			})
		case strings.ContainsAny(raw, "\t\r\n"):
			out = append(out, Finding{
				Message:  fmt.Sprintf("oauth.scopes[%d] %q contains a tab or line break, which is not a scope separator", i, raw),
				Location: v.From,
				Fix:      "Write `scopes: " + list + "`.",
			})
		case strings.Contains(strings.TrimSpace(raw), " ") && v.From.EnvVar == "":
			// CONTIO_SCOPES is documented as space-separated; only a config entry holding several is odd.
			out = append(out, Finding{
				Severity: SeverityInfo,
				Message:  fmt.Sprintf("oauth.scopes[%d] holds %d scopes in one string %q; the doctor splits it, your code may not", i, len(parts), raw),
				Location: v.From,
				Fix:      "Write `scopes: " + list + "` so each scope is one entry.",
			})
		}
	}
	return out, nil
}
