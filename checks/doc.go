package checks

import (
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// MarkdownTable renders the checks table of README.md from the registry,
// grouped by guide entry, so the README can never drift from the code.
func MarkdownTable() string {
	var b strings.Builder
	for _, g := range contio.Guide {
		var rows []*Check
		for _, c := range All() {
			if c.Guide == g.Key {
				rows = append(rows, c)
			}
		}
		if len(rows) == 0 {
			continue
		}
		if g.Key == contio.GuideNone {
			fmt.Fprintf(&b, "**Beyond the guide**\n\n")
		} else {
			fmt.Fprintf(&b, "**[%s](%s)** (`%s`)\n\n", g.Heading, g.URL(), g.Key)
		}
		b.WriteString("| ID | name | what it finds | runs | default |\n|---|---|---|---|---|\n")
		for _, c := range rows {
			runs := "offline"
			switch {
			case c.Needs&NeedsNetwork != 0:
				runs = fmt.Sprintf("live (S%d)", c.Safety)
			case c.Needs&NeedsCapture != 0:
				runs = "HAR capture"
			}
			fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s | %s |\n", c.ID, c.Name, strings.ReplaceAll(c.Title, "|", `\|`), runs, c.Severity)
		}
		b.WriteString("\n")
	}
	return b.String()
}
