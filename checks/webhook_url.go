package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/uri"
)

var _ = register(&Check{
	ID:      "CD7003",
	Name:    "webhook-url-insecure",
	Guide:   contio.GuideWebhookSignature,
	Title:   "The webhook URL uses plain http",
	Symptom: "Deliveries arrive, but anyone on the path can read them, and signatures fail intermittently when a proxy rewrites the body.",
	Cause: "Over plain http, event payloads are readable and alterable in transit. Contio's signature covers only the body, with no " +
		"timestamp, so a captured delivery can be replayed at will; and a middlebox that re-encodes or re-compresses the body breaks the signature.",
	Fix:      "Serve the webhook endpoint over https with a valid certificate and register the https URL in the Partner Dashboard.",
	Verifies: "webhooks.url uses https (http is accepted only on loopback, for local testing).",
	Severity: SeverityError,
	Needs:    NeedsWebhook,
	Run:      webhookURLInsecure,
})

func webhookURLInsecure(_ context.Context, in *Input) ([]Finding, error) {
	v := in.Integration.Webhooks.URL
	raw := strings.TrimSpace(v.Raw)
	p := uri.Split(raw)
	if !strings.EqualFold(p.Scheme, "http") || p.Host == "" || uri.IsLoopback(p.Hostname()) {
		return nil, nil
	}
	return []Finding{{
		Message:  fmt.Sprintf("webhooks.url %q uses http on %q: deliveries and their signatures travel in clear text and can be replayed", v.Raw, p.Host),
		Location: v.From,
		Fix:      fmt.Sprintf("Serve the endpoint over TLS and register %q.", "https"+raw[len(p.Scheme):]),
	}}, nil
}
