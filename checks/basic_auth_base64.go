package checks

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD1102",
	Name:    "basic-auth-base64",
	Guide:   contio.GuideBasicAuthEncoding,
	Title:   "The Basic credentials are not one line of standard base64",
	Symptom: "The token endpoint answers invalid_client (or the HTTP library refuses to send the header) although the client ID and secret are right.",
	Cause: "The part after `Basic ` must be standard base64 (alphabet A–Z a–z 0–9 + /, padded with =) on a single line. " +
		"GNU `base64` wraps its output every 76 characters, so a long client_id:secret gains a line break; the URL-safe alphabet (- and _) " +
		"or dropped = padding come from JWT and PKCE helpers; and an unencoded client_id:secret is not base64 at all.",
	Fix:      "Encode with standard base64 and no line wrapping (`base64 -w0` on Linux; base64.StdEncoding, not URLEncoding, in Go)." + basicAuthInCode,
	Verifies: "the Basic credentials are valid, unwrapped, padded standard base64.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      basicAuthBase64,
})

// gnuWrap is the column GNU coreutils base64 wraps at by default.
const gnuWrap = 76

func basicAuthBase64(_ context.Context, in *Input) ([]Finding, error) {
	all := basicValues(in.Integration)
	if len(all) == 0 {
		return nil, Skip("no Basic credentials to inspect", "set oauth.basic_auth_header to the Authorization value your code computes")
	}
	var out []Finding
	for _, b := range all {
		if problems := base64Problems(b); len(problems) > 0 {
			out = append(out, Finding{
				Message:  b.name + " " + joinAnd(problems),
				Location: b.v.From,
				Commands: basicAuthCommands,
			})
		}
	}
	return out, nil
}

// base64Problems describes what keeps b.creds from being one line of
// padded standard base64. Positions count from the start of the whole value.
func base64Problems(b basicValue) []string {
	creds := b.creds
	off := len(b.v.Raw) - len(creds)
	at := func(i int) string { return position(off+i, len(b.v.Raw)) }
	if i := strings.IndexByte(creds, ':'); i >= 0 {
		return []string{fmt.Sprintf("is not base64 at all: it has ':' %s, so client_id:secret looks unencoded", at(i))}
	}
	var problems []string
	body := strings.TrimRight(creds, "\r\n")
	if body != creds {
		problems = append(problems, "ends with a line break after the base64 (the encoder's output was kept with its newline)")
	}
	if i := strings.IndexAny(body, "\r\n"); i >= 0 {
		msg := fmt.Sprintf("has a line break %s", at(i))
		if i == gnuWrap {
			msg = fmt.Sprintf("is wrapped after %d characters, as GNU base64 does unless given -w0", gnuWrap)
		}
		problems = append(problems, msg)
	}
	if i := strings.IndexAny(body, " \t"); i >= 0 {
		problems = append(problems, fmt.Sprintf("has %s %s inside the base64", aRune(rune(body[i])), at(i)))
	}
	if strings.ContainsAny(body, "-_") {
		problems = append(problems, "uses the URL-safe alphabet ('-' or '_'); Basic needs standard base64 ('+' and '/')")
	}
	for i, r := range body {
		if !isBase64Rune(r) && !strings.ContainsRune("\r\n \t-_", r) {
			problems = append(problems, fmt.Sprintf("has %s %s, which is not a base64 character", describeRune(r), at(i)))
			break
		}
	}
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune("\r\n \t", r) {
			return -1
		}
		return r
	}, body)
	if n := len(clean); n%4 != 0 && !strings.Contains(clean, "=") {
		problems = append(problems, fmt.Sprintf("lacks its '=' padding (%d characters, not a multiple of 4)", n))
	}
	if len(problems) == 0 {
		if _, err := base64.StdEncoding.Strict().DecodeString(creds); err != nil {
			problems = append(problems, fmt.Sprintf("is not valid standard base64 (%v)", err))
		}
	}
	return problems
}

func isBase64Rune(r rune) bool {
	return 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '+' || r == '/' || r == '='
}

// describeRune shows a printable ASCII character quoted and any other by name.
func describeRune(r rune) string {
	if r > 0x20 && r < 0x7f {
		return fmt.Sprintf("'%c'", r)
	}
	return aRune(r)
}
