package checks

import (
	"context"
	"fmt"
	"slices"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:    "CD5005",
	Name:  "retry-on-client-error",
	Guide: contio.GuideRateLimitExceeded,
	Title: "The HTTP client retries 4xx answers other than 429",
	Symptom: "Failing requests fail slowly and multiply: each bad request is sent several times, eating the rate limit, " +
		"and repeated 401s can get the client's credentials locked out.",
	Cause: "A 4xx other than 429 (and 408) says the request itself is wrong: bad parameters (400), bad or expired credentials (401), " +
		"missing scope (403), unknown path (404). Sending it again gives the same answer, only later, and every attempt counts against the rate limit. " +
		"Repeating failed client authentication looks like a brute-force attempt.",
	Fix:      "Retry only 429, 408 and 5xx. Handle 401 by refreshing the token once (then re-authenticate the user), and surface the others.",
	Verifies: "http.retry_statuses lists no 4xx status except 408, 425 and 429.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig,
	Run:      retryOnClientError,
})

// retryable4xx are the client errors a retry can cure.
var retryable4xx = []int{408, 425, 429}

func retryOnClientError(_ context.Context, in *Input) ([]Finding, error) {
	h := in.Integration.HTTP
	if h.MaxRetriesSet && h.MaxRetries <= 0 {
		return nil, nil
	}
	var bad, keep []int
	for _, s := range h.RetryStatuses {
		if s >= 400 && s < 500 && !slices.Contains(retryable4xx, s) {
			bad = append(bad, s)
		} else {
			keep = append(keep, s)
		}
	}
	if len(bad) == 0 {
		return nil, nil
	}
	f := Finding{
		Message:  fmt.Sprintf("http.retry_statuses retries %s: a retry cannot change these answers", yamlInts(bad)),
		Location: h.RetryStatusFrom,
		Fix:      fmt.Sprintf("Use retry_statuses: %s.", yamlInts(keep)),
	}
	if slices.Contains(bad, 401) {
		f.Severity = SeverityError
		f.Message += "; retrying 401 replays rejected credentials, a storm that can get the client locked out"
	}
	return []Finding{f}, nil
}
