package main

import (
	"io"
	"os"
	"sync"

	"github.com/mattn/go-isatty"
)

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// terminal asks the kernel what stdout and stderr are, once each and only
// when a command needs to know.
type terminal struct {
	stdout, stderr func() bool
	columns        func() int
}

func detectTerminal(stdout, stderr io.Writer) *terminal {
	out := sync.OnceValue(func() bool { return isTerminal(stdout) })
	return &terminal{
		stdout: out,
		stderr: sync.OnceValue(func() bool { return isTerminal(stderr) }),
		columns: sync.OnceValue(func() int {
			if !out() {
				return 0
			}
			return terminalColumns(stdout)
		}),
	}
}

// stdoutTTY reports whether stdout is a terminal.
func (e *env) stdoutTTY() bool {
	if e.term != nil {
		return e.term.stdout()
	}
	return e.isTTY
}

// stderrIsTTY reports whether stderr is a terminal.
func (e *env) stderrIsTTY() bool {
	if e.term != nil {
		return e.term.stderr()
	}
	return e.stderrTTY
}

// stdoutColumns is stdout's terminal width (0: unknown or not a terminal).
func (e *env) stdoutColumns() int {
	if e.term != nil {
		return e.term.columns()
	}
	return e.columns
}
