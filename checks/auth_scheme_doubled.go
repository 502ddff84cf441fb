package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD4106",
	Name:    "auth-scheme-doubled",
	Guide:   contio.GuideAuthMethod,
	Title:   "The Authorization header repeats its scheme (Bearer Bearer …)",
	Symptom: "Every user call answers 401 invalid_token although the token itself is valid.",
	Cause: "The scheme word is added twice: the stored token already starts with `Bearer ` (copied from a header, a curl example or a token dump) " +
		"and the HTTP client adds its own prefix, so the server reads `Bearer` as the token.",
	Fix:      "Store the bare token (cto_at_v1_…) and let one place add the `Bearer ` prefix. The scheme is case-insensitive, so `bearer` is fine.",
	Verifies: "no Authorization value repeats its scheme and the stored access token carries no scheme of its own.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      authSchemeDoubled,
})

func authSchemeDoubled(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	var out []Finding
	for i, c := range ig.Calls {
		f := strings.Fields(c.Authorization.Raw)
		if len(f) >= 2 && strings.EqualFold(f[0], f[1]) && (strings.EqualFold(f[0], "bearer") || strings.EqualFold(f[0], "basic")) {
			out = append(out, Finding{
				Message:  fmt.Sprintf("%s sends Authorization %q followed by the credential: the scheme appears twice", callLabel(i, c), f[0]+" "+f[1]),
				Location: callAt(c, c.Authorization),
				Evidence: fmt.Sprintf("Authorization: %s %s %s", f[0], f[1], maskRest(f[2:])),
			})
		}
	}
	if t := ig.Tokens.AccessToken; hasSchemePrefix(t.Raw) {
		scheme, rest, _ := strings.Cut(strings.TrimSpace(t.Raw), " ")
		out = append(out, Finding{
			Message: fmt.Sprintf("tokens.access_token starts with %q: a client that adds its own `Bearer ` prefix sends `Bearer %s …`",
				scheme+" ", scheme),
			Location: t.From,
			Evidence: fmt.Sprintf("%s %s", scheme, mask("tokens.access_token", strings.TrimSpace(rest))),
			Fix:      "Store only the token, without the scheme word, where tokens.access_token comes from.",
		})
	}
	return out, nil
}

func hasSchemePrefix(raw string) bool {
	scheme, rest, ok := strings.Cut(strings.TrimSpace(raw), " ")
	return ok && strings.TrimSpace(rest) != "" && (strings.EqualFold(scheme, "bearer") || strings.EqualFold(scheme, "basic"))
}

func maskRest(parts []string) string {
	if len(parts) == 0 {
		return "(no credential)"
	}
	return mask("authorization", strings.Join(parts, " "))
}
