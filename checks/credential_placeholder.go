package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:      "CD1004",
	Name:    "credential-placeholder",
	Guide:   contio.GuideInvalidClient,
	Title:   "A credential is a placeholder or empty",
	Symptom: "Every call answers invalid_client or 401 from the first request on.",
	Cause: "The value is still the example from a template, README or .env.example (your-client-id, CHANGEME, <secret>, xxx, TODO), " +
		"an unexpanded variable reference, or a variable that is defined but empty, so the real credential never reached the app.",
	Fix: "Copy the real value from the Contio Partner Dashboard into the environment variable or secret store the app reads, " +
		"and make sure the deployment defines it (a variable set to the empty string counts as missing).",
	Verifies: "the client ID, client secret, API key, X-Client-ID value and webhook secret are set and are not template placeholders.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      credentialPlaceholder,
})

// placeholderKind returns what kind of placeholder raw is, or "". Each
// shape must match the whole value once surrounding spaces and quotes are
// removed, so a random secret that happens to contain "todo" is not
// flagged; the word shapes ignore case.
func placeholderKind(raw string) string {
	v := strings.Trim(strings.TrimSpace(raw), `"'`)
	switch {
	case isBracketedSlot(v):
		return "a bracketed template slot"
	case isVariableReference(v):
		return "an unexpanded variable reference"
	}
	t, ok := foldASCII(v)
	switch {
	case !ok:
		return ""
	case isTemplateText(t):
		return "template text"
	case isVariableName(t):
		return "the variable's own name"
	case isStandInWord(t):
		return "a stand-in word"
	}
	return ""
}

func credentialPlaceholder(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	required := map[string]bool{
		"oauth.client_id":     true,
		"oauth.client_secret": true,
		"admin.api_key":       usesAuth(ig, integration.AuthAPIKey),
		"admin.client_id":     usesAuth(ig, integration.AuthAPIKey),
		"webhooks.secret":     ig.Webhooks.URL.Raw != "",
	}
	var out []Finding
	for _, c := range ig.Credentials() {
		if _, slot := required[c.Name]; !slot {
			continue
		}
		if c.Value.Raw == "" {
			if !required[c.Name] {
				continue
			}
			msg := c.Name + " is set but empty"
			if v := c.Value.From.EnvVar; v != "" {
				msg = fmt.Sprintf("%s is empty: $%s is defined as the empty string", c.Name, v)
			}
			out = append(out, Finding{Message: msg, Location: c.Value.From})
			continue
		}
		kind := placeholderKind(c.Value.Raw)
		if kind == "" {
			continue
		}
		msg := fmt.Sprintf("%s looks like a placeholder (%s)", c.Name, kind)
		if isClientID(c.Name) {
			msg = fmt.Sprintf("%s is %q, which looks like a placeholder (%s)", c.Name, c.Value.Raw, kind)
		}
		out = append(out, Finding{Message: msg, Location: c.Value.From, Evidence: mask(c.Name, c.Value.Raw)})
	}
	return out, nil
}

// usesAuth reports whether any declared or observed call uses scheme.
func usesAuth(ig *integration.Integration, scheme string) bool {
	for _, c := range ig.Calls {
		if strings.EqualFold(c.Auth.Raw, scheme) {
			return true
		}
	}
	return false
}
