package main

import (
	"strings"
	"testing"
)

// TestHARReportSaysItReadACapture: the text header of `har` names the
// capture, not a config, so a pasted report is not mistaken for a config run.
func TestHARReportSaysItReadACapture(t *testing.T) {
	inRepoRoot(t)
	got := runCLI(t, nil, "har", "--no-color", "testdata/har/healthy.har")
	first, second, _ := strings.Cut(got.stdout, "\n")
	if !strings.HasSuffix(first, "HAR capture") || !strings.HasPrefix(second, "capture testdata/har/healthy.har") {
		t.Fatalf("header:\n%s\n%s", first, second)
	}
}
