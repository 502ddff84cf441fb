package checks

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/redact"
)

// Helpers shared by the CD1xxx credential checks: naming a character
// without printing the value around it, and masking a credential.

// knownRuneName names the characters that end up in credentials by accident,
// with the names a partner will recognise.
func knownRuneName(r rune) (string, bool) {
	switch r {
	case 0x00:
		return "NUL", true
	case '\t':
		return "tab", true
	case '\n':
		return "line feed (LF)", true
	case 0x0b:
		return "vertical tab", true
	case 0x0c:
		return "form feed", true
	case '\r':
		return "carriage return (CR)", true
	case 0x1b:
		return "escape", true
	case ' ':
		return "space", true
	case 0x7f:
		return "delete (DEL)", true
	case 0x85:
		return "next line (NEL)", true
	case 0xa0:
		return "non-breaking space", true
	case 0xad:
		return "soft hyphen", true
	case 0x2002:
		return "en space", true
	case 0x2003:
		return "em space", true
	case 0x2009:
		return "thin space", true
	case 0x200b:
		return "zero-width space", true
	case 0x200c:
		return "zero-width non-joiner", true
	case 0x200d:
		return "zero-width joiner", true
	case 0x200e:
		return "left-to-right mark", true
	case 0x200f:
		return "right-to-left mark", true
	case 0x2028:
		return "line separator", true
	case 0x2029:
		return "paragraph separator", true
	case 0x202f:
		return "narrow non-breaking space", true
	case 0x2060:
		return "word joiner", true
	case 0x3000:
		return "ideographic space", true
	case 0xfeff:
		return "byte order mark (BOM)", true
	case 0xfffd:
		return "replacement character (a byte that was not valid UTF-8)", true
	}
	return "", false
}

// runeName names r with its code point: "line feed (LF, U+000A)".
func runeName(r rune) string {
	code := fmt.Sprintf("U+%04X", r)
	if r == utf8.RuneError {
		return "invalid UTF-8 byte"
	}
	name, ok := knownRuneName(r)
	switch {
	case ok:
	case unicode.IsControl(r):
		name = "control character"
	case unicode.Is(unicode.Cf, r):
		name = "invisible formatting character"
	case unicode.IsSpace(r):
		name = "whitespace character"
	default:
		name = "non-ASCII character"
	}
	if open := strings.LastIndexByte(name, '('); open >= 0 && strings.HasSuffix(name, ")") {
		return name[:len(name)-1] + ", " + code + ")"
	}
	return name + " (" + code + ")"
}

// aRune is runeName with its article: "a line feed (LF, U+000A)".
func aRune(r rune) string {
	name := runeName(r)
	if strings.ContainsRune("aeiouAEIOU", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}

// strayRune reports whether r does not belong in a credential: anything
// but printable ASCII. Interior ASCII spaces are left to the form-encoding
// check (CD1003); leading and trailing ones are judged by the caller.
func strayRune(r rune) bool {
	return r < 0x20 || r > 0x7e
}

// position says where rune i (0-based) of n sits, in words.
func position(i, n int) string {
	switch {
	case n == 1:
		return "as its only character"
	case i == 0:
		return "at the start"
	case i == n-1:
		return "at the end"
	}
	return fmt.Sprintf("at character %d of %d", i+1, n)
}

// isClientID reports whether a credential name is a client ID, which is
// not secret and may be shown as it is.
func isClientID(name string) bool {
	return strings.HasSuffix(name, "client_id")
}

// mask shows a client ID quoted (escapes visible) and any other credential
// only as its fingerprint.
func mask(name, raw string) string {
	if isClientID(name) {
		return fmt.Sprintf("%q", raw)
	}
	return redact.Fingerprint(raw)
}

// clientCredentials are the credentials the OAuth client authenticates with.
func clientCredentials(ig *integration.Integration) []integration.Secret {
	var out []integration.Secret
	for _, c := range ig.Credentials() {
		if c.Name == "oauth.client_id" || c.Name == "oauth.client_secret" {
			out = append(out, c)
		}
	}
	return out
}

// joinAnd joins phrases as "a, b and c".
func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
