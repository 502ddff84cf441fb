package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/checks"
)

// TestExplainFitsATerminal: every check's explanation wraps to the width
// it is given (the "ID name: title" headline aside, a line may run over
// only when a single word, such as a URL, does).
func TestExplainFitsATerminal(t *testing.T) {
	for _, width := range []int{60, 80, explainWidth} {
		for _, c := range checks.All() {
			for _, line := range strings.Split(Explain(c, width), "\n")[1:] {
				if n := len([]rune(line)); n > width && strings.Contains(strings.TrimSpace(line), " ") && !strings.Contains(line, "https://") {
					t.Errorf("%s at %d: %d columns: %q", c.ID, width, n, line)
				}
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

// TestChecksFitTheTerminal: `checks` uses the terminal's width (COLUMNS
// first), and 100 columns off a terminal; no line runs over unless one
// word does.
func TestChecksFitTheTerminal(t *testing.T) {
	for _, tc := range []struct {
		tty     bool
		columns int
		envCols string
		want    int
	}{
		{false, 0, "", 100}, {true, 80, "", 80}, {true, 200, "60", 60}, {true, 50, "", 50}, {false, 80, "70", 100},
	} {
		var out bytes.Buffer
		e := &env{stdout: &out, stderr: &out, isTTY: tc.tty, columns: tc.columns,
			lookupEnv: func(k string) (string, bool) {
				if k == "COLUMNS" && tc.envCols != "" {
					return tc.envCols, true
				}
				return "", false
			}}
		if code := e.run([]string{"checks"}); code != 0 {
			t.Fatalf("exit %d: %s", code, out.String())
		}
		widest := 0
		for _, line := range strings.Split(out.String(), "\n") {
			n := len([]rune(line))
			widest = max(widest, n)
			if n > tc.want && strings.Contains(strings.TrimSpace(line), " ") {
				t.Errorf("%+v: %d columns: %q", tc, n, line)
			}
		}
		if widest < tc.want*3/4 {
			t.Errorf("%+v: widest line %d columns: the width is not used", tc, widest)
		}
	}
}
