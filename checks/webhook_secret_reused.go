package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/redact"
)

var _ = register(&Check{
	ID:      "CD7005",
	Name:    "webhook-secret-reused",
	Guide:   contio.GuideWebhookSignature,
	Title:   "The webhook secret is another credential",
	Symptom: "Every delivery fails signature verification, or verification passes only because both sides use the wrong key.",
	Cause: "Contio signs deliveries with the app's own webhook secret, a value separate from the client secret and the API key. " +
		"Using the client secret, the API key, the client ID or a token as the HMAC key computes digests Contio never sends; " +
		"and a credential that doubles as the webhook key leaks wherever webhook code and logs go.",
	Fix:      "Take the webhook secret from the webhook settings of the Partner Dashboard and keep it in its own variable (CONTIO_WEBHOOK_SECRET).",
	Verifies: "webhooks.secret differs from the client secret, API key, client ID and tokens, even after trimming whitespace and quotes.",
	Severity: SeverityError,
	Needs:    NeedsWebhook,
	Run:      webhookSecretReused,
})

func webhookSecretReused(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	secret := ig.Webhooks.Secret
	if secret.Raw == "" {
		return nil, nil
	}
	clean := func(s string) string { return strings.Trim(strings.TrimSpace(s), `"'`) }
	ws := clean(secret.Raw)
	others := []integration.Secret{
		{Name: "oauth.client_secret", Value: ig.OAuth.ClientSecret},
		{Name: "admin.api_key", Value: ig.Admin.APIKey},
		{Name: "oauth.client_id", Value: ig.OAuth.ClientID},
		{Name: "admin.client_id", Value: ig.Admin.ClientID},
		{Name: "tokens.access_token", Value: ig.Tokens.AccessToken},
		{Name: "tokens.refresh_token", Value: ig.Tokens.RefreshToken},
	}
	for _, o := range others {
		if o.Value.Raw == "" {
			continue
		}
		if clean(o.Value.Raw) == ws {
			how := "is"
			if o.Value.Raw != secret.Raw {
				how = "is, apart from whitespace or quotes,"
			}
			return []Finding{{
				Message:  fmt.Sprintf("webhooks.secret %s the same value as %s", how, o.Name),
				Location: secret.From,
				Evidence: "both " + redact.Fingerprint(ws),
			}}, nil
		}
	}
	for _, pfx := range []string{contio.AccessTokenPrefix, contio.RefreshTokenPrefix} {
		if strings.HasPrefix(ws, pfx) {
			return []Finding{{
				Message:  fmt.Sprintf("webhooks.secret starts with %q: it is an OAuth token, not the webhook secret", pfx),
				Location: secret.From,
			}}, nil
		}
	}
	return nil, nil
}
