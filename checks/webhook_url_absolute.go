package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/uri"
)

var _ = register(&Check{
	ID:    "CD7004",
	Name:  "webhook-url-not-absolute",
	Guide: contio.GuideWebhookMissingSignature,
	Title: "The webhook URL is not an absolute http(s) URL",
	Symptom: "No delivery ever arrives; the Partner Dashboard shows failed deliveries, and requests that do reach the route " +
		"(your own tests) carry no X-Contio-Signature.",
	Cause: "Contio can deliver only to an absolute URL with a scheme and a public host. A path such as /webhooks, or a host without https://, " +
		"is something only your own app can resolve, so Contio's deliveries never reach it.",
	Fix:      "Register the full public URL of the receiver, such as https://app.example.com/webhooks, and use the same value here.",
	Verifies: "webhooks.url has an http or https scheme and a host.",
	Severity: SeverityError,
	Needs:    NeedsWebhook,
	Run:      webhookURLNotAbsolute,
})

func webhookURLNotAbsolute(_ context.Context, in *Input) ([]Finding, error) {
	v := in.Integration.Webhooks.URL
	raw := strings.TrimSpace(v.Raw)
	p := uri.Split(raw)
	if isWebScheme(p.Scheme) && p.HasAuthority && p.Host != "" {
		return nil, nil
	}
	suggest := "https://<your public host>" + raw
	if !strings.HasPrefix(raw, "/") {
		suggest = "https://" + strings.TrimPrefix(raw, "//")
	}
	return []Finding{{
		Message:  fmt.Sprintf("webhooks.url %q is not an absolute http(s) URL: Contio cannot deliver to it", v.Raw),
		Location: v.From,
		Fix:      fmt.Sprintf("Use %q and register the same URL in the Partner Dashboard.", suggest),
	}}, nil
}
