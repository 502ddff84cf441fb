package checks

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:    "CD1001",
	Name:  "credential-stray-characters",
	Guide: contio.GuideInvalidClient,
	Title: "A credential carries an invisible or stray character",
	Symptom: "Contio rejects credentials that look right: the token endpoint answers invalid_client, " +
		"admin calls answer 401, or webhook signatures never match, although the value matches the Partner Dashboard when you read it.",
	Cause: "The value holds a character you cannot see: a newline or carriage return left by `echo`, a Windows (CRLF) .env file " +
		"or a secret read from a file, spaces around it, a byte order mark, or a zero-width or non-breaking space picked up by copy and paste. " +
		"Contio compares the exact bytes, so the extra character makes it a different credential.",
	Fix: "Remove the character where the value is stored (the environment variable, .env file or secret manager): " +
		"save .env files with LF line endings and no BOM, write secrets with `printf '%s'` rather than `echo`, and paste the value " +
		"into a plain-text editor first. Trimming in code hides the problem; fix the stored value.",
	Verifies: "client ID, client secret, API key, X-Client-ID value, webhook secret and tokens hold only printable ASCII, with no surrounding whitespace (CD7002 judges the webhook secret's whitespace).",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      credentialStrayChars,
})

// maxStrayReported bounds how many characters one finding lists.
const maxStrayReported = 4

func credentialStrayChars(_ context.Context, in *Input) ([]Finding, error) {
	var out []Finding
	for _, c := range in.Integration.Credentials() {
		if f, ok := strayCharFinding(c); ok {
			out = append(out, f)
		}
	}
	return out, nil
}

func strayCharFinding(c integration.Secret) (Finding, bool) {
	raw := c.Value.Raw
	if plainCredential(raw) {
		return Finding{}, false // the common case: nothing to decode or build
	}
	runes := []rune(raw)
	n := len(runes)
	var found []string
	var cleaned strings.Builder
	for i, r := range runes {
		// A literal replacement character counts as well as a decoding error.
		bad := strayRune(r) || (r == ' ' && (allSpace(runes[:i]) || allSpace(runes[i+1:])))
		if (r == utf8.RuneError || bad) && !webhookSecretWhitespace(c.Name, r) {
			found = append(found, aRune(r)+" "+position(i, n))
			continue
		}
		cleaned.WriteRune(r)
	}
	if len(found) == 0 {
		return Finding{}, false
	}
	count := len(found)
	if count > maxStrayReported {
		found = append(found[:maxStrayReported], fmt.Sprintf("%d more", count-maxStrayReported))
	}
	f := Finding{
		Message:  fmt.Sprintf("%s has %s", c.Name, joinAnd(found)),
		Location: c.Value.From,
		Evidence: fmt.Sprintf("as stored: %s; without the stray characters: %s", mask(c.Name, raw), mask(c.Name, cleaned.String())),
	}
	if v := c.Value.From.EnvVar; v != "" {
		f.Commands = []string{fmt.Sprintf(`printf '%%s' "$%s" | od -c | tail -n 3   # shows \r, \n and other hidden bytes at the end`, v)}
	}
	return f, true
}

func allSpace(rs []rune) bool {
	for _, r := range rs {
		if r != ' ' {
			return false
		}
	}
	return true
}

// webhookSecretWhitespace: CD7002 reports whitespace and line breaks in the
// webhook secret, under the webhook guide entry; one fault, one finding.
// plainCredential reports a value strayCharFinding has nothing to say
// about: printable ASCII only, with no space at either end (a space inside
// is stray only when every rune before or after it is a space too).
func plainCredential(raw string) bool {
	if raw == "" || raw[0] == ' ' || raw[len(raw)-1] == ' ' {
		return raw == ""
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] < 0x20 || raw[i] > 0x7e {
			return false
		}
	}
	return true
}

func webhookSecretWhitespace(name string, r rune) bool {
	return name == "webhooks.secret" && (r == ' ' || r == '\t' || r == '\r' || r == '\n')
}
