package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

// BenchmarkOfflineRun is the whole offline run on healthy.yaml in-process:
// flag parsing, config and env-file load, every offline check, the text
// report rendered through the redactor. DESIGN.md asks for a few
// milliseconds on top of a bare binary's start.
func BenchmarkOfflineRun(b *testing.B) {
	inRepoRoot(b)
	e := &env{
		stdin:     strings.NewReader(""),
		stdout:    io.Discard,
		stderr:    io.Discard,
		lookupEnv: func(string) (string, bool) { return "", false },
		clock:     func() time.Time { return fixedNow },
		runID:     "bench",
	}
	b.ReportAllocs()
	for b.Loop() {
		if code := e.run(args(healthyArgs, "--no-color")); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkOfflineRunJSON is the same run rendering JSON, as CI gates do.
func BenchmarkOfflineRunJSON(b *testing.B) {
	inRepoRoot(b)
	e := &env{
		stdin:     strings.NewReader(""),
		stdout:    io.Discard,
		stderr:    io.Discard,
		lookupEnv: func(string) (string, bool) { return "", false },
		clock:     func() time.Time { return fixedNow },
		runID:     "bench",
	}
	b.ReportAllocs()
	for b.Loop() {
		if code := e.run(args(healthyArgs, "--format", "json")); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
