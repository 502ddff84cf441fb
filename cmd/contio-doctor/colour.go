package main

import (
	"slices"

	"github.com/fatih/color"
)

// Colour is decided here, once, for everything the CLI prints: lipgloss
// lays out the report (report.Options.Color) and fatih/color paints the
// CLI's own lines (errors and warnings on stderr, the progress line,
// webhook verify's verdict, the sandbox banner). Both follow useColour.

// useColour is the one colour decision: a terminal, no --no-color, no
// NO_COLOR (any value, https://no-color.org) and a TERM other than dumb.
func (e *env) useColour(toTerminal, noColorFlag bool) bool {
	if !toTerminal || noColorFlag {
		return false
	}
	if _, ok := e.lookupEnv("NO_COLOR"); ok {
		return false
	}
	if term, _ := e.lookupEnv("TERM"); term == "dumb" {
		return false
	}
	return true
}

// palette is the CLI's own colours, each on or off as one decision says.
// Instances, not fatih/color's global NoColor switch, so a decision for
// stderr never leaks into stdout or into another run in the same process.
type palette struct {
	err, warn, ok, fail, dim, accent *color.Color
}

func newPalette(on bool) palette {
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	return palette{
		err:    mk(color.FgRed, color.Bold),
		warn:   mk(color.FgYellow),
		ok:     mk(color.FgGreen, color.Bold),
		fail:   mk(color.FgRed, color.Bold),
		dim:    mk(color.Faint),
		accent: mk(color.FgCyan, color.Bold),
	}
}

// stderrPalette paints lines for stderr; args are the command line, read
// for --no-color because errors are printed after the flags are gone.
func (e *env) stderrPalette(args []string) palette {
	return newPalette(e.useColour(e.stderrIsTTY(), slices.Contains(args, "--no-color")))
}
