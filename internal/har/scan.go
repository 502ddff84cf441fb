package har

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// scanner is a small streaming JSON tokenizer built for HAR files: it keeps
// a fixed window of the input, returns the strings a caller asks for (up to
// a size limit) and skips everything else without allocating, so a
// gigabyte of response bodies costs a few hundred kilobytes of memory.
// encoding/json's Decoder would buffer and copy every skipped value.
type scanner struct {
	r     io.Reader
	buf   []byte
	pos   int   // next unread byte in buf
	end   int   // bytes of buf holding input
	base  int64 // stream offset of buf[0]
	lines int   // newlines before buf[0]
	// lineStart is the stream offset where the line holding buf[0]
	// starts, for columns once the start of the line has left buf.
	lineStart int64
	eof       bool
	rerr      error
	// scratch holds the bytes of the string being read.
	scratch []byte
	// markPos/markLines cache the newline count of buf[:markPos], so
	// asking for the line of each entry costs only the bytes since the last.
	markPos, markLines int
}

const windowSize = 256 << 10

func newScanner(r io.Reader) *scanner {
	// Start small (most fuzz inputs and test captures are tiny) and grow
	// to the full window once the input proves large.
	return &scanner{r: r, buf: make([]byte, 4<<10)}
}

// SyntaxError is malformed input, with where it was found.
type SyntaxError struct {
	Offset int64 // byte offset, 0-based
	Line   int   // 1-based
	Column int   // 1-based, in bytes
	Msg    string
}

func (e *SyntaxError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("line %d, column %d (byte %d): %s", e.Line, e.Column, e.Offset, e.Msg)
	}
	return fmt.Sprintf("line %d (byte %d): %s", e.Line, e.Offset, e.Msg)
}

// errorf builds a SyntaxError at the current position.
func (s *scanner) errorf(format string, args ...any) error {
	consumed := s.buf[:s.pos]
	line := s.lines + bytes.Count(consumed, []byte{'\n'}) + 1
	col := 0
	if nl := bytes.LastIndexByte(consumed, '\n'); nl >= 0 {
		col = s.pos - nl
	} else {
		col = int(s.base+int64(s.pos)-s.lineStart) + 1
	}
	return &SyntaxError{Offset: s.base + int64(s.pos), Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// linesBefore counts the newlines in buf[:p] (p at or after the mark).
func (s *scanner) linesBefore(p int) int {
	if p < s.markPos {
		s.markPos, s.markLines = 0, 0
	}
	s.markLines += bytes.Count(s.buf[s.markPos:p], []byte{'\n'})
	s.markPos = p
	return s.markLines
}

// line is the 1-based line of pos.
func (s *scanner) line() int { return s.lines + s.linesBefore(s.pos) + 1 }

// fill reads more input, keeping buf[pos:end]. It returns false at the end
// of the input (or on a read error, kept in rerr).
func (s *scanner) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		s.lines += s.linesBefore(s.pos)
		if nl := bytes.LastIndexByte(s.buf[:s.pos], '\n'); nl >= 0 {
			s.lineStart = s.base + int64(nl) + 1
		}
		s.markPos, s.markLines = 0, 0
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.base += int64(s.pos)
		s.end, s.pos = n, 0
	}
	if s.end == len(s.buf) && len(s.buf) < windowSize {
		s.buf = append(s.buf, make([]byte, len(s.buf))...)[:min(2*len(s.buf), windowSize)]
	}
	if s.end == len(s.buf) {
		// Only ensure() asks for more than one byte, and never for more
		// than a window; a full window here means there is nothing to do.
		return true
	}
	for empty := 0; ; empty++ {
		if empty == maxEmptyReads {
			// A reader that never returns data nor an error would spin
			// here forever.
			s.eof, s.rerr = true, io.ErrNoProgress
			return false
		}
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.rerr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// maxEmptyReads is how many (0, nil) reads in a row fill tolerates, as
// bufio does.
const maxEmptyReads = 100

// ensure makes n bytes available from pos, if the input has them.
func (s *scanner) ensure(n int) bool {
	for s.end-s.pos < n {
		before := s.end - s.pos
		if !s.fill() || s.end-s.pos == before {
			return s.end-s.pos >= n
		}
	}
	return true
}

// eofError is the error for input that stops in the middle of a value.
func (s *scanner) eofError(what string) error {
	if s.rerr != nil {
		return fmt.Errorf("read: %w", s.rerr)
	}
	return s.errorf("unexpected end of input in %s", what)
}

// peek skips whitespace and returns the next byte without consuming it.
func (s *scanner) peek() (byte, bool) {
	for {
		for s.pos < s.end {
			c := s.buf[s.pos]
			if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
				return c, true
			}
			s.pos++
		}
		if !s.fill() {
			return 0, false
		}
	}
}

// expect consumes byte c (after whitespace).
func (s *scanner) expect(c byte, what string) error {
	got, ok := s.peek()
	if !ok {
		return s.eofError(what)
	}
	if got != c {
		return s.errorf("expected %q %s, found %s", c, what, quoteByte(got))
	}
	s.pos++
	return nil
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", c)
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// readString reads a JSON string and returns up to limit bytes of its
// value; truncated is true when the value was longer. The returned slice
// is valid until the next read.
func (s *scanner) readString(limit int) (val []byte, truncated bool, err error) {
	if err := s.expect('"', "at the start of a string"); err != nil {
		return nil, false, err
	}
	out := s.scratch[:0]
	defer func() { s.scratch = out[:0] }()
	for {
		if s.pos >= s.end && !s.fill() {
			return nil, false, s.eofError("a string")
		}
		win := s.buf[s.pos:s.end]
		q := bytes.IndexByte(win, '"')
		stop := q
		if stop < 0 {
			stop = len(win)
		}
		if b := bytes.IndexByte(win[:stop], '\\'); b >= 0 {
			stop = b
		}
		if room := limit - len(out); room < stop {
			// Keep what fits, then skip the rest of the string fast.
			out = append(out, win[:max(room, 0)]...)
			s.pos += max(room, 0)
			if err := s.skipStringRest(); err != nil {
				return nil, false, err
			}
			return out, true, nil
		}
		out = append(out, win[:stop]...)
		s.pos += stop
		if s.pos >= s.end {
			continue
		}
		if s.buf[s.pos] == '"' {
			s.pos++
			return out, false, nil
		}
		// An escape.
		r, n, err := s.escape()
		if err != nil {
			return nil, false, err
		}
		if len(out)+n > limit {
			if err := s.skipStringRest(); err != nil {
				return nil, false, err
			}
			return out, true, nil
		}
		out = utf8.AppendRune(out, r)
	}
}

// escape decodes the escape sequence at pos (which holds the backslash).
func (s *scanner) escape() (r rune, size int, err error) {
	if !s.ensure(2) {
		return 0, 0, s.eofError("a string escape")
	}
	c := s.buf[s.pos+1]
	if r := simpleEscape(c); r >= 0 {
		s.pos += 2
		return r, 1, nil
	}
	if c != 'u' {
		return 0, 0, s.errorf("invalid escape \\%c in a string", c)
	}
	r1, err := s.hex4()
	if err != nil {
		return 0, 0, err
	}
	if utf16.IsSurrogate(r1) {
		if s.ensure(6) && s.buf[s.pos] == '\\' && s.buf[s.pos+1] == 'u' {
			save := s.pos
			r2, err := s.hex4()
			if err == nil {
				if d := utf16.DecodeRune(r1, r2); d != utf8.RuneError {
					return d, utf8.RuneLen(d), nil
				}
			}
			s.pos = save
		}
		return utf8.RuneError, 3, nil
	}
	return r1, utf8.RuneLen(r1), nil
}

// simpleEscape is the rune a one-letter escape stands for, or -1.
func simpleEscape(c byte) rune {
	switch c {
	case '"', '\\', '/':
		return rune(c)
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	}
	return -1
}

// hex4 reads \uXXXX at pos.
func (s *scanner) hex4() (rune, error) {
	if !s.ensure(6) {
		return 0, s.eofError("a \\u escape")
	}
	v, err := strconv.ParseUint(string(s.buf[s.pos+2:s.pos+6]), 16, 16)
	if err != nil {
		return 0, s.errorf("invalid \\u escape in a string")
	}
	s.pos += 6
	return rune(v), nil
}

// skipStringRest skips to just past the closing quote of the string pos
// is inside of (not in the middle of an escape). It looks only for quotes
// and counts the backslashes before each: fast on long bodies.
func (s *scanner) skipStringRest() error {
	carry := 0 // backslashes that ended the previous window
	for {
		if s.pos >= s.end && !s.fill() {
			return s.eofError("a string")
		}
		win := s.buf[s.pos:s.end]
		q := bytes.IndexByte(win, '"')
		if q < 0 {
			k := trailingBackslashes(win)
			if k == len(win) {
				carry += k
			} else {
				carry = k
			}
			s.pos = s.end
			continue
		}
		k := trailingBackslashes(win[:q])
		if k == q {
			k += carry
		}
		s.pos += q + 1
		if k%2 == 0 {
			return nil
		}
		carry = 0
	}
}

func trailingBackslashes(b []byte) int {
	n := 0
	for i := len(b) - 1; i >= 0 && b[i] == '\\'; i-- {
		n++
	}
	return n
}

// readScalar reads a number or a literal (true, false, null) and returns
// its text.
func (s *scanner) readScalar() (string, error) {
	var tok [64]byte
	n := 0
	for {
		if s.pos >= s.end && !s.fill() {
			break
		}
		c := s.buf[s.pos]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '-' || c == '+' || c == '.' || c == 'E') {
			break
		}
		if n == len(tok) {
			return "", s.errorf("number or literal too long")
		}
		tok[n] = c
		n++
		s.pos++
	}
	t := string(tok[:n])
	switch {
	case n == 0:
		c, _ := s.peek()
		return "", s.errorf("expected a value, found %s", quoteByte(c))
	case t == "true" || t == "false" || t == "null":
		return t, nil
	}
	if _, err := strconv.ParseFloat(t, 64); err != nil {
		return "", s.errorf("invalid number or literal %q", t)
	}
	return t, nil
}

// readNumber reads a JSON number; null reads as 0 (some writers emit it).
func (s *scanner) readNumber(what string) (float64, error) {
	c, ok := s.peek()
	if !ok {
		return 0, s.eofError(what)
	}
	if c == '"' {
		// A few tools quote numbers; accept them.
		v, _, err := s.readString(64)
		if err != nil {
			return 0, err
		}
		f, perr := strconv.ParseFloat(string(v), 64)
		if perr != nil {
			return 0, s.errorf("%s: %q is not a number", what, v)
		}
		return f, nil
	}
	t, err := s.readScalar()
	if err != nil {
		return 0, err
	}
	switch t {
	case "null":
		return 0, nil
	case "true", "false":
		return 0, s.errorf("%s: expected a number, found %s", what, t)
	}
	f, _ := strconv.ParseFloat(t, 64)
	return f, nil
}

// readText reads a string value, or null as "".
func (s *scanner) readText(limit int) (string, bool, error) {
	c, ok := s.peek()
	if !ok {
		return "", false, s.eofError("a string")
	}
	if c != '"' {
		t, err := s.readScalar()
		if err != nil {
			return "", false, err
		}
		if t == "null" {
			return "", false, nil
		}
		return t, false, nil // a number or boolean where text was expected: keep its text
	}
	v, trunc, err := s.readString(limit)
	return string(v), trunc, err
}

// maxDepth bounds nesting in skipped values.
const maxDepth = 512

// skipValue skips one value of any kind, checking that brackets match.
func (s *scanner) skipValue() error {
	var stack [maxDepth]byte
	depth := 0
	expectValue := true
	for {
		c, ok := s.peek()
		if !ok {
			return s.eofError("a value")
		}
		switch {
		case c == '{' || c == '[':
			if depth == maxDepth {
				return s.errorf("nesting deeper than %d", maxDepth)
			}
			stack[depth] = c + 2 // '{'+2 == '}', '['+2 == ']'
			depth++
			s.pos++
			expectValue = true
			continue
		case c == '}' || c == ']':
			if depth == 0 || stack[depth-1] != c {
				return s.errorf("unexpected %q", c)
			}
			depth--
			s.pos++
		case c == ',' || c == ':':
			if depth == 0 {
				return s.errorf("unexpected %q", c)
			}
			s.pos++
			expectValue = true
			continue
		case c == '"':
			s.pos++
			if err := s.skipStringRest(); err != nil {
				return err
			}
		default:
			if !expectValue {
				return s.errorf("unexpected %s", quoteByte(c))
			}
			if _, err := s.readScalar(); err != nil {
				return err
			}
		}
		expectValue = false
		if depth == 0 {
			return nil
		}
	}
}

// object reads an object, calling fn for each key; fn must consume the
// value. A null reads as an empty object.
func (s *scanner) object(what string, fn func(key string) error) error {
	return s.container(what, "an object", '{', '}', func() error {
		k, _, err := s.readString(128)
		if err != nil {
			return err
		}
		key := string(k)
		if err := s.expect(':', "after an object key"); err != nil {
			return err
		}
		return fn(key)
	})
}

// array reads an array, calling fn for each element; fn must consume it.
// A null reads as an empty array.
func (s *scanner) array(what string, fn func() error) error {
	return s.container(what, "an array", '[', ']', fn)
}

// container reads the punctuation shared by objects and arrays (null,
// the brackets, the commas) and calls item for each member.
func (s *scanner) container(what, kind string, open, end byte, item func() error) error {
	c, ok := s.peek()
	if !ok {
		return s.eofError(what)
	}
	if c == 'n' {
		if t, err := s.readScalar(); err != nil || t != "null" {
			return s.errorf("%s: expected %s", what, kind)
		}
		return nil
	}
	if c != open {
		return s.errorf("%s: expected %s, found %s", what, kind, quoteByte(c))
	}
	s.pos++
	first := true
	for {
		c, ok := s.peek()
		if !ok {
			return s.eofError(what)
		}
		if c == end {
			s.pos++
			return nil
		}
		if !first {
			if c != ',' {
				return s.errorf("%s: expected ',' or '%c', found %s", what, end, quoteByte(c))
			}
			s.pos++
		}
		first = false
		if err := item(); err != nil {
			return err
		}
	}
}
