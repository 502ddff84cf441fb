package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD5003",
	Name:    "retry-without-backoff",
	Guide:   contio.GuideRateLimitExceeded,
	Title:   "The HTTP client retries without waiting between attempts",
	Symptom: "A single 429 becomes several in a row; the client exhausts its retries within milliseconds and fails anyway.",
	Cause: "With backoff: none each retry fires immediately, inside the same rate-limit window that just refused the request, so " +
		"every retry is refused too and adds to the load.",
	Fix:      "Use exponential backoff (1 s, 2 s, 4 s …, ideally with random jitter) and let a Retry-After header override the computed delay: backoff: exponential.",
	Verifies: "http.backoff is not none when http.max_retries is above 0.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig,
	Run:      retryWithoutBackoff,
})

func retryWithoutBackoff(_ context.Context, in *Input) ([]Finding, error) {
	h := in.Integration.HTTP
	if h.MaxRetries <= 0 || !strings.EqualFold(strings.TrimSpace(h.Backoff.Raw), "none") {
		return nil, nil
	}
	return []Finding{{
		Message:  fmt.Sprintf("http.backoff is none with max_retries %d: all %d retries go out at once into the same rate-limit window", h.MaxRetries, h.MaxRetries),
		Location: h.Backoff.From,
		Fix:      "Set http.backoff: exponential (1 s, 2 s, 4 s … with jitter) and honour Retry-After.",
	}}, nil
}
