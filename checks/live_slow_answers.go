package checks

import (
	"context"
	"fmt"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:    "CD6507",
	Name:  "answers-slower-than-timeout",
	Guide: contio.GuideNetworkError,
	Title: "An endpoint answers slower than the app's own timeout",
	Symptom: "The app gives up on calls that would have succeeded: the SDK reports network_error " +
		"(no response received) although the API answered, later.",
	Cause: "The time a probe took to get its answer from this machine is longer than http.timeout, the " +
		"per-request timeout the app uses; the app's calls along the same path time out first.",
	Fix: "Raise http.timeout above the slowest answer (the SDK's default is 30 s), or find what makes the path " +
		"slow: a proxy, a distant egress, DNS.",
	Verifies: "Every probe was answered within http.timeout.",
	Severity: SeverityError,
	Needs:    NeedsNetwork,
	Safety:   1,
	Late:     true,
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		h := in.Integration.HTTP
		if !h.TimeoutSet || h.Timeout <= 0 {
			return nil, Skip("http.timeout is not set", "set http.timeout to the per-request timeout your app uses")
		}
		var out []Finding
		seen := map[string]bool{}
		for _, ex := range in.Probe.Exchanges() {
			r := ex.Response
			what := ex.Request.Method + " " + pathOf(ex.Request.URL)
			if r == nil || r.Latency <= h.Timeout || seen[what] {
				continue
			}
			seen[what] = true
			out = append(out, Finding{
				Root:      Root{Kind: "slower_than_timeout", Subject: hostPart(ex.Request.URL)},
				Message:   fmt.Sprintf("%s took %s to answer; the app gives up after %s (http.timeout)", what, r.Latency.Round(time.Millisecond), h.Timeout),
				Location:  h.TimeoutFrom,
				RequestID: r.RequestID,
			})
		}
		return out, nil
	},
})
