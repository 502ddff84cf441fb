package checks

import (
	"context"
	"fmt"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// Retries as the partner's code writes them (contio-doctor scan). Same
// guide entries as CD5006, CD5002 and CD5003 for the config's http section.

var _ = register(&Check{
	ID:      "CD5601",
	Name:    "code-retry-code-exchange",
	Guide:   contio.GuideInvalidGrant,
	Title:   "Code retries exchangeCodeForToken (authorization codes are single-use)",
	Symptom: "After a timeout or network blip at login, the user gets invalid_grant instead of being signed in.",
	Cause: "The exchange sits in a loop or a retry helper. If the first attempt reached Contio, the retry presents a used " +
		"code and is refused, and tokens from the first attempt may be revoked.",
	Fix:      "Call exchangeCodeForToken once; on failure send the user through the authorization step again.",
	Verifies: "exchangeCodeForToken is not retried.",
	Severity: SeverityError,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, c := range code.SDKCalls {
			if c.Method != "exchangeCodeForToken" || !c.InRetry {
				continue
			}
			out = append(out, Finding{Message: fmt.Sprintf("exchangeCodeForToken is retried (retry at %s): a second attempt redeems a used code", c.RetryAt), Location: c.At})
		}
		return out, nil
	},
})

var _ = register(&Check{
	ID:       "CD5602",
	Name:     "code-429-retry-without-backoff",
	Guide:    contio.GuideRateLimitExceeded,
	Title:    "A 429 handler in code retries at once, without waiting",
	Symptom:  "Once a limit is hit the app keeps getting 429s, and other requests from the same IP fail too.",
	Cause:    "Retrying immediately spends the next requests of a window that is already used up; the limit resets only after the wait Contio asks for.",
	Fix:      "On 429 wait before retrying: the Retry-After seconds when present, else an exponential backoff with jitter; cap the attempts.",
	Verifies: "429 handlers wait before retrying.",
	Severity: SeverityError,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, h := range code.RateHandlers {
			if h.Retries && !h.Waits {
				out = append(out, Finding{Message: "the 429 branch retries without any wait", Location: h.At})
			}
		}
		return out, nil
	},
})

var _ = register(&Check{
	ID:       "CD5603",
	Name:     "code-429-ignores-retry-after",
	Guide:    contio.GuideRateLimitExceeded,
	Title:    "A 429 handler in code waits a fixed or computed time and ignores Retry-After",
	Symptom:  "Retries after a 429 fail again with 429 when the window is longer than the app's own wait.",
	Cause:    "Contio says in Retry-After how many seconds remain in the window. A backoff that does not read it retries too early (or waits too long).",
	Fix:      "Read the Retry-After header (seconds) and wait at least that long; fall back to exponential backoff only when it is absent.",
	Verifies: "429 handlers read Retry-After.",
	Severity: SeverityWarning,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, h := range code.RateHandlers {
			if h.Waits && !h.ReadsRetryAfter {
				out = append(out, Finding{Message: "the 429 branch waits without reading Retry-After", Location: h.At})
			}
		}
		return out, nil
	},
})
