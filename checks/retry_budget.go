package checks

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD5007",
	Name:    "retry-budget-too-long",
	Guide:   contio.GuideRateLimitExceeded,
	Title:   "One call can take minutes in the worst case of timeouts and retries",
	Symptom: "During an outage or a run of 429s, requests hang for minutes, user-facing pages time out upstream, and queued work piles up.",
	Cause: "Every attempt may run to the full timeout, and the backoff waits add up between attempts: (max_retries + 1) × timeout plus " +
		"1 s + 2 s + 4 s … for exponential backoff. Many retries or a long timeout make a single call outlive anything waiting for it.",
	Fix: "Keep the worst case within what the caller can wait: fewer retries (3 is plenty), a per-attempt timeout of 10–30 s, " +
		"a cap on each backoff wait, and an overall deadline (a context with timeout) around the whole retry loop.",
	Verifies: "(max_retries + 1) × timeout + backoff waits stays within 3 minutes.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig,
	Run:      retryBudgetTooLong,
})

const (
	// retryBudgetLimit is the longest worst case we accept for one call; the
	// SDK's defaults (4 × 30 s + 7 s) fit inside it.
	retryBudgetLimit = 3 * time.Minute
	// defaultClientTimeout is the SDK's per-attempt timeout, assumed when
	// http.timeout is not given.
	defaultClientTimeout = 30 * time.Second
	// backoffBase is the first backoff wait (the SDK's retryDelay default).
	backoffBase = time.Second
)

func retryBudgetTooLong(_ context.Context, in *Input) ([]Finding, error) {
	h := in.Integration.HTTP
	if h.MaxRetries <= 0 {
		return nil, nil
	}
	timeout := h.Timeout
	if !h.TimeoutSet || timeout <= 0 {
		timeout = defaultClientTimeout
	}
	// Caps keep the arithmetic in range; past them the verdict is the same.
	n := min(h.MaxRetries, 1_000_000)
	var waits time.Duration
	switch strings.ToLower(strings.TrimSpace(h.Backoff.Raw)) {
	case "none":
	case "fixed":
		waits = time.Duration(n) * backoffBase
	default: // exponential, and the SDK's default when unset
		waits = (time.Duration(1)<<min(n, 30) - 1) * backoffBase
	}
	timeout = min(timeout, 24*time.Hour)
	attempts := time.Duration(n + 1)
	worst := attempts*timeout + waits
	if worst <= retryBudgetLimit {
		return nil, nil
	}
	loc := h.MaxRetriesFrom
	if loc.IsZero() {
		loc = h.TimeoutFrom
	}
	msg := fmt.Sprintf("worst case for one call is %s: %d attempts × %s timeout + %s of backoff waits, over the %s budget",
		retrySeconds(worst), n+1, retrySeconds(timeout), retrySeconds(waits), retrySeconds(retryBudgetLimit))
	if h.HonorsRetryAfter {
		msg += "; each 429 can add up to a minute of Retry-After on top"
	}
	return []Finding{{Message: msg, Location: loc,
		Fix: fmt.Sprintf("Use max_retries: 3 with timeout: %s (worst case %s), and wrap the retry loop in an overall deadline.",
			retrySeconds(min(timeout, defaultClientTimeout)), retrySeconds(4*min(timeout, defaultClientTimeout)+7*time.Second))}}, nil
}

// retrySeconds renders d as whole seconds, "127 s".
func retrySeconds(d time.Duration) string {
	return fmt.Sprintf("%d s", int64(d.Round(time.Second)/time.Second))
}
