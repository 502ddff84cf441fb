package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestTextReportFitsTheTerminal: on an 80-column terminal the report is
// laid out at 80 columns (no line runs over unless one word does), and a
// long fix command is wrapped with "\" continuations; off a terminal the
// layout stays at 100 columns.
func TestTextReportFitsTheTerminal(t *testing.T) {
	inRepoRoot(t)
	render := func(tty bool, columns int) string {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, isTTY: tty, columns: columns,
			lookupEnv: func(string) (string, bool) { return "", false }, clock: func() time.Time { return fixedNow }, runID: "run-test"}
		e.run(multiFaultArgs)
		return ansi.ReplaceAllString(out.String(), "")
	}
	narrow := render(true, 80)
	continued := 0
	for _, line := range strings.Split(narrow, "\n") {
		if n := len([]rune(line)); n > 80 && len(strings.Fields(line)) > 1 && !strings.Contains(line, "https://") {
			t.Errorf("%d columns: %q", n, line)
		}
		if strings.HasSuffix(line, ` \`) {
			continued++
		}
	}
	if continued == 0 {
		t.Error("no fix command was wrapped with a \\ continuation at 80 columns")
	}
	wide := render(false, 0)
	widest := 0
	for _, line := range strings.Split(wide, "\n") {
		widest = max(widest, len([]rune(line)))
	}
	if widest < 95 {
		t.Errorf("off a terminal the widest line is %d columns, want the 100-column layout", widest)
	}
}
