package checks

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD5002",
	Name:    "retry-not-on-429",
	Guide:   contio.GuideRateLimitExceeded,
	Title:   "The HTTP client does not retry after a 429",
	Symptom: "Short bursts surface to users as errors (rate_limit_exceeded) that would have succeeded a few seconds later.",
	Cause: "A 429 means \"wait, then try again\": the request was not processed. A client with no retries, or whose retryable statuses " +
		"leave out 429, turns every brief burst over the limit into a failure.",
	Fix: "Retry 429 responses a few times, waiting for Retry-After (or exponential backoff when the header is absent): " +
		"max_retries: 3 and 429 in retry_statuses." + sdkRateLimitFix,
	Verifies: "http.max_retries is above 0 and http.retry_statuses includes 429.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig,
	Run:      retryNotOn429,
})

func retryNotOn429(_ context.Context, in *Input) ([]Finding, error) {
	h := in.Integration.HTTP
	switch {
	case h.MaxRetriesSet && h.MaxRetries <= 0:
		return []Finding{{
			Message:  fmt.Sprintf("http.max_retries is %d: a 429 is never retried", h.MaxRetries),
			Location: h.MaxRetriesFrom,
			Fix:      "Set http.max_retries: 3 and retry 429 after the Retry-After delay.",
		}}, nil
	case h.RetryStatusSet && !slices.Contains(h.RetryStatuses, 429):
		return []Finding{{
			Message:  fmt.Sprintf("http.retry_statuses %s does not include 429: rate-limited requests fail instead of waiting", yamlInts(h.RetryStatuses)),
			Location: h.RetryStatusFrom,
			Fix:      fmt.Sprintf("Add 429: retry_statuses: %s.", yamlInts(retryStatusesWith429(h.RetryStatuses))) + sdkRateLimitFix,
		}}, nil
	}
	return nil, nil
}

func retryStatusesWith429(s []int) []int {
	out := append([]int{429}, s...)
	slices.Sort(out)
	return out
}

// yamlInts renders a list of statuses as YAML flow: [429, 500].
func yamlInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
