package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/redact"
)

var _ = register(&Check{
	ID:      "CD7006",
	Name:    "webhook-secret-short",
	Guide:   contio.GuideWebhookSignature,
	Title:   "The webhook secret is too short to be the real one",
	Symptom: "Signature verification fails on every delivery, or the receiver's key could be guessed.",
	Cause: "Webhook secrets issued by Contio are long random strings. A short value is usually a truncated copy, a test value " +
		"or a placeholder; if it really is the key, it is short enough to brute-force offline from one captured delivery.",
	Fix:      "Copy the full webhook secret from the Partner Dashboard (rotate it there if it was ever set by hand).",
	Verifies: "webhooks.secret is at least 16 characters long.",
	Severity: SeverityWarning,
	Needs:    NeedsWebhook,
	Run:      webhookSecretShort,
})

// minWebhookSecretLen is the shortest secret worth accepting: 16 random
// characters carry about 95 bits.
const minWebhookSecretLen = 16

func webhookSecretShort(_ context.Context, in *Input) ([]Finding, error) {
	s := in.Integration.Webhooks.Secret
	v := strings.TrimSpace(s.Raw)
	if v == "" || len(v) >= minWebhookSecretLen {
		return nil, nil
	}
	return []Finding{{
		Message:  fmt.Sprintf("webhooks.secret is %d characters long, under the minimum of %d", len(v), minWebhookSecretLen),
		Location: s.From,
		Evidence: redact.Fingerprint(s.Raw),
	}}, nil
}
