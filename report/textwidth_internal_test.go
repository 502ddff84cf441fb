package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

// textWidth must agree with lipgloss.Width on everything the report
// prints: every line and every word of every golden file (plain and
// coloured), plus text the fast path must hand on.
func TestTextWidthAgreesWithLipgloss(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.golden"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	samples := []string{"", "plain", "a\tb", "\x1b[1mbold\x1b[0m", "日本語", "e\u0301", "👍🏽", "── Not run ─", " · ", "✓ ok", "→ next", "\u00a0nbsp"}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			samples = append(samples, line)
			samples = append(samples, strings.Fields(line)...)
		}
	}
	for _, s := range samples {
		if got, want := textWidth(s), lipgloss.Width(s); got != want {
			t.Errorf("textWidth(%q) = %d, lipgloss.Width = %d", s, got, want)
		}
	}
}
