package report_test

import (
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/report"
)

// TestTextSummaryBreaksWhenNarrow: a summary wider than the terminal puts
// the verdict on a line of its own instead of letting the terminal split a
// word.
func TestTextSummaryBreaksWhenNarrow(t *testing.T) {
	out := string(renderText(t, textJSONFixture(), report.Options{Width: 80}))
	want := "2 passed · 5 failed (2 errors, 2 warnings, 1 info) · 3 skipped · 1 could not run · 1 waived\n— exit 1 (--fail-on error)\n"
	if !strings.Contains(out, want) {
		t.Errorf("narrow summary, want\n%s\nin\n%s", want, out[max(len(out)-400, 0):])
	}
}
