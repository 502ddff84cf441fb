package main

import (
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/checks"
)

// TestExplainFitsATerminal: every check's explanation wraps at 80 columns
// (the "ID name: title" headline aside, a line may run over only when a
// single word, such as a URL, does).
func TestExplainFitsATerminal(t *testing.T) {
	for _, c := range checks.All() {
		for _, line := range strings.Split(Explain(c), "\n")[1:] {
			if n := len([]rune(line)); n > explainWidth && strings.Contains(strings.TrimSpace(line), " ") && !strings.Contains(line, "https://") {
				t.Errorf("%s: %d columns: %q", c.ID, n, line)
			}
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("one two three four", 9)
	want := []string{"one two", "three", "four"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("wrap = %q, want %q", got, want)
	}
	if got := wrap("https://docs.contio.ai/a-very-long-url", 10); len(got) != 1 {
		t.Fatalf("a long word must stay whole: %q", got)
	}
}
