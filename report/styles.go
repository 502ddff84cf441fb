package report

import (
	"io"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// The text report's styles, built once. Colour carries meaning only: red
// for what fails the run, yellow for warnings, blue for info, green for
// passes, faint for what needs no action. Whether colour is used at all is
// decided by the caller (Options.Color); nothing here looks at the
// environment, which is why the renderer has a fixed 16-colour profile
// instead of probing the terminal.
var styleRenderer = func() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI)
	r.SetHasDarkBackground(true)
	return r
}()

func newStyle() lipgloss.Style { return styleRenderer.NewStyle().Inline(true) }

// textStyles are the styles of the text report, one per meaning.
var textStyles = struct {
	pass, failError, failWarning, failInfo, skip, waived, errored lipgloss.Style

	plain, section, entry, id, message, label, command, faint, exitOK lipgloss.Style
}{
	pass:        newStyle().Foreground(lipgloss.Color("2")),
	failError:   newStyle().Foreground(lipgloss.Color("1")).Bold(true),
	failWarning: newStyle().Foreground(lipgloss.Color("3")).Bold(true),
	failInfo:    newStyle().Foreground(lipgloss.Color("4")).Bold(true),
	skip:        newStyle().Faint(true),
	waived:      newStyle().Foreground(lipgloss.Color("5")),
	errored:     newStyle().Foreground(lipgloss.Color("5")).Bold(true),

	plain:   newStyle(),
	section: newStyle().Bold(true),
	entry:   newStyle().Bold(true),
	id:      newStyle().Bold(true),
	message: newStyle().Bold(true),
	label:   newStyle().Faint(true),
	command: newStyle().Foreground(lipgloss.Color("6")),
	faint:   newStyle().Faint(true),
	exitOK:  newStyle().Foreground(lipgloss.Color("2")).Bold(true),
}

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
