package report

import (
	"strings"
)

// shellContinuation ends a wrapped command line; the next line is indented
// by shellIndent. A POSIX shell joins the lines back into one command.
const (
	shellContinuation = " \\"
	shellIndent       = "    "
)

// WrapCommand breaks a "$ command" line into lines of at most width
// columns that a shell accepts as the same command: breaks fall only on
// spaces outside quotes, every line but the last ends with " \", and
// continuation lines are indented. A word longer than the width (a URL)
// keeps a line of its own, unbroken. A line that fits is returned whole.
func WrapCommand(line string, width int) []string {
	if textWidth(line) <= width {
		return []string{line}
	}
	words := shellWords(line)
	// A backslash cannot continue a comment: a trailing "# …" goes on
	// lines of its own after the command.
	var comment []string
	for i, w := range words {
		if strings.HasPrefix(w, "#") {
			words, comment = words[:i], words[i:]
			break
		}
	}
	out := wrapWords(words, width)
	if len(comment) > 0 {
		for _, l := range textWrap(strings.Join(comment[1:], " "), max(width-len(shellIndent)-2, 10)) {
			out = append(out, shellIndent+"# "+l)
		}
	}
	return out
}

// wrapWords joins shell words into continued lines of at most width.
func wrapWords(words []string, width int) []string {
	var out []string
	cur := ""
	for _, w := range words {
		if cur == "" {
			cur = w
			continue
		}
		lead := ""
		if len(out) > 0 {
			lead = shellIndent
		}
		if textWidth(lead+cur+" "+w+shellContinuation) > width {
			out = append(out, lead+cur+shellContinuation)
			cur = w
			continue
		}
		cur += " " + w
	}
	if len(out) > 0 {
		cur = shellIndent + cur
	}
	return append(out, cur)
}

// shellWords splits a command at the spaces a shell would split it at:
// not inside '…' or "…", not after a backslash. The words keep their
// quotes, so joining them with spaces gives the command back.
func shellWords(s string) []string {
	var words []string
	var b strings.Builder
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			escaped = false
		case r == '\\' && quote != '\'':
			escaped = true
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == ' ':
			if b.Len() > 0 {
				words = append(words, b.String())
				b.Reset()
			}
			continue
		}
		b.WriteRune(r)
	}
	if b.Len() > 0 {
		words = append(words, b.String())
	}
	return words
}
