package report

import (
	"io"
	"sync"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// The text report's styles. Colour carries meaning only: red for what
// fails the run, yellow for warnings, blue for info, green for passes,
// faint for what needs no action. Whether colour is used at all is decided
// by the caller (Options.Color); nothing here looks at the environment,
// which is why the renderer has a fixed 16-colour profile instead of
// probing the terminal.
//
// The renderer calls a style by its meaning; the lipgloss styles behind
// the meanings are built on the first coloured report, so a run whose
// report has no colour (a pipe, CI, --no-color) never builds them.
type style uint8

const (
	stylePlain style = iota
	stylePass
	styleFailError
	styleFailWarning
	styleFailInfo
	styleSkip
	styleWaived
	styleErrored
	styleSection
	styleEntry
	styleID
	styleMessage
	styleLabel
	styleCommand
	styleFaint
	styleExitOK
	styleCount
)

// lipglossStyles builds the table behind the meanings, once.
var lipglossStyles = sync.OnceValue(func() *[styleCount]lipgloss.Style {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI)
	r.SetHasDarkBackground(true)
	newStyle := func() lipgloss.Style { return r.NewStyle().Inline(true) }
	return &[styleCount]lipgloss.Style{
		stylePlain:       newStyle(),
		stylePass:        newStyle().Foreground(lipgloss.Color("2")),
		styleFailError:   newStyle().Foreground(lipgloss.Color("1")).Bold(true),
		styleFailWarning: newStyle().Foreground(lipgloss.Color("3")).Bold(true),
		styleFailInfo:    newStyle().Foreground(lipgloss.Color("4")).Bold(true),
		styleSkip:        newStyle().Faint(true),
		styleWaived:      newStyle().Foreground(lipgloss.Color("5")),
		styleErrored:     newStyle().Foreground(lipgloss.Color("5")).Bold(true),
		styleSection:     newStyle().Bold(true),
		styleEntry:       newStyle().Bold(true),
		styleID:          newStyle().Bold(true),
		styleMessage:     newStyle().Bold(true),
		styleLabel:       newStyle().Faint(true),
		styleCommand:     newStyle().Foreground(lipgloss.Color("6")),
		styleFaint:       newStyle().Faint(true),
		styleExitOK:      newStyle().Foreground(lipgloss.Color("2")).Bold(true),
	}
})

// render styles s with st.
func (st style) render(s string) string { return lipglossStyles()[st].Render(s) }

// glyphs are the marks and punctuation of the text report, in Unicode and
// in an ASCII fallback for terminals that cannot show the former. ASCII
// marks are padded to one width so that the IDs after them line up.
type glyphs struct {
	pass, failError, failWarning, failInfo, skip, waived, errored string

	sep, dash, bullet, rule string
}

var (
	unicodeGlyphs = glyphs{
		pass: "✓", failError: "✗", failWarning: "!", failInfo: "!", skip: "-", waived: "~", errored: "E",
		sep: " · ", dash: " — ", bullet: "•", rule: "─",
	}
	asciiGlyphs = glyphs{
		pass: "[ok]    ", failError: "[FAIL]  ", failWarning: "[warn]  ", failInfo: "[info]  ",
		skip: "[skip]  ", waived: "[waived]", errored: "[ERR]   ",
		sep: " | ", dash: " -- ", bullet: "*", rule: "-",
	}
)
