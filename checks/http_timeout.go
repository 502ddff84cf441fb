package checks

import (
	"context"
	"fmt"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD6004",
	Name:    "http-timeout-out-of-range",
	Guide:   contio.GuideNetworkError,
	Title:   "The HTTP client's timeout is missing, too short or too long",
	Symptom: "Requests fail with network_error (\"no response received\") on slow but healthy calls, or hang for minutes when the network drops.",
	Cause: "A timeout under a second aborts ordinary requests that cross the internet, a TLS handshake included. No timeout, or one of " +
		"several minutes, leaves a request waiting on a dead connection long after the user gave up. The SDK uses 30 s per attempt.",
	Fix:      "Use a per-attempt timeout between 10 and 30 seconds, and a longer one only for known large uploads or exports.",
	Verifies: "http.timeout is between 1 s and 120 s.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig,
	Run:      httpTimeoutOutOfRange,
})

const (
	minClientTimeout = time.Second
	maxClientTimeout = 120 * time.Second
)

func httpTimeoutOutOfRange(_ context.Context, in *Input) ([]Finding, error) {
	h := in.Integration.HTTP
	if !h.TimeoutSet {
		return nil, nil
	}
	var msg string
	switch {
	case h.Timeout <= 0:
		msg = "http.timeout is 0: requests never time out, and a dropped connection hangs the caller indefinitely"
	case h.Timeout < minClientTimeout:
		msg = fmt.Sprintf("http.timeout is %s: shorter than a TLS handshake plus a round trip on a slow network, so healthy requests fail", h.Timeout)
	case h.Timeout > maxClientTimeout:
		msg = fmt.Sprintf("http.timeout is %s: a stalled connection holds the caller for over %s before the error surfaces", h.Timeout, maxClientTimeout)
	default:
		return nil, nil
	}
	return []Finding{{Message: msg, Location: h.TimeoutFrom, Fix: "Set http.timeout: 30s (the SDK's default)."}}, nil
}
