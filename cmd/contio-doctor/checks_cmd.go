package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
)

func (e *env) checksCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "checks",
		Short: "List every check: ID, name, guide entry, title, what it needs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tGUIDE\tTITLE\tNEEDS")
			for _, g := range contio.Guide {
				for _, c := range checks.All() {
					if c.Guide != g.Key {
						continue
					}
					guide := string(c.Guide)
					if guide == "" {
						guide = "-"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Name, guide, c.Title, c.Needs)
				}
			}
			return tw.Flush()
		},
	}
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
			fmt.Fprint(e.stdout, Explain(c))
			return nil
		},
	}
}

// Explain renders a check's documentation, like `staticcheck -explain`.
func Explain(c *diagnosis.Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s\n\n", c.ID, c.Name, c.Title)
	if g, ok := contio.LookupGuide(c.Guide); ok && g.Key != "" {
		fmt.Fprintf(&b, "Guide:    %s\n          %s\n", g.Heading, g.URL())
	} else {
		fmt.Fprintf(&b, "Guide:    beyond the troubleshooting guide\n")
	}
	fmt.Fprintf(&b, "Severity: %s\nNeeds:    %s\nProbe:    %s\n\n", c.Severity, c.Needs, safety(c.Safety))
	section := func(name, text string) {
		fmt.Fprintf(&b, "%s\n", name)
		for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
			for _, l := range wrap(line, explainWidth-2) {
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

// explainWidth is the width explain wraps its paragraphs to.
const explainWidth = 80

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
