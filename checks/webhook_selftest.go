package checks

import (
	"context"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/webhookdiag"
)

// The webhook endpoint self-test (S3, opt-in): signed test deliveries to
// webhooks.url, sent once per run and judged by six checks. The engine and
// the texts of each verdict live in internal/webhookdiag.

const webhookNeeds = NeedsNetwork | NeedsWebhook | NeedsWebhookProbe

var _ = register(&Check{
	ID:    "CD7510",
	Name:  "webhook-endpoint-accepts-signed-delivery",
	Guide: contio.GuideWebhookSignature,
	Title: "The webhook endpoint does not accept a correctly signed delivery in time",
	Symptom: "Deliveries show as failed in the Partner Dashboard (non-2xx status or timeout), Contio keeps retrying them " +
		"and then marks them abandoned; in the end webhooks are switched off for the app.",
	Cause: "The receiver verifies with another secret, is not routed at that URL, fails on the event, or answers after Contio stopped waiting.",
	Fix: "Give the receiver the same secret as webhooks.secret and answer 2xx within a few seconds, before doing the work. " +
		"Act before the failures add up: after 50 abandoned deliveries, or 72 hours without a successful one, Contio disables " +
		"the app's webhooks and keeps new events pending until they are re-enabled with a pending_disposition (deliver or abandon).",
	Verifies: "webhooks.url answered a delivery signed with webhooks.secret with a 2xx within 5 seconds.",
	Severity: SeverityError,
	Needs:    webhookNeeds,
	Safety:   3,
	Requires: []diagnosis.Requirement{selfTestDeliveries},
	Run:      webhookVerdict((*webhookdiag.SelfTestReport).Delivery),
})

var _ = register(&Check{
	ID:    "CD7511",
	Name:  "webhook-endpoint-verifies-raw-body",
	Guide: contio.GuideWebhookSignature,
	Title: "The webhook endpoint verifies a re-parsed body instead of the raw bytes",
	Symptom: "Some deliveries fail signature verification while others pass, with the right secret: " +
		"verifyWebhookSignature() returns false for bodies with escapes or other spacing.",
	Cause:    "A JSON parser runs before the verifier (express.json() on the route), so the signature is checked over a re-serialised body.",
	Fix:      "Verify the raw request bytes, then parse: express.raw({type:\"application/json\"}) on the webhook route, or the equivalent in your framework.",
	Verifies: "A correctly signed delivery laid out differently (indentation, key order, \\u escapes) was accepted too.",
	Severity: SeverityError,
	Needs:    webhookNeeds,
	Safety:   3,
	Requires: []diagnosis.Requirement{selfTestDeliveries},
	Run:      webhookVerdict((*webhookdiag.SelfTestReport).RawBody),
})

var _ = register(&Check{
	ID:       "CD7512",
	Name:     "webhook-endpoint-requires-signature",
	Guide:    contio.GuideWebhookMissingSignature,
	Title:    "The webhook endpoint accepts requests without X-Contio-Signature",
	Symptom:  "Requests with no signature header are processed as if Contio had sent them.",
	Cause:    "The handler never checks that the signature header is present before acting on the body.",
	Fix:      "Answer 400 (or 401) when X-Contio-Signature is missing or empty, before reading the event.",
	Verifies: "A delivery without X-Contio-Signature was refused with a 4xx.",
	Severity: SeverityError,
	Needs:    webhookNeeds,
	Safety:   3,
	Requires: []diagnosis.Requirement{selfTestDeliveries},
	Run:      webhookVerdict((*webhookdiag.SelfTestReport).RequiresSignature),
})

var _ = register(&Check{
	ID:       "CD7513",
	Name:     "webhook-endpoint-rejects-bad-signature",
	Guide:    contio.GuideWebhookSignature,
	Title:    "The webhook endpoint accepts a delivery with a wrong signature",
	Symptom:  "Forged events are processed: the endpoint answers 2xx whatever the signature says.",
	Cause:    "The handler does not compare the signature with its own HMAC of the body, or ignores the result.",
	Fix:      "Compute HMAC-SHA256 of the raw body with the webhook secret, compare it with the header in constant time, and answer 401 on a mismatch.",
	Verifies: "A delivery signed with another secret was refused with a 4xx.",
	Severity: SeverityError,
	Needs:    webhookNeeds,
	Safety:   3,
	Requires: []diagnosis.Requirement{selfTestDeliveries},
	Run:      webhookVerdict((*webhookdiag.SelfTestReport).RejectsBadSignature),
})

var _ = register(&Check{
	ID:       "CD7514",
	Name:     "webhook-endpoint-tolerates-duplicates",
	Guide:    contio.GuideNone,
	Title:    "The webhook endpoint rejects a repeated delivery",
	Symptom:  "Retried deliveries show as failed and keep being retried, although the first attempt was handled.",
	Cause:    "Contio redelivers with the same event_id when an answer is late or lost, and the handler answers a repeat with an error.",
	Fix:      "Remember handled event_ids; answer a repeat with 2xx and skip the work.",
	Verifies: "The same delivery sent twice was answered with 2xx both times.",
	Severity: SeverityWarning,
	Needs:    webhookNeeds,
	Safety:   3,
	Requires: []diagnosis.Requirement{selfTestDeliveries},
	Run:      webhookVerdict((*webhookdiag.SelfTestReport).Duplicates),
})

var _ = register(&Check{
	ID:       "CD7515",
	Name:     "webhook-endpoint-no-redirect",
	Guide:    contio.GuideNone,
	Title:    "The webhook URL redirects",
	Symptom:  "Every delivery fails although the endpoint works when opened by hand.",
	Cause:    "webhooks.url answers with a redirect (http to https, a missing trailing slash, a moved path); Contio does not follow it, and following would drop the body or signature.",
	Fix:      "Configure the final URL, exactly as the receiver serves it, in the Partner Dashboard and in webhooks.url.",
	Verifies: "No test delivery was answered with a redirect.",
	Severity: SeverityError,
	Needs:    webhookNeeds,
	Safety:   3,
	Requires: []diagnosis.Requirement{selfTestDeliveries},
	Run:      webhookVerdict((*webhookdiag.SelfTestReport).Redirect),
})

// webhookVerdict adapts one verdict of the shared self-test to a check.
func webhookVerdict(verdict func(*webhookdiag.SelfTestReport) ([]webhookdiag.Problem, string)) func(context.Context, *Input) ([]Finding, error) {
	return func(ctx context.Context, in *Input) ([]Finding, error) {
		rep, err := webhookSelfTest(ctx, in)
		if err != nil {
			return nil, err
		}
		problems, skip := verdict(rep)
		if skip != "" {
			return nil, Skip(skip, "fix the finding it points to and run again")
		}
		var out []Finding
		for _, p := range problems {
			f := Finding{Message: p.Message, Cause: p.Cause, Fix: p.Fix, Evidence: p.Evidence, Location: in.Integration.Webhooks.URL.From}
			if p.Warning {
				f.Severity = SeverityWarning
			}
			out = append(out, f)
		}
		return out, nil
	}
}

// webhookSelfTest runs the deliveries once per run, shared by the checks
// above through the probe client's memo when there is one.
func webhookSelfTest(ctx context.Context, in *Input) (*webhookdiag.SelfTestReport, error) {
	wh := in.Integration.Webhooks
	if wh.Secret.Empty() {
		return nil, Skip("webhooks.secret is not set, so no delivery can be signed", "set webhooks.secret (e.g. ${CONTIO_WEBHOOK_SECRET})")
	}
	return selfTestDeliveries.Of(ctx, in)
}

// selfTestDeliveries sends the signed test deliveries once per run.
var selfTestDeliveries = &diagnosis.Fact[*webhookdiag.SelfTestReport]{Name: "webhook self-test deliveries",
	Compute: func(ctx context.Context, in *Input) (*webhookdiag.SelfTestReport, error) {
		wh := in.Integration.Webhooks
		return webhookdiag.SelfTest(ctx, webhookdiag.SelfTestOptions{
			URL:       wh.URL.Raw,
			Secret:    wh.Secret.Raw,
			UserAgent: "contio-doctor (webhook self-test)",
		})
	}}
