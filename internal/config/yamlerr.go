package config

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/Contio-AI/contio-doctor/internal/lazyre"
)

// Compiled on the first syntax error, not at every start of the binary;
// declared as data, so not even the lazy wrapper is built at init.
var (
	yamlLine   = &lazyre.Regexp{Expr: `^yaml: line (\d+): (.*)$`}
	yamlAnchor = &lazyre.Regexp{Expr: `^yaml: unknown anchor '(.*)' referenced$`}
)

// yamlHint adds what to do to one of yaml.v3's terse syntax messages ("" for
// none). A switch, not a map: nothing to build at init.
func yamlHint(msg string) string {
	switch msg {
	case "found unexpected end of stream":
		return "an unclosed quote or bracket"
	case "mapping values are not allowed in this context":
		return "a value holding \": \" must be quoted, or a key is indented too far"
	case "found a tab character that violates indentation":
		return "indent with spaces, not tabs"
	case "did not find expected key":
		return "a line is indented differently from its siblings"
	case "found character that cannot start any token":
		return "a value starting with @, ` or % must be quoted"
	case "control characters are not allowed":
		return "write it as an escape inside double quotes, like \"\\u0007\""
	}
	return ""
}

// yamlError maps a yaml.v3 syntax error to file:line(:col). yaml.v3 gives a
// line for most errors, but 0-based for parser errors and counted from the
// start of the enclosing construct (an unclosed quote is reported where it
// opens); errors without a line are located here by scanning the bytes.
// yaml.v3's messages describe the syntax, never a value, so they are safe
// to show.
func yamlError(file string, data []byte, err error) error {
	msg := err.Error()
	e := &Error{File: file}
	if m := yamlLine.Get().FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if isParserProblem(msg) {
			e.Line++
		}
		if strings.Contains(msg, "tab character") {
			// Reported where the enclosing scalar starts; point at the tab.
			e.Line, e.Column = firstIndentTab(data, e.Line)
		}
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
		switch {
		case yamlAnchor.Get().MatchString(err.Error()):
			name := yamlAnchor.Get().FindStringSubmatch(err.Error())[1]
			e.Line, e.Column = offsetPosition(data, bytes.Index(data, []byte("*"+name)))
			msg = "an alias refers to an anchor that is not defined above it"
		case strings.Contains(msg, "control characters") || strings.Contains(msg, "UTF-8"):
			e.Line, e.Column = offsetPosition(data, firstBadChar(data))
		default:
			// Neither mark was past the first line: the problem is on line 1.
			e.Line = 1
		}
	}
	// yaml.v3 may count the end of the stream as one more line.
	if last := lineCount(data); e.Line > last || e.Line < 1 {
		e.Line, e.Column = min(max(e.Line, 1), last), 0
	}
	hint := yamlHint(msg)
	if e.Column == 0 {
		var tab bool
		e.Column, tab = guessColumn(lineAt(data, e.Line), msg)
		if tab {
			// yaml.v3 calls a tab in the indentation a character that
			// cannot start a token; say what it is.
			msg, hint = "a tab in the indentation", "YAML indents with spaces only; replace the tabs with spaces"
		}
	}
	e.Msg = "invalid YAML: " + msg
	if hint != "" {
		e.Msg += " (" + hint + ")"
	}
	return e
}

// lineAt returns line n (1-based) of data without its newline.
func lineAt(data []byte, n int) []byte {
	for i, l := range bytes.SplitN(data, []byte("\n"), n+1) {
		if i+1 == n {
			return l
		}
	}
	return nil
}

// guessColumn points into a line yaml.v3 named without a column: at a tab
// in its indentation (tab is then true), at the character that cannot start
// a token, else at its first non-blank character.
func guessColumn(line []byte, msg string) (col int, tab bool) {
	indent := 0
	for indent < len(line) && (line[indent] == ' ' || line[indent] == '\t') {
		if line[indent] == '\t' && strings.Contains(msg, "cannot start any token") {
			return 1 + utf8.RuneCount(line[:indent]), true
		}
		indent++
	}
	if strings.Contains(msg, "cannot start any token") {
		if i := bytes.IndexAny(line[indent:], "@`%\t"); i >= 0 {
			return 1 + utf8.RuneCount(line[:indent+i]), false
		}
	}
	if indent == len(line) {
		return 1, false
	}
	return 1 + utf8.RuneCount(line[:indent]), false
}

// isParserProblem reports whether msg comes from yaml.v3's parser (whose
// line numbers are 0-based) rather than its scanner.
func isParserProblem(msg string) bool {
	for _, p := range []string{"did not find expected", "found duplicate", "found incompatible", "found undefined tag handle"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// firstBadChar is the byte offset of the first invalid UTF-8 sequence or
// character YAML forbids, or -1.
func firstBadChar(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 || !yamlAllowed(r) {
			return i
		}
		i += size
	}
	return -1
}

// yamlAllowed is YAML 1.2's printable character set.
func yamlAllowed(r rune) bool {
	switch {
	case r == 0x09, r == 0x0A, r == 0x0D, r >= 0x20 && r <= 0x7E, r == 0x85,
		r >= 0xA0 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// offsetPosition turns a byte offset into a 1-based line and column
// (counted in characters); (0, 0) for a negative offset.
func offsetPosition(data []byte, off int) (line, col int) {
	if off < 0 || off > len(data) {
		return 0, 0
	}
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, 1 + utf8.RuneCount(before)
}

// firstIndentTab finds the first tab in a line's indentation at or after
// line from; it returns from itself (and column 0) when there is none.
func firstIndentTab(data []byte, from int) (line, col int) {
	for i, l := range bytes.Split(data, []byte("\n")) {
		if i+1 < from {
			continue
		}
		for j, c := range l {
			if c == '\t' {
				return i + 1, j + 1
			}
			if c != ' ' {
				break
			}
		}
	}
	return from, 0
}

// lineCount is the number of lines in data (a final newline does not
// start another line), at least 1.
func lineCount(data []byte) int {
	n := bytes.Count(data, []byte("\n"))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n++
	}
	return max(n, 1)
}
