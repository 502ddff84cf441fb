package checks

import (
	"context"
	"fmt"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// The guide entry is the missing-signature one: a receiver without the
// secret cannot insist on a valid X-Contio-Signature, so it cannot tell
// Contio's deliveries from forged ones, which is that entry's concern.
var _ = register(&Check{
	ID:    "CD7001",
	Name:  "webhook-secret-missing",
	Guide: contio.GuideWebhookMissingSignature,
	Title: "A webhook URL is configured without the webhook secret",
	Symptom: "Either every delivery is rejected because no signature can be checked, or the receiver accepts any POST, " +
		"signed or not, so anyone who finds the URL can forge events.",
	Cause: "Contio signs each delivery with HMAC-SHA256 of the raw body under the app's webhook secret and sends it as " +
		"X-Contio-Signature: sha256=<hex>. Without that secret the receiver has nothing to verify against.",
	Fix: "Copy the webhook secret from the Partner Dashboard into the receiver's environment (and webhooks.secret here, as ${CONTIO_WEBHOOK_SECRET}), " +
		"and reject any delivery whose signature is missing or does not match.",
	Verifies: "webhooks.secret is set whenever webhooks.url is.",
	Severity: SeverityError,
	Needs:    NeedsWebhook,
	Run:      webhookSecretMissing,
})

func webhookSecretMissing(_ context.Context, in *Input) ([]Finding, error) {
	w := in.Integration.Webhooks
	if w.Secret.Set {
		return nil, nil // an explicitly empty value is CD1004's finding
	}
	return []Finding{{
		Message:  fmt.Sprintf("webhooks.url %q is set but webhooks.secret is not: the receiver cannot verify X-Contio-Signature", w.URL.Raw),
		Location: w.URL.From,
		Fix:      "Add webhooks.secret: ${CONTIO_WEBHOOK_SECRET} and set that variable to the webhook secret from the Partner Dashboard.",
	}}, nil
}
