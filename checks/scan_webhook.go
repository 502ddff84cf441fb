package checks

import (
	"context"
	"fmt"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// Webhook receivers as the partner's code writes them (contio-doctor scan).

var _ = register(&Check{
	ID:    "CD7701",
	Name:  "code-webhook-body-parsed-before-verify",
	Guide: contio.GuideWebhookSignature,
	Title: "A JSON body parser runs before the webhook signature is checked",
	Symptom: "Every delivery fails signature verification although the secret is right, or only deliveries " +
		"with certain characters (Unicode, spaces, number formats) fail.",
	Cause: "The signature covers the exact bytes Contio sent. express.json() or bodyParser.json() runs first, turns the body " +
		"into an object and throws the bytes away; serialising the object again gives different bytes, so the HMAC differs.",
	Fix: "Give the webhook route the raw body: register it with express.raw({ type: 'application/json' }) before any global " +
		"app.use(express.json()), verify the signature over req.body (a Buffer), and only then JSON.parse it.",
	Verifies: "no JSON body parser runs before a webhook route's signature check.",
	Severity: SeverityError,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		// One finding per parser, naming every route it runs before.
		var out []Finding
		at := map[integration.Source]int{}
		for _, w := range code.Webhooks {
			if w.ParsedBy == "" {
				continue
			}
			route := fmt.Sprintf("%s %s (%s at %s)", w.Method, w.Path, w.Verifier, w.At)
			if i, ok := at[w.ParsedAt]; ok {
				out[i].Message += "; " + route
				continue
			}
			at[w.ParsedAt] = len(out)
			out = append(out, Finding{
				Message:  fmt.Sprintf("%s parses the body before the signature is checked on %s", w.ParsedBy, route),
				Location: w.ParsedAt,
			})
		}
		return out, nil
	},
})

var _ = register(&Check{
	ID:    "CD7702",
	Name:  "code-webhook-verifies-reserialised-body",
	Guide: contio.GuideWebhookSignature,
	Title: "The webhook verifier is given JSON.stringify(req.body) instead of the raw body",
	Symptom: "Signature checks fail for some or all deliveries, typically the ones whose JSON has spacing, key order " +
		"or escapes that differ from what JSON.stringify writes.",
	Cause: "JSON.stringify of the parsed body is a new serialisation, not the bytes Contio signed. Whitespace, key order, " +
		"Unicode escapes and number formats can all change, and any change breaks the HMAC.",
	Fix: "Verify over the raw request bytes (express.raw() for the route, or a verify hook that keeps req.rawBody) and pass " +
		"that Buffer or its UTF-8 string to verifyWebhookSignature.",
	Verifies: "webhook verifiers are given the raw body.",
	Severity: SeverityError,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, w := range code.Webhooks {
			if w.Input != "stringified" {
				continue
			}
			out = append(out, Finding{
				Message:  fmt.Sprintf("%s for %s %s is given a re-serialised body, not the bytes Contio signed", w.Verifier, w.Method, w.Path),
				Location: w.InputAt,
			})
		}
		return out, nil
	},
})

var _ = register(&Check{
	ID:    "CD7703",
	Name:  "code-webhook-signature-presence-unchecked",
	Guide: contio.GuideWebhookMissingSignature,
	Title: "The webhook handler verifies without first checking that X-Contio-Signature is there",
	Symptom: "A request without the signature header ends in a 500 or an unhelpful verification error instead of a clear 401, " +
		"and logs do not say the header was missing.",
	Cause: "The handler hands the header straight to the verifier. When it is absent (a proxy stripped it, a test sent none), " +
		"the verifier gets undefined: it throws or answers false, and the real cause is lost.",
	Fix:      "Read X-Contio-Signature first; when it is missing, answer 401 and log that the header was absent. Then verify.",
	Verifies: "webhook handlers test for the signature header before verifying.",
	Severity: SeverityWarning,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, w := range code.Webhooks {
			if w.ChecksPresence {
				continue
			}
			out = append(out, Finding{
				Message:  fmt.Sprintf("%s %s calls %s without testing that X-Contio-Signature is present", w.Method, w.Path, w.Verifier),
				Location: w.VerifierAt,
			})
		}
		return out, nil
	},
})

var _ = register(&Check{
	ID:      "CD7704",
	Name:    "code-webhook-signature-timing-compare",
	Guide:   contio.GuideNone,
	Title:   "Webhook signatures are compared with === instead of a constant-time comparison",
	Symptom: "Nothing fails: verification works, but an attacker who can time responses can learn a valid signature byte by byte.",
	Cause:   "=== stops at the first differing character, so its duration leaks how much of a forged signature was right.",
	Fix: "Compare with crypto.timingSafeEqual over two Buffers of equal length (check the lengths first), or use the SDK's " +
		"verifyWebhookSignature, which does this for you.",
	Verifies: "hand-written webhook verifiers compare in constant time.",
	Severity: SeverityWarning,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, w := range code.Webhooks {
			if !w.Compare || w.ConstantTime {
				continue
			}
			out = append(out, Finding{
				Message:  fmt.Sprintf("%s %s compares the computed HMAC with the signature using ==/===", w.Method, w.Path),
				Location: w.CompareAt,
			})
		}
		return out, nil
	},
})
