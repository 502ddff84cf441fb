package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
)

func (e *env) checksCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "checks",
		Short: "List every check: ID, name, guide entry, what it needs, title",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var rows [][]string
			for _, g := range contio.Guide {
				for _, c := range checks.All() {
					if c.Guide != g.Key {
						continue
					}
					guide := string(c.Guide)
					if guide == "" {
						guide = "-"
					}
					rows = append(rows, []string{c.ID, c.Name, guide, c.Needs.String(), c.Title})
				}
			}
			// One write: the table is built in memory, not row by row.
			_, err := io.WriteString(e.stdout, checksTable(rows, e.width()))
			return err
		},
	}
}

// checksTable lays rows (ID, name, guide, needs, title) out in columns
// when they fit in width, the title wrapped under its own column. When
// they do not, each check takes an "ID name guide" line and its title,
// with what it needs, wrapped on the lines below.
func checksTable(rows [][]string, width int) string {
	const gap, titleMin, hang = 2, 30, 8
	header := []string{"ID", "NAME", "GUIDE", "NEEDS", "TITLE"}
	all := append([][]string{header}, rows...)
	widths := make([]int, 4)
	for _, r := range all {
		for i := range widths {
			widths[i] = max(widths[i], len([]rune(r[i])))
		}
	}
	pad := func(b *strings.Builder, cells []string, ws []int) {
		for i, w := range ws {
			b.WriteString(cells[i])
			b.WriteString(strings.Repeat(" ", w-len([]rune(cells[i]))+gap))
		}
	}
	var b strings.Builder
	b.Grow(len(rows) * 160)
	titleAt := widths[0] + widths[1] + widths[2] + widths[3] + 4*gap
	if width-titleAt >= titleMin {
		for _, r := range all {
			pad(&b, r, widths)
			for i, l := range wrap(r[4], width-titleAt) {
				if i > 0 {
					b.WriteString("\n" + strings.Repeat(" ", titleAt))
				}
				b.WriteString(l)
			}
			b.WriteString("\n")
		}
		return b.String()
	}
	for _, r := range all {
		extra := r[3]
		switch {
		case widths[0]+widths[1]+widths[2]+2*gap <= width:
			pad(&b, r[:2], widths[:2])
			b.WriteString(r[2])
		case len([]rune(r[0]+r[1]+r[2]))+2*gap <= width:
			b.WriteString(r[0] + "  " + r[1] + "  " + r[2])
		default: // too narrow even for that: the guide joins the needs
			b.WriteString(r[0] + "  " + r[1])
			extra = r[2] + "; " + r[3]
		}
		if r[0] == "ID" {
			b.WriteString("\n" + strings.Repeat(" ", hang) + "TITLE (NEEDS)\n")
			continue
		}
		for _, l := range wrap(r[4]+" ("+extra+")", max(width-hang, 20)) {
			b.WriteString("\n" + strings.Repeat(" ", hang) + l)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (e *env) explainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "explain ID|name",
		Short: "Show the whole text of one check",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, ok := diagnosis.Lookup(args[0])
			if !ok {
				msg := fmt.Sprintf("no check %q", args[0])
				if s := diagnosis.Suggest(args[0]); s != "" {
					msg += fmt.Sprintf(" (did you mean %s?)", s)
				}
				return usageErr(fmt.Errorf("%s", msg))
			}
			fmt.Fprint(e.stdout, Explain(c, min(e.width(), explainWidth)))
			return nil
		},
	}
}

// Explain renders a check's documentation, like `staticcheck -explain`,
// wrapped to width columns.
func Explain(c *diagnosis.Check, width int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s\n\n", c.ID, c.Name, c.Title)
	if g, ok := contio.LookupGuide(c.Guide); ok && g.Key != "" {
		fmt.Fprintf(&b, "Guide:    %s\n          %s\n", g.Heading, g.URL())
	} else {
		fmt.Fprintf(&b, "Guide:    beyond the troubleshooting guide\n")
	}
	for _, f := range [][2]string{{"Severity:", c.Severity.String()}, {"Needs:", c.Needs.String()}, {"Probe:", safety(c.Safety)}} {
		for i, l := range wrap(f[1], width-10) {
			if i == 0 {
				fmt.Fprintf(&b, "%-9s %s\n", f[0], l)
			} else {
				fmt.Fprintf(&b, "          %s\n", l)
			}
		}
	}
	b.WriteString("\n")
	section := func(name, text string) {
		fmt.Fprintf(&b, "%s\n", name)
		for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
			for _, l := range wrap(line, width-2) {
				fmt.Fprintf(&b, "  %s\n", l)
			}
		}
		b.WriteString("\n")
	}
	section("Symptom", c.Symptom)
	section("Cause", c.Cause)
	section("Fix", c.Fix)
	section("A pass means", c.Verifies)
	return b.String()
}

func safety(s int) string {
	switch s {
	case 0:
		return "S0, offline: reads the config only"
	case 1:
		return "S1, read-only requests"
	case 2:
		return "S2, creates harmless server state (opt-in)"
	}
	return "S3, mints tokens or sends to your server (explicit opt-in)"
}

// explainWidth is the widest explain wraps its paragraphs to: prose reads
// best in short lines, even in a wide terminal.
const explainWidth = 100

// wrap breaks text at spaces so no line exceeds width, unless one word does.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case len([]rune(line))+1+len([]rune(w)) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return append(lines, line)
}
