package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:    "CD1003",
	Name:  "credential-form-encoding",
	Guide: contio.GuideBasicAuthEncoding,
	Title: "A client credential has characters whose Basic encoding is ambiguous",
	Symptom: "The token endpoint answers invalid_client for one client library and accepts the same credentials from another " +
		"(\"works in curl, fails in the app\"), or fails only after a secret rotation.",
	Cause: "RFC 6749 §2.3.1 asks clients to form-urlencode the client_id and the secret before joining them with ':' and base64-encoding. " +
		"Many clients skip that step, the official Contio SDK included, and many servers decode it. Letters, digits and -._~ come out the same " +
		"either way; other characters do not: a server that decodes reads '+' as a space and '%' as the start of an escape, a server that does not " +
		"decode sees %2B where the secret has '+', and a ':' in the client_id moves the split between ID and secret.",
	Fix: "Simplest: rotate the client secret in the Contio Partner Dashboard until it holds only letters, digits and -._~, so both encodings agree. " +
		"Otherwise build the Basic header exactly as the SDK does (no URL-encoding) and confirm with a live run that Contio accepts it.",
	Verifies: "oauth.client_id and oauth.client_secret contain only characters that form-urlencoding leaves unchanged.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig,
	Run:      credentialFormEncoding,
})

// formUnreserved reports whether form-urlencoding leaves b unchanged.
func formUnreserved(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || strings.IndexByte("-._~", b) >= 0
}

// formEncodingRisk says what happens to one character on each side.
func formEncodingRisk(b byte) string {
	switch b {
	case '+':
		return "a server that form-decodes reads it as a space"
	case '%':
		return "a server that form-decodes reads it as the start of an escape (or rejects the header)"
	case ' ':
		return "a spec-following client sends it as '+', which a server that does not decode reads literally"
	case ':':
		return "it is the separator between client_id and secret"
	}
	return fmt.Sprintf("a spec-following client sends it as %%%02X, which a server that does not decode reads literally", b)
}

func credentialFormEncoding(_ context.Context, in *Input) ([]Finding, error) {
	var out []Finding
	for _, c := range clientCredentials(in.Integration) {
		raw := c.Value.Raw
		var parts []string
		seen := map[byte]bool{}
		colonInID := false
		lo, hi := 0, len(raw)
		if quotedValue(raw) {
			lo, hi = 1, len(raw)-1 // the quotes are CD1002's
		}
		for i := lo; i < hi; i++ {
			b := raw[i]
			// Control, non-ASCII and edge spaces are CD1001's.
			if b < 0x20 || b > 0x7e || formUnreserved(b) || (b == ' ' && (i == lo || i == hi-1)) {
				continue
			}
			if b == ':' && isClientID(c.Name) {
				colonInID = true
			}
			if seen[b] {
				continue
			}
			seen[b] = true
			parts = append(parts, fmt.Sprintf("'%c' %s (%s)", b, position(i, len(raw)), formEncodingRisk(b)))
		}
		if len(parts) == 0 {
			continue
		}
		f := Finding{
			Message:  fmt.Sprintf("%s contains %s", c.Name, joinAnd(parts)),
			Location: c.Value.From,
			Evidence: mask(c.Name, raw),
			Commands: []string{
				`printf '%s' "$CONTIO_CLIENT_ID:$CONTIO_CLIENT_SECRET" | base64 -w0   # as the SDK sends it (unencoded)`,
				`python3 -c 'import os,base64,urllib.parse as u; print(base64.b64encode((u.quote_plus(os.environ["CONTIO_CLIENT_ID"])+":"+u.quote_plus(os.environ["CONTIO_CLIENT_SECRET"])).encode()).decode())'   # as RFC 6749 §2.3.1 asks`,
			},
		}
		if colonInID {
			// Basic auth cannot carry a ':' in the user part unless it is encoded; the split certainly goes wrong.
			f.Severity = SeverityError
			f.Message += "; the server splits the decoded Basic credentials at the first ':', so it reads a shorter client_id and a secret that starts with the rest of the ID"
		}
		out = append(out, f)
	}
	return out, nil
}
