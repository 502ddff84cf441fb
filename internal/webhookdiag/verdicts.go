package webhookdiag

import (
	"fmt"
	"net/http"
	"time"
)

// Problem is one thing the self-test found wrong with the endpoint; the
// checks turn it into a finding. Cause and Fix override the check's texts
// when set.
type Problem struct {
	// Warning lowers the finding's severity from error.
	Warning  bool
	Message  string
	Cause    string
	Fix      string
	Evidence string
}

// Each verdict below returns the problems one check reports, or a reason
// to skip when the exchanges it needs did not happen or say nothing.

// Delivery judges the plain signed delivery: a 2xx within SlowAfter.
func (r *SelfTestReport) Delivery() ([]Problem, string) {
	if r.Refused != "" {
		return []Problem{{Message: "no test delivery was sent: " + r.Refused,
			Cause: "Contio delivers only to https endpoints; a plain-http URL exposes meeting data on the way",
			Fix:   "serve the webhook endpoint over https and update webhooks.url (plain http is fine only for a loopback test receiver)"}}, ""
	}
	x := r.Get(ProbeSigned)
	switch {
	case x == nil || x.NotSent != "":
		return nil, "the signed delivery was not sent"
	case x.TimedOut:
		return []Problem{{Message: fmt.Sprintf("the endpoint did not answer a signed delivery within %s", x.Elapsed.Round(time.Millisecond)),
			Cause:    "Contio counts a delivery without a 2xx within about 5 s as failed and sends it again",
			Fix:      "answer 2xx as soon as the signature passes and do the work afterwards (a queue or a background job)",
			Evidence: x.Evidence()}}, ""
	case x.Err != nil:
		return []Problem{{Message: "the endpoint could not be reached: " + x.Err.Error(),
			Cause:    "Contio cannot deliver events to an address that refuses connections, does not resolve or fails TLS",
			Fix:      "check that webhooks.url is the public address of the running receiver, that DNS and the certificate are valid, and that a firewall lets the request in",
			Evidence: x.Evidence()}}, ""
	case x.Redirected():
		return nil, "the endpoint answers with a redirect (see webhook-endpoint-no-redirect)"
	case x.OK() && x.Elapsed > r.SlowAfter:
		return []Problem{{Warning: true,
			Message:  fmt.Sprintf("the endpoint accepted the delivery but took %s; Contio gives up after about %s and retries", x.Elapsed.Round(time.Millisecond), r.SlowAfter),
			Cause:    "the handler does its work before answering, so slow work makes Contio count the delivery as failed and send it again",
			Fix:      "answer 2xx right after the signature check and process the event asynchronously",
			Evidence: x.Evidence()}}, ""
	case x.OK():
		return nil, ""
	case x.Status == http.StatusUnauthorized || x.Status == http.StatusForbidden || x.Status == http.StatusBadRequest:
		p := Problem{Message: fmt.Sprintf("the endpoint rejected a correctly signed delivery with %d", x.Status),
			Cause:    "the receiver verifies with a different secret than webhooks.secret (a rotation on one side, another environment's secret, stray whitespace in its copy)",
			Fix:      "give the receiver the webhook secret from the Partner Dashboard, the same value as webhooks.secret; then run the self-test again",
			Evidence: x.Evidence()}
		if dup := r.Get(ProbeReformatted); dup.OK() {
			p.Cause = "it accepted the same event written with other whitespace, so its JSON handling, not the secret, rejects this form; check how it reads the body"
		}
		return []Problem{p}, ""
	case x.Status == http.StatusNotFound || x.Status == http.StatusMethodNotAllowed:
		return []Problem{{Message: fmt.Sprintf("the endpoint answered %d to a POST: nothing receives webhooks at this address", x.Status),
			Cause:    "webhooks.url points at a path (or a method) the app does not route to its webhook handler",
			Fix:      "register the handler for POST on that exact path, or correct the URL in the Partner Dashboard and in webhooks.url",
			Evidence: x.Evidence()}}, ""
	default:
		return []Problem{{Message: fmt.Sprintf("the endpoint answered %d to a correctly signed delivery", x.Status),
			Cause:    "any answer but 2xx counts as a failed delivery, and Contio sends it again",
			Fix:      "make the handler answer 2xx to every delivery whose signature passes, including event types or IDs it does not know",
			Evidence: x.Evidence()}}, ""
	}
}

// RawBody judges the reformatted delivery: it verifies only over the raw
// bytes, so a rejection means the receiver verifies a re-parsed body.
func (r *SelfTestReport) RawBody() ([]Problem, string) {
	if skip := r.needAccepted(); skip != "" {
		return nil, skip
	}
	x := r.Get(ProbeReformatted)
	switch {
	case x == nil || x.NotSent != "" || !x.Answered():
		return nil, "the reformatted delivery got no answer"
	case x.OK() || x.Redirected():
		return nil, ""
	case x.Rejected():
		return []Problem{{Message: fmt.Sprintf("the endpoint rejected (%d) a correctly signed delivery whose JSON has other whitespace, key order and \\u escapes, after accepting a compact one", x.Status),
			Cause:    "the receiver verifies a re-serialised body (a JSON parser ran before the verifier, e.g. express.json()), which matches the signature only when Contio's bytes happen to be in that form",
			Fix:      "verify the raw request body before parsing it: Express express.raw({type:\"application/json\"}) on the route; Next.js await req.text(); Flask request.get_data(); FastAPI await request.body(); Go io.ReadAll(r.Body); Rails request.raw_post",
			Evidence: x.Evidence()}}, ""
	default:
		return []Problem{{Message: fmt.Sprintf("the endpoint answered %d to a correctly signed delivery whose JSON is pretty-printed with \\u escapes", x.Status),
			Cause:    "the handler fails on valid JSON laid out differently, so a real delivery in that form would fail and be retried",
			Fix:      "parse the body with a JSON parser after verifying the raw bytes; never match on its exact text",
			Evidence: x.Evidence()}}, ""
	}
}

// RequiresSignature judges the unsigned delivery.
func (r *SelfTestReport) RequiresSignature() ([]Problem, string) {
	return r.mustReject(ProbeUnsigned, "a delivery with no X-Contio-Signature header",
		"the handler acts on requests without checking for the signature header, so anyone who knows the URL can post events")
}

// RejectsBadSignature judges the delivery signed with another secret.
func (r *SelfTestReport) RejectsBadSignature() ([]Problem, string) {
	return r.mustReject(ProbeBadSignature, "a delivery signed with the wrong secret",
		"the handler reads the signature header but does not compare it with its own HMAC of the body (or ignores the result), so forged events are accepted")
}

func (r *SelfTestReport) mustReject(p Probe, what, cause string) ([]Problem, string) {
	if r.Refused != "" {
		return nil, "no test delivery was sent (see webhook-endpoint-accepts-signed-delivery)"
	}
	x := r.Get(p)
	switch {
	case x == nil || x.NotSent != "" || !x.Answered():
		return nil, "the " + string(p) + " delivery got no answer"
	case x.Redirected():
		return nil, "the endpoint answers with a redirect (see webhook-endpoint-no-redirect)"
	case x.OK():
		return []Problem{{Message: fmt.Sprintf("the endpoint accepted %s with %d: it does not verify signatures", what, x.Status),
			Cause:    cause,
			Fix:      "verify X-Contio-Signature on every request before acting on it: HMAC-SHA256 of the raw body with the webhook secret, compared in constant time; answer 401 (or 400 when the header is missing)",
			Evidence: x.Evidence()}}, ""
	case x.Rejected():
		return nil, ""
	default:
		return []Problem{{Warning: true,
			Message:  fmt.Sprintf("the endpoint answered %d to %s", x.Status, what),
			Cause:    "it did not accept the request, but an error status suggests it failed rather than refused it; a crash on a forged request may hide a missing check",
			Fix:      "answer 401 (or 400 for a missing header) explicitly when verification fails",
			Evidence: x.Evidence()}}, ""
	}
}

// Duplicates judges the redelivery of the signed event.
func (r *SelfTestReport) Duplicates() ([]Problem, string) {
	if skip := r.needAccepted(); skip != "" {
		return nil, skip
	}
	x := r.Get(ProbeDuplicate)
	switch {
	case x == nil || x.NotSent != "" || !x.Answered():
		return nil, "the repeated delivery got no answer"
	case x.OK() || x.Redirected():
		return nil, ""
	}
	return []Problem{{Warning: true,
		Message:  fmt.Sprintf("the endpoint accepted an event, then answered %d when the same event_id came again", x.Status),
		Cause:    "Contio redelivers an event with the same event_id when an answer is late or lost; a non-2xx answer to the repeat counts as a failure and triggers more retries",
		Fix:      "de-duplicate on event_id: when it was already handled, answer 2xx (e.g. {\"received\":true,\"duplicate\":true}) and skip the work",
		Evidence: x.Evidence()}}, ""
}

// Redirect judges whether any delivery was answered with a redirect.
func (r *SelfTestReport) Redirect() ([]Problem, string) {
	if r.Refused != "" {
		return nil, "no test delivery was sent (see webhook-endpoint-accepts-signed-delivery)"
	}
	if x := r.FirstRedirect(); x != nil {
		to := x.Location
		if to == "" {
			to = "(no Location header)"
		}
		return []Problem{{Message: fmt.Sprintf("the endpoint answered %d, redirecting to %s", x.Status, to),
			Cause:    "Contio does not follow redirects, and a client that did would lose the body or signature on the way (a 301/302 turns the POST into a GET); the delivery fails",
			Fix:      "set webhooks.url (and the URL in the Partner Dashboard) to the final address, including scheme, host, trailing slash and path",
			Evidence: x.Evidence()}}, ""
	}
	if x := r.Get(ProbeSigned); x == nil || !x.Answered() {
		return nil, "the signed delivery got no answer"
	}
	return nil, ""
}

func (r *SelfTestReport) needAccepted() string {
	if r.Refused != "" {
		return "no test delivery was sent (see webhook-endpoint-accepts-signed-delivery)"
	}
	if x := r.Get(ProbeSigned); !x.OK() {
		return "the endpoint did not accept the plain signed delivery (see webhook-endpoint-accepts-signed-delivery)"
	}
	return ""
}
