package checks

import (
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// TestRetryPolicy covers CD5002–CD5007 on variations of a healthy policy.
func TestRetryPolicy(t *testing.T) {
	cases := []struct {
		name, id string
		edit     func(h *integration.HTTP)
		want     []string
	}{
		{"healthy 5002", "CD5002", func(*integration.HTTP) {}, nil},
		{"no retries", "CD5002", func(h *integration.HTTP) { h.MaxRetries = 0 }, []string{"http.max_retries is 0: a 429 is never retried"}},
		{"429 missing", "CD5002", func(h *integration.HTTP) { h.RetryStatuses = []int{500, 503} },
			[]string{"http.retry_statuses [500, 503] does not include 429"}},
		{"backoff none", "CD5003", func(h *integration.HTTP) { h.Backoff = famVal("none", 22) },
			[]string{"http.backoff is none with max_retries 3"}},
		{"backoff none without retries", "CD5003", func(h *integration.HTTP) { h.Backoff = famVal("none", 22); h.MaxRetries = 0 }, nil},
		{"fixed backoff is fine", "CD5003", func(h *integration.HTTP) { h.Backoff = famVal("fixed", 22) }, nil},
		{"ignores retry-after", "CD5004", func(h *integration.HTTP) { h.HonorsRetryAfter = false },
			[]string{"http.honors_retry_after is false"}},
		{"retry-after unset", "CD5004", func(h *integration.HTTP) { h.HonorsRetryAfter, h.HonorsRetrySet = false, false }, nil},
		{"retries 400", "CD5005", func(h *integration.HTTP) { h.RetryStatuses = []int{400, 429, 503} },
			[]string{"http.retry_statuses retries [400]"}},
		{"retries 401", "CD5005", func(h *integration.HTTP) { h.RetryStatuses = []int{401, 429} },
			[]string{"retrying 401 replays rejected credentials"}},
		{"408 is fine", "CD5005", func(h *integration.HTTP) { h.RetryStatuses = []int{408, 429} }, nil},
		{"code exchange", "CD5006", func(h *integration.HTTP) { h.RetriesCodeExchange = true },
			[]string{"http.retries_code_exchange is true"}},
		{"sdk defaults fit", "CD5007", func(*integration.HTTP) {}, nil},
		{"many retries", "CD5007", func(h *integration.HTTP) { h.MaxRetries = 8; h.Timeout = time.Minute },
			[]string{"worst case for one call is 795 s: 9 attempts × 60 s timeout + 255 s of backoff waits"}},
		{"huge retries do not overflow", "CD5007", func(h *integration.HTTP) { h.MaxRetries = 1000 },
			[]string{"worst case for one call is"}},
		{"fixed backoff", "CD5007", func(h *integration.HTTP) { h.MaxRetries = 10; h.Backoff = famVal("fixed", 22) },
			[]string{"worst case for one call is 340 s: 11 attempts × 30 s timeout + 10 s of backoff waits"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ig := famIG()
			tc.edit(&ig.HTTP)
			famExpect(t, tc.id, ig, tc.want...)
		})
	}
}

func TestRetryOn401IsAnError(t *testing.T) {
	ig := famIG()
	ig.HTTP.RetryStatuses = []int{401, 429}
	fs := famExpect(t, "CD5005", ig, "401")
	if fs[0].Severity != SeverityError {
		t.Errorf("severity %v, want error for 401", fs[0].Severity)
	}
	if fs[0].Fix != "Use retry_statuses: [429]." {
		t.Errorf("fix %q", fs[0].Fix)
	}
}
