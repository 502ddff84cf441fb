package checks

import (
	"strings"
	"unicode/utf8"
)

// Hand-written matchers for the value shapes the credential checks look
// for. They replace regular expressions that every offline run needed:
// compiling them cost about 0.2 ms and 120 KB of fresh heap per process,
// a visible share of a cold start. shapes_test.go holds the original
// expressions and requires the same answer for every input.

// isJWTShape reports whether v looks like a JWT: eyJ, then three
// dot-separated base64url parts, the last possibly empty.
// Was: ^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$
func isJWTShape(v string) bool {
	rest, ok := strings.CutPrefix(v, "eyJ")
	if !ok {
		return false
	}
	header, rest, ok := strings.Cut(rest, ".")
	if !ok {
		return false
	}
	payload, sig, ok := strings.Cut(rest, ".")
	return ok && header != "" && payload != "" &&
		isBase64URL(header) && isBase64URL(payload) && isBase64URL(sig)
}

func isBase64URL(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isIdentByte(s[i]) && s[i] != '-' {
			return false
		}
	}
	return true
}

// isIdentByte reports whether b is in [A-Za-z0-9_].
func isIdentByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// isBracketedSlot: <...>, [...] or {...} / {{...}} with no nested bracket.
// Was: ^<[^<>]*>$|^\[[^\[\]]*\]$|^\{\{?[^{}]*\}\}?$
func isBracketedSlot(v string) bool {
	if len(v) < 2 {
		return false
	}
	switch v[0] {
	case '<':
		return v[len(v)-1] == '>' && !strings.ContainsAny(v[1:len(v)-1], "<>")
	case '[':
		return v[len(v)-1] == ']' && !strings.ContainsAny(v[1:len(v)-1], "[]")
	case '{':
		open := len(v) - len(strings.TrimLeft(v, "{"))
		closing := len(v) - len(strings.TrimRight(v, "}"))
		if open > 2 || closing < 1 || closing > 2 || open+closing > len(v) {
			return false
		}
		return !strings.ContainsAny(v[open:len(v)-closing], "{}")
	}
	return false
}

// isVariableReference: $NAME, ${NAME} (either brace optional) or %NAME%.
// Was: ^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$|^%[A-Za-z_][A-Za-z0-9_]*%$
func isVariableReference(v string) bool {
	var name string
	switch {
	case strings.HasPrefix(v, "$"):
		name = strings.TrimPrefix(v[1:], "{")
		name = strings.TrimSuffix(name, "}")
	case len(v) >= 2 && v[0] == '%' && v[len(v)-1] == '%':
		name = v[1 : len(v)-1]
	default:
		return false
	}
	if name == "" || '0' <= name[0] && name[0] <= '9' {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !isIdentByte(name[i]) {
			return false
		}
	}
	return true
}

// foldASCII lower-cases v for the case-insensitive word shapes, which
// are all ASCII. Like (?i) in Go's regexp, it folds the Kelvin sign to k
// and the long s to s; any other non-ASCII rune means no word shape can
// match, reported as ok false.
func foldASCII(v string) (folded string, ok bool) {
	var b strings.Builder
	b.Grow(len(v))
	for _, r := range v {
		switch {
		case 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case r == '\u212A': // Kelvin sign
			r = 'k'
		case r == '\u017F': // long s
			r = 's'
		case r >= utf8.RuneSelf:
			return "", false
		}
		b.WriteByte(byte(r))
	}
	return b.String(), true
}

// cutWord removes the first of words that prefixes s.
func cutWord(s string, words ...string) (string, bool) {
	for _, w := range words {
		if rest, ok := strings.CutPrefix(s, w); ok {
			return rest, true
		}
	}
	return s, false
}

// cutSep removes one leading separator of seps, if present.
func cutSep(s, seps string) string {
	if s != "" && strings.IndexByte(seps, s[0]) >= 0 {
		return s[1:]
	}
	return s
}

// cutCredentialName removes a credential's name (client id, client
// secret, api key, webhook secret) written with optional separators.
func cutCredentialName(s, seps string) (string, bool) {
	if rest, ok := strings.CutPrefix(s, "client"); ok {
		return cutWord(cutSep(rest, seps), "id", "secret")
	}
	if rest, ok := strings.CutPrefix(s, "api"); ok {
		return cutWord(cutSep(rest, seps), "key")
	}
	if rest, ok := strings.CutPrefix(s, "webhook"); ok {
		return cutWord(cutSep(rest, seps), "secret")
	}
	return s, false
}

// isTemplateText: "your client secret here", "insert-api-key", ...
// on a folded value.
// Was: (?i)^(your|my|the|insert|enter|paste|put)[-_ ]?(contio[-_ ]?)?(client[-_ ]?(id|secret)|api[-_ ]?key|webhook[-_ ]?secret|secret|key|token|id)([-_ ]?here)?$
func isTemplateText(t string) bool {
	t, ok := cutWord(t, "your", "my", "the", "insert", "enter", "paste", "put")
	if !ok {
		return false
	}
	t = cutSep(t, "-_ ")
	if rest, ok := strings.CutPrefix(t, "contio"); ok {
		t = cutSep(rest, "-_ ")
	}
	if rest, ok := cutCredentialName(t, "-_ "); ok {
		t = rest
	} else if t, ok = cutWord(t, "secret", "key", "token", "id"); !ok {
		return false
	}
	return t == "" || cutSep(t, "-_ ") == "here"
}

// isVariableName: the environment variable's own name, such as
// CONTIO_CLIENT_SECRET, on a folded value.
// Was: (?i)^(contio[-_]?)?(partner[-_]?)?(client[-_]?(id|secret)|api[-_]?key|webhook[-_]?secret)$
func isVariableName(t string) bool {
	if rest, ok := strings.CutPrefix(t, "contio"); ok {
		t = cutSep(rest, "-_")
	}
	if rest, ok := strings.CutPrefix(t, "partner"); ok {
		t = cutSep(rest, "-_")
	}
	t, ok := cutCredentialName(t, "-_")
	return ok && t == ""
}

// standInWords are the whole values isStandInWord accepts as they are.
var standInWords = []string{"todo", "tbd", "fixme", "placeholder", "example", "dummy", "secret",
	"password", "null", "nil", "none", "undefined", "redacted"}

// isStandInWord: xxx, ***, ..., 0000, 1234..., or a word such as todo or
// changeme, on a folded value.
// Was: (?i)^(x{3,}|\*{3,}|\.{3,}|0{4,}|1234\d*|todo|tbd|fixme|change[-_]?me|replace[-_]?me|placeholder|example|dummy|secret|password|null|nil|none|undefined|redacted)$
func isStandInWord(t string) bool {
	if len(t) >= 3 && strings.Count(t, t[:1]) == len(t) && strings.IndexByte("x*.0", t[0]) >= 0 {
		return t[0] != '0' || len(t) >= 4
	}
	if digits, ok := strings.CutPrefix(t, "1234"); ok {
		return strings.Trim(digits, "0123456789") == ""
	}
	if rest, ok := cutWord(t, "change", "replace"); ok {
		return cutSep(rest, "-_") == "me"
	}
	for _, w := range standInWords {
		if t == w {
			return true
		}
	}
	return false
}
