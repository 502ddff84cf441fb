package config

import (
	"strings"
)

// envEntry is one KEY=value line of a dotenv file, with the position of the
// value so a finding can point at it.
type envEntry struct {
	Value  string
	Line   int
	Column int
}

// dotenv is a parsed dotenv file.
type dotenv struct {
	Path   string
	Values map[string]envEntry
}

// lookup returns the entry for key.
func (d *dotenv) lookup(key string) (envEntry, bool) {
	if d == nil {
		return envEntry{}, false
	}
	e, ok := d.Values[key]
	return e, ok
}

// parseDotenv reads a dotenv file the way the common dotenv libraries do
// (`export KEY=...`, `#` comments, blank lines, 'literal', "escaped\n",
// unquoted values with a trailing ` # comment` stripped), except that values
// stay as raw as the app would receive them: a trailing "\r" of a CRLF file
// is kept, and a stray unmatched quote stays in the value. Quoted values end
// on their line (no multi-line values), and nothing is expanded inside a
// value. A later line wins over an earlier one with the same key.
//
// Errors never quote a value: a malformed line may hold a secret.
func parseDotenv(path string, data []byte) (*dotenv, error) {
	d := &dotenv{Path: path, Values: map[string]envEntry{}}
	var errs Errors
	text := strings.TrimPrefix(string(data), "\ufeff") // a BOM before the first key is not part of it
	lineNo := 0
	for len(text) > 0 {
		lineNo++
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		key, entry, msg, col := parseDotenvLine(line)
		switch {
		case msg != "":
			errs = append(errs, &Error{File: path, Line: lineNo, Column: col, Msg: msg})
		case key != "":
			entry.Line = lineNo
			d.Values[key] = entry
		}
		if len(errs) >= maxErrors {
			break
		}
	}
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	return d, nil
}

// parseDotenvLine parses one line. It returns the key ("" for a blank or
// comment line) and its value, or an error message and the 1-based column
// it refers to.
func parseDotenvLine(line string) (key string, e envEntry, msg string, col int) {
	i := skipBlank(line, 0)
	// A blank line, or one holding only "\r" of a CRLF file, or a comment.
	if i == len(line) || line[i] == '#' || strings.TrimRight(line[i:], "\r") == "" {
		return "", e, "", 0
	}
	if rest, ok := strings.CutPrefix(line[i:], "export"); ok && len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t') {
		i = skipBlank(line, i+len("export"))
	}
	start := i
	for i < len(line) && isNameByte(line[i], i == start) {
		i++
	}
	if i == start {
		return "", e, "expected a variable name (letters, digits, underscores; not starting with a digit)", start + 1
	}
	key = line[start:i]
	i = skipBlank(line, i)
	if i == len(line) || line[i] != '=' {
		// The "name" may be a secret pasted on a line of its own: never echo it.
		return "", e, "expected KEY=value: a variable name must be followed by '='", i + 1
	}
	i = skipBlank(line, i+1)
	e.Column = i + 1
	rest := line[i:]
	switch {
	case strings.HasPrefix(rest, "'"):
		if end := strings.IndexByte(rest[1:], '\''); end >= 0 {
			e.Column++
			e.Value = rest[1 : 1+end]
			if m, c := trailingAfterQuote(rest[2+end:]); m != "" {
				return "", e, m + " in the value of " + keyName(key), i + 2 + end + c
			}
			return key, e, "", 0
		}
	case strings.HasPrefix(rest, `"`):
		if val, n, ok := doubleQuoted(rest[1:]); ok {
			e.Column++
			e.Value = val
			if m, c := trailingAfterQuote(rest[2+n:]); m != "" {
				return "", e, m + " in the value of " + keyName(key), i + 2 + n + c
			}
			return key, e, "", 0
		}
	}
	// Unquoted (or an unmatched quote, kept as part of the value): drop a
	// ` # comment` and trailing blanks, but keep a "\r".
	if j := commentStart(rest); j >= 0 {
		rest = rest[:j]
	}
	e.Value = strings.TrimRight(rest, " \t")
	return key, e, "", 0
}

// doubleQuoted reads a double-quoted value up to its closing quote,
// decoding \n \r \t \" \\ (other backslashes stay). n is the index of the
// closing quote in s.
func doubleQuoted(s string) (val string, n int, ok bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return b.String(), i, true
		case c == '\\' && i+1 < len(s):
			switch s[i+1] {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case '"', '\\':
				b.WriteByte(s[i+1])
			default:
				b.WriteByte('\\')
				b.WriteByte(s[i+1])
			}
			i++
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}

// trailingAfterQuote checks what follows a closing quote: blanks, a "\r",
// or a # comment are fine. It returns a message and the 0-based offset of
// the offending byte.
func trailingAfterQuote(s string) (string, int) {
	j := skipBlank(s, 0)
	rest := strings.TrimRight(s[j:], "\r")
	if rest == "" || rest[0] == '#' {
		return "", 0
	}
	return "unexpected text after the closing quote", j + 1
}

// commentStart finds a # that starts a comment in an unquoted value: at
// the very start, or after a blank.
func commentStart(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t') {
			return i
		}
	}
	return -1
}

func skipBlank(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// isNameByte reports whether c can be part of an environment variable name.
// Dots and dashes are accepted after the first byte, as dotenv libraries do.
func isNameByte(c byte, first bool) bool {
	switch {
	case c == '_' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z':
		return true
	case '0' <= c && c <= '9' || c == '.' || c == '-':
		return !first
	}
	return false
}
