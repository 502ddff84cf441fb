package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/redact"
)

var _ = register(&Check{
	ID:      "CD7002",
	Name:    "webhook-secret-mangled",
	Guide:   contio.GuideWebhookSignature,
	Title:   "The webhook secret carries whitespace, a line break or quotes",
	Symptom: "Every delivery fails signature verification (verifyWebhookSignature returns false), although the secret looks right.",
	Cause: "The HMAC key is the secret's exact bytes. A trailing newline from `echo` or a file, a space from copy and paste, or the quotes " +
		"of a .env line kept as part of the value make a different key, so every digest differs from the one Contio sends.",
	Fix: "Store the secret exactly as the Partner Dashboard shows it: no quotes kept, no surrounding spaces, no line break " +
		"(write it with printf '%s', not echo).",
	Verifies: "webhooks.secret has no surrounding whitespace, no line break or tab and no surrounding quotes.",
	Severity: SeverityError,
	Needs:    NeedsWebhook,
	Run:      webhookSecretMangled,
})

func webhookSecretMangled(_ context.Context, in *Input) ([]Finding, error) {
	s := in.Integration.Webhooks.Secret
	raw := s.Raw
	if raw == "" {
		return nil, nil
	}
	var what []string
	if lead := raw[:len(raw)-len(strings.TrimLeft(raw, " \t\r\n"))]; lead != "" {
		what = append(what, fmt.Sprintf("starts with %q", lead))
	}
	if trail := raw[len(strings.TrimRight(raw, " \t\r\n")):]; trail != "" {
		what = append(what, fmt.Sprintf("ends with %q", trail))
	}
	core := strings.TrimSpace(raw)
	if i := strings.IndexAny(core, "\r\n\t"); i >= 0 {
		what = append(what, fmt.Sprintf("holds %q at position %d", core[i:i+1], i+len(raw)-len(strings.TrimLeft(raw, " \t\r\n"))))
	}
	if len(core) >= 2 && (core[0] == '"' || core[0] == '\'') && core[len(core)-1] == core[0] {
		what = append(what, fmt.Sprintf("is wrapped in %s quotes", map[byte]string{'"': "double", '\'': "single"}[core[0]]))
	}
	if len(what) == 0 {
		return nil, nil
	}
	return []Finding{{
		Message:  "webhooks.secret " + strings.Join(what, " and ") + ": the receiver's HMAC key differs from Contio's, so no signature matches",
		Location: s.From,
		Evidence: "stored " + redact.Fingerprint(raw) + "; cleaned " + redact.Fingerprint(strings.Trim(core, `"'`)),
	}}, nil
}
