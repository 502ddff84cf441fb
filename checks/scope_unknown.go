package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/textdist"
)

var _ = register(&Check{
	ID:      "CD3002",
	Name:    "scope-unknown",
	Guide:   contio.GuidePartialScope,
	Title:   "A requested scope is not one Contio knows",
	Symptom: "Sign-in fails with invalid_scope, or the token comes back with fewer scopes than requested and some calls answer 403.",
	Cause: "Scope names are exact and case-sensitive: meetings:read (plural), action-items:read (hyphen), all lower case. " +
		"A misspelt scope is unknown to the authorization server, which rejects the request or grants the rest without it.",
	Fix:      "Spell each scope as the catalogue has it (GET /oauth2/scopes lists them). The finding names the nearest known scope.",
	Verifies: "every requested scope is in Contio's scope catalogue.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      scopeUnknown,
})

func scopeUnknown(_ context.Context, in *Input) ([]Finding, error) {
	var out []Finding
	for _, v := range in.Integration.OAuth.Scopes {
		for _, s := range strings.FieldsFunc(v.Raw, isScopeSeparator) {
			if contio.KnownScope(s) {
				continue
			}
			f := Finding{
				Root:     unknownScopeRoot(s),
				Message:  fmt.Sprintf("oauth.scopes has %q, which is not a Contio scope", s),
				Location: v.From,
				Evidence: "known scopes: " + strings.Join(contio.ScopeNames(), " "),
			}
			if near, why := nearestScope(s); near != "" {
				f.Message += fmt.Sprintf("; did you mean %q (%s)?", near, why)
				f.Fix = fmt.Sprintf("Request %q instead of %q.", near, s)
			}
			out = append(out, f)
		}
	}
	return out, nil
}

func isScopeSeparator(r rune) bool {
	return r == ' ' || r == ',' || r == '\t' || r == '\n' || r == '\r' || r == '+' || r == ';'
}

// nearestScope suggests the known scope s most likely meant, and why.
func nearestScope(s string) (string, string) {
	lower := strings.ToLower(s)
	if contio.KnownScope(lower) {
		return lower, "scopes are lower case"
	}
	squashed := squashScope(s)
	best, bestD := "", 3
	for _, name := range contio.ScopeNames() {
		if squashScope(name) == squashed {
			return name, "the separator differs"
		}
		if d := textdist.Distance(lower, name); d < bestD {
			best, bestD = name, d
		}
	}
	if best != "" {
		return best, fmt.Sprintf("%d letter(s) apart", bestD)
	}
	return "", ""
}

// scopeSeparators drops the separators people swap (action_items,
// actionitems, meeting.read); built once, as a Replacer's tables are costly.
var scopeSeparators = strings.NewReplacer("-", "", "_", "", ".", ":", " ", "")

func squashScope(x string) string { return scopeSeparators.Replace(strings.ToLower(x)) }
