package webhookdiag

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/Contio-AI/contio-doctor/webhook"
)

// Signature is what an X-Contio-Signature value was read as: whether its
// format is exactly Contio's, what is off about it, and every digest it may
// carry so the diagnosis can still tell a right digest in a wrong wrapper.
type Signature struct {
	Raw string `json:"-"`
	// Strict is true when webhook.Verify accepts the format.
	Strict bool `json:"strict"`
	// Issues are the format problems, most telling first.
	Issues []FormatIssue `json:"issues,omitempty"`
	// Digests are the 32-byte digests the value may carry.
	Digests [][]byte `json:"-"`
	// TruncatedHex holds the hex digits of a digest shorter than 64.
	TruncatedHex string `json:"-"`
	// StripeTimestamp is the t= part of a Stripe-style value.
	StripeTimestamp string `json:"-"`
}

// FormatIssue is one thing wrong with the header's format.
type FormatIssue struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

const digestHex = 64

// ParseSignature reads a header value. It never fails: a value it cannot
// make sense of comes back with an issue and no digest.
func ParseSignature(h string) Signature {
	s := Signature{Raw: h}
	if len(h) == len(webhook.Prefix)+digestHex && strings.HasPrefix(h, webhook.Prefix) && hexRun(h[len(webhook.Prefix):]) == digestHex {
		d, _ := hex.DecodeString(h[len(webhook.Prefix):])
		s.Strict, s.Digests = true, [][]byte{d}
		return s
	}
	issue := func(code, text string) { s.Issues = append(s.Issues, FormatIssue{code, text}) }
	t := strings.TrimSpace(h)
	if t != h {
		issue("whitespace", "the value has whitespace or a line break around it")
	}
	if t == "" {
		return s
	}
	lower := strings.ToLower(t)
	switch {
	case strings.Contains(t, ",") && (strings.Contains(lower, "t=") || strings.Contains(lower, "v1=")) && !strings.HasPrefix(lower, "v1,"):
		issue("stripe_style", `the value looks like Stripe's "t=…,v1=…" signature, not Contio's "sha256=<hex>"`)
		for _, part := range strings.Split(t, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
			switch k {
			case "t":
				s.StripeTimestamp = v
			case "v1", "v0", "sha256":
				s.addHex(v)
			}
		}
		return s
	case strings.HasPrefix(lower, "v0="):
		issue("slack_style", `the value looks like Slack's "v0=<hex>" signature, not Contio's "sha256=<hex>"`)
		s.addHex(t[3:])
		return s
	case strings.HasPrefix(lower, "v1,"):
		issue("standard_webhooks_style", `the value looks like a Standard Webhooks "v1,<base64>" signature, not Contio's "sha256=<hex>"`)
		for _, f := range strings.Fields(strings.ReplaceAll(t[3:], "v1,", " ")) {
			s.addBase64(f)
		}
		return s
	}
	rest, bare := t, false
	switch {
	case strings.HasPrefix(t, webhook.Prefix):
		rest = t[len(webhook.Prefix):]
	case strings.HasPrefix(lower, webhook.Prefix):
		issue("capital_prefix", `the prefix is written "`+t[:len(webhook.Prefix)]+`"; Contio sends lower-case "sha256="`)
		rest = t[len(webhook.Prefix):]
	case strings.HasPrefix(lower, "sha256:") || strings.HasPrefix(lower, "sha256 "):
		issue("prefix_separator", `the prefix is "`+t[:len(webhook.Prefix)]+`"; Contio sends "sha256=" with an equals sign`)
		rest = t[len(webhook.Prefix):]
	case strings.HasPrefix(lower, "sha1=") || strings.HasPrefix(lower, "sha512="):
		name, r, _ := strings.Cut(t, "=")
		issue("other_algorithm", `the value names "`+name+`"; Contio signs with HMAC-SHA256 and writes "sha256="`)
		rest = r
	default:
		bare = true
	}
	for strings.HasPrefix(strings.ToLower(rest), webhook.Prefix) {
		issue("doubled_prefix", `"sha256=" appears twice: the code adds the prefix to a value that already has it`)
		rest = rest[len(webhook.Prefix):]
	}
	if r := strings.TrimLeft(rest, " \t"); r != rest {
		issue("space_after_prefix", `there is whitespace between "sha256=" and the digest`)
		rest = r
	}
	n := hexRun(rest)
	switch {
	case n == len(rest) && n == digestHex:
		s.addHex(rest)
		if bare {
			issue("bare_hex", `the digest has no "sha256=" prefix`)
		}
	case n == len(rest) && n > digestHex:
		issue("padded", "the digest has "+strconv.Itoa(n)+" hex digits where SHA-256 gives 64")
		s.addHex(rest[:digestHex])
		s.addHex(rest[n-digestHex:])
	case n >= digestHex:
		issue("trailing_junk", "there are stray characters after the 64 hex digits")
		s.addHex(rest[:digestHex])
	case s.addBase64(rest):
		issue("base64", "the digest is base64-encoded; Contio writes it as 64 lower-case hex digits")
	case n == len(rest) && n > 0:
		issue("truncated", "the digest has only "+strconv.Itoa(n)+" of its 64 hex digits: it was cut short")
		s.TruncatedHex = strings.ToLower(rest)
		if bare {
			issue("bare_hex", `the digest has no "sha256=" prefix`)
		}
	default:
		issue("not_hex", `the value is not "sha256=" followed by 64 hex digits`)
		if n >= 8 {
			s.TruncatedHex = strings.ToLower(rest[:n])
		}
	}
	return s
}

func (s *Signature) addHex(v string) bool {
	if len(v) != digestHex || hexRun(v) != digestHex {
		return false
	}
	d, _ := hex.DecodeString(v)
	s.Digests = append(s.Digests, d)
	return true
}

func (s *Signature) addBase64(v string) bool {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if d, err := enc.DecodeString(v); err == nil && len(d) == 32 {
			s.Digests = append(s.Digests, d)
			return true
		}
	}
	return false
}

// matches reports whether digest is what the header carries, counting a
// truncated digest of at least 8 hex digits as a match of its prefix.
func (s *Signature) matches(digest []byte) bool {
	for _, d := range s.Digests {
		if hmac.Equal(d, digest) {
			return true
		}
	}
	return len(s.TruncatedHex) >= 8 && strings.HasPrefix(hex.EncodeToString(digest), s.TruncatedHex)
}

// hexRun is the length of the leading run of hex digits in s.
func hexRun(s string) int {
	for i := 0; i < len(s); i++ {
		if unhex(s[i]) < 0 {
			return i
		}
	}
	return len(s)
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// NodeSDK reproduces what the official Node SDK's verifier does with a
// header value when want is the right digest: it splits on "=", wants
// exactly "sha256" and one other part, decodes hex leniently (stopping at
// the first bad pair), compares lengths, then compares in constant time.
// It returns whether it accepts and, if not, the SDK's reason.
func NodeSDK(header string, want []byte) (bool, string) {
	if header == "" {
		return false, "Missing signature"
	}
	parts := strings.Split(header, "=")
	if len(parts) != 2 || parts[0] != "sha256" {
		return false, "Invalid signature format"
	}
	got := nodeHex(parts[1])
	if len(got) != len(want) {
		return false, "Signature length mismatch"
	}
	if !hmac.Equal(got, want) {
		return false, "Signature mismatch"
	}
	return true, ""
}

// nodeHex is Buffer.from(s, "hex"): pairs until the first invalid one; an
// odd final digit is dropped.
func nodeHex(s string) []byte {
	var out []byte
	for i := 0; i+1 < len(s); i += 2 {
		hi, lo := unhex(s[i]), unhex(s[i+1])
		if hi < 0 || lo < 0 {
			break
		}
		out = append(out, byte(hi<<4|lo))
	}
	return out
}
