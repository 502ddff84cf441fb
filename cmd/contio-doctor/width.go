package main

import (
	"io"
	"os"
	"strconv"

	"github.com/charmbracelet/x/term"
)

// defaultWidth is the layout width off a terminal (files, pipes, CI logs),
// so that saved reports do not depend on who ran them.
const defaultWidth = 100

// minWidth is the narrowest layout; below it lines would hold one word.
const minWidth = 40

// terminalColumns is w's width in columns when it is a terminal, else 0
// (the ioctl fails).
func terminalColumns(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	cols, _, err := term.GetSize(f.Fd())
	if err != nil {
		return 0
	}
	return cols
}

// width is the layout width of what goes to stdout: on a terminal,
// COLUMNS when set (the user's say), else the terminal's own width; off a
// terminal, defaultWidth.
func (e *env) width() int {
	if !e.stdoutTTY() {
		return defaultWidth
	}
	if v, ok := e.lookupEnv("COLUMNS"); ok {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			return max(n, minWidth)
		}
	}
	if cols := e.stdoutColumns(); cols > 0 {
		return max(cols, minWidth)
	}
	return defaultWidth
}
