package checks

import (
	"encoding/base64"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// What the CD1101–CD1105 family shares: reading a Basic Authorization
// value the way a forgiving reader would, so each check can judge one
// aspect even when another is broken too.

// basicAuthCommands build a correct header in a shell; every check of
// the family offers them.
var basicAuthCommands = []string{
	`printf '%s' "$CONTIO_CLIENT_ID:$CONTIO_CLIENT_SECRET" | base64 -w0   # GNU/Linux; on macOS: | base64 (it does not wrap)`,
}

// basicAuthInCode ends the family's Fix texts: the same header built in code.
const basicAuthInCode = " In Go, req.SetBasicAuth(clientID, clientSecret) builds it; in Node.js, " +
	"'Basic ' + Buffer.from(`${clientId}:${clientSecret}`).toString('base64')."

// basicValue is one Authorization value taken apart.
type basicValue struct {
	name string // "oauth.basic_auth_header" or "calls[2].authorization (token exchange)"
	v    integration.Value
	// scheme is the leading word ("Basic", "Bearer"), "" when the value
	// starts with the credentials; sep is the whitespace after it.
	scheme, sep string
	creds       string
	// decoded is the credentials after a forgiving decode (whitespace
	// dropped, URL-safe alphabet and missing padding accepted); ok is
	// false when even that fails.
	decoded string
	ok      bool
}

// parseBasic takes an Authorization value apart.
func parseBasic(name string, v integration.Value) basicValue {
	b := basicValue{name: name, v: v}
	b.scheme, b.sep, b.creds = splitScheme(v.Raw)
	b.decoded, b.ok = lenientBase64(b.creds)
	return b
}

// splitScheme splits an Authorization value into its scheme word, the
// blanks after it and the credentials; with no scheme word, all of raw is
// the credentials.
func splitScheme(raw string) (scheme, sep, creds string) {
	s := strings.TrimLeft(raw, " \t")
	word := s
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		word = s[:i]
	}
	if word != "" && word != s && isSchemeWord(word) {
		rest := s[len(word):]
		body := strings.TrimLeft(rest, " \t")
		return word, rest[:len(rest)-len(body)], body
	}
	return "", "", raw
}

// isSchemeWord: an auth scheme is a short run of letters (Basic, Bearer, Digest, Token).
func isSchemeWord(w string) bool {
	if len(w) > 12 {
		return false
	}
	for _, r := range w {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return false
		}
	}
	return true
}

// lenientBase64 decodes s accepting what strict decoders refuse.
func lenientBase64(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		case '-':
			return '+'
		case '_':
			return '/'
		}
		return r
	}, s)
	s = strings.TrimRight(s, "=")
	if s == "" {
		return "", false
	}
	dec, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return "", false
	}
	return string(dec), true
}

// basicValues are the Basic credentials the integration computes or was
// seen sending: oauth.basic_auth_header and observed Basic Authorization
// values.
func basicValues(ig *integration.Integration) []basicValue {
	var out []basicValue
	if h := ig.OAuth.BasicAuthHeader; h.Raw != "" {
		out = append(out, parseBasic("oauth.basic_auth_header", h))
	}
	for i, c := range ig.Calls {
		if c.Authorization.Raw == "" {
			continue
		}
		// Only Basic values are kept: decode and name only those.
		if scheme, _, _ := splitScheme(c.Authorization.Raw); !strings.EqualFold(scheme, "basic") {
			continue
		}
		out = append(out, parseBasic(callName(i, c)+" Authorization", c.Authorization))
	}
	return out
}

// decodedBasic are the values among basicValues that decode.
func decodedBasic(ig *integration.Integration) ([]basicValue, error) {
	all := basicValues(ig)
	if len(all) == 0 {
		return nil, Skip("no Basic credentials to inspect", "set oauth.basic_auth_header to the Authorization value your code computes")
	}
	var out []basicValue
	for _, b := range all {
		if b.ok {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return nil, Skip("the Basic credentials do not decode as base64 (see CD1102)", "fix the base64 encoding first")
	}
	return out, nil
}

// withoutLineEnd drops one trailing CR LF, LF or CR: CD1103 reports it,
// so the other checks judge the rest.
func withoutLineEnd(s string) string {
	for _, end := range []string{"\r\n", "\n", "\r"} {
		if strings.HasSuffix(s, end) {
			return strings.TrimSuffix(s, end)
		}
	}
	return s
}

// callName names a call for messages: calls[2] (exchange code), or an
// observed call's entry (see callRef).
func callName(i int, c integration.Call) string { return callRef(i, c, false) }
