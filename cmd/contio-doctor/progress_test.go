package main

import (
	"bytes"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
	"github.com/Contio-AI/contio-doctor/internal/redact"
)

// TestProgressOnlyOnATerminal: a live run writes no progress line to a
// stderr that is a pipe or a file (CI logs, captured output).
func TestProgressOnlyOnATerminal(t *testing.T) {
	var errb bytes.Buffer
	e := &env{stderr: &errb, lookupEnv: func(string) (string, bool) { return "", false }}
	ig := &integration.Integration{APIURL: integration.Value{Raw: "https://api.contio.ai", Set: true}}
	done := e.progress(probe.New(probe.Options{}), ig, redact.New(), false)
	done()
	if errb.Len() != 0 {
		t.Fatalf("progress written to a non-terminal: %q", errb.String())
	}
	// On a terminal it counts from the probe client and clears its line.
	e.stderrTTY = true
	done = e.progress(probe.New(probe.Options{}), ig, redact.New(), true)
	done()
	total := 0
	for _, n := range probe.DefaultBudget {
		total += n
	}
	if got := errb.String(); !strings.Contains(got, fmt.Sprintf("probing api.contio.ai: 0 of at most %d requests, 0.0s", total)) || !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("progress on a terminal: %q", got)
	}
	// An offline run shares no probe client: no line.
	errb.Reset()
	e.progress(nil, ig, redact.New(), true)()
	if errb.Len() != 0 {
		t.Errorf("offline run drew progress: %q", errb.String())
	}
}

// TestProgressCountsUp: the line follows the count it is fed.
func TestProgressCountsUp(t *testing.T) {
	var n atomic.Int64
	var w syncBuffer
	done := startProgress(&w, "127.0.0.1:1", 10, func() int { return int(n.Add(1)) }, newPalette(false), redact.New())
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(w.String(), ": 3 of at most 10 requests") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	done()
	if !strings.Contains(w.String(), ": 3 of at most 10 requests") {
		t.Errorf("no count of 3 in %q", w.String())
	}
	if got := progressLine("api.contio.ai", 4, 35, 1500*time.Millisecond); got != "contio-doctor: probing api.contio.ai: 4 of at most 35 requests, 1.5s" {
		t.Errorf("line %q", got)
	}
}
