package checks

import (
	"context"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD5004",
	Name:    "retry-ignores-retry-after",
	Guide:   contio.GuideRateLimitExceeded,
	Title:   "Backoff ignores the server's Retry-After",
	Symptom: "After a 429 the client retries too early and is refused again, or waits far longer than needed.",
	Cause: "On a 429 Contio says when to come back: Retry-After (seconds or an HTTP date), or X-RateLimit-Reset (a Unix time in seconds, " +
		"not a delay). A backoff that ignores them guesses, and its early guesses land in the window that is still closed.",
	Fix: "On 429 wait for Retry-After when present (both forms: an integer and an HTTP date); else until X-RateLimit-Reset minus now; " +
		"only else the exponential delay. Cap the wait so one answer cannot stall the client for hours." + sdkRateLimitFix,
	Verifies: "http.honors_retry_after is true when the client retries.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig,
	Run:      retryIgnoresRetryAfter,
})

func retryIgnoresRetryAfter(_ context.Context, in *Input) ([]Finding, error) {
	h := in.Integration.HTTP
	if !h.HonorsRetrySet || h.HonorsRetryAfter || h.MaxRetries <= 0 {
		return nil, nil
	}
	return []Finding{{
		Message:  "http.honors_retry_after is false: after a 429 the client waits its own backoff instead of Retry-After / X-RateLimit-Reset",
		Location: h.HonorsRetryFrom,
		Fix:      "Read Retry-After (and X-RateLimit-Reset, an epoch time) on 429 and wait that long before retrying; then set http.honors_retry_after: true.",
	}}, nil
}
