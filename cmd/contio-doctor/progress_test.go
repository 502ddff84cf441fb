package main

import (
	"bytes"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/redact"
)

// TestProgressOnlyOnATerminal: a live run writes no progress line to a
// stderr that is a pipe or a file (CI logs, captured output).
func TestProgressOnlyOnATerminal(t *testing.T) {
	var errb bytes.Buffer
	e := &env{stderr: &errb}
	ig := &integration.Integration{APIURL: integration.Value{Raw: "https://api.contio.ai", Set: true}}
	done := e.progress(true, ig, redact.New())
	done()
	if errb.Len() != 0 {
		t.Fatalf("progress written to a non-terminal: %q", errb.String())
	}
}
