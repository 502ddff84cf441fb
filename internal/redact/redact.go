// Package redact is the one mechanism every byte of output passes through.
// It replaces each known secret, and the forms a secret takes on the wire
// (base64 of id:secret as in a Basic header, URL and form encoding, base64
// of the secret alone), with a fingerprint that lets two values be compared
// without being seen: "s3cr…(40 chars, sha256:1a2b3c)".
package redact

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// minSecretLen: shorter values are not redacted as substrings (a 2-byte
// "secret" would shred the whole report); checks flag them as weak.
const minSecretLen = 4

// Redactor replaces secrets in text. The zero value redacts nothing.
// Safe for concurrent use.
type Redactor struct {
	mu    sync.RWMutex
	pairs []pair
	seen  map[string]bool
	// ac matches every pair's form in one pass; nil after Add until the
	// next replacement builds it once: registering many secrets stays
	// linear.
	ac *automaton
}

type pair struct{ from, to string }

// New returns a Redactor for the given secrets.
func New(secrets ...string) *Redactor {
	r := &Redactor{}
	for _, s := range secrets {
		r.Add(s)
	}
	return r
}

// Fingerprint describes a secret without revealing it: a short prefix when
// the secret is long enough that the prefix gives nothing away, its length
// and the first six hex digits of its SHA-256.
func Fingerprint(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	n := utf8.RuneCountInString(secret)
	// Built by appending, not fmt.Sprintf: a run fingerprints every secret
	// it registers. "%s(%d chars, sha256:%s)" with the prefix, n and hex.
	b := make([]byte, 0, 48)
	if n >= 16 {
		// The first four runes, each invalid byte a U+FFFD, as []rune did.
		for _, r := range secret[:prefixEnd(secret, 4)] {
			b = utf8.AppendRune(b, r)
		}
		b = append(b, "…"...)
	}
	b = append(b, '(')
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, " chars, sha256:"...)
	b = hex.AppendEncode(b, sum[:3])
	b = append(b, ')')
	return string(b)
}

// prefixEnd is the byte offset after the first n runes of s.
func prefixEnd(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// Add registers a secret and its derived forms.
func (r *Redactor) Add(secret string) {
	if len(secret) < minSecretLen {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	fp := "[REDACTED " + Fingerprint(secret) + "]"
	add := func(form string) {
		if len(form) < minSecretLen || r.seen[form] {
			return
		}
		r.seen[form] = true
		r.pairs = append(r.pairs, pair{form, fp})
	}
	for _, v := range variants(secret) {
		add(v)
		add(url.QueryEscape(v))
		add(url.PathEscape(v))
		add(strings.ReplaceAll(url.QueryEscape(v), "+", "%20"))
		b64 := base64.StdEncoding.EncodeToString([]byte(v))
		add(b64)
		add(strings.TrimRight(b64, "="))
		add(base64.URLEncoding.EncodeToString([]byte(v)))
		add(base64.RawURLEncoding.EncodeToString([]byte(v)))
		if len(v) <= 32 {
			// Hex doubles the length: kept for short secrets (keys, OTPs),
			// where it is the common encoding; long tokens are not written
			// in hex.
			add(hex.EncodeToString([]byte(v)))
		}
		// JSON-escaped form, for secrets with quotes or control characters.
		if q := jsonEscape(v); q != v {
			add(q)
		}
		// Go %q form, as error messages quote values.
		if q := strconv.Quote(v); len(q) > 2 {
			add(q[1 : len(q)-1])
		}
	}
	r.ac = nil
}

// AddPair registers the Basic-auth forms of id:secret (and its newline
// variants), which are not substrings of the secret's own encodings.
func (r *Redactor) AddPair(id, secret string) {
	if len(secret) < minSecretLen {
		return
	}
	fp := "[REDACTED " + Fingerprint(secret) + "]" // once, not per form
	for _, joined := range []string{
		id + ":" + secret,
		url.QueryEscape(id) + ":" + url.QueryEscape(secret),
	} {
		for _, v := range []string{joined, joined + "\n", joined + "\r\n"} {
			r.addEncoded(v, fp)
		}
	}
}

// addEncoded registers the base64 forms of v, replaced by fp.
func (r *Redactor) addEncoded(v, fp string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	for _, form := range []string{
		base64.StdEncoding.EncodeToString([]byte(v)),
		strings.TrimRight(base64.StdEncoding.EncodeToString([]byte(v)), "="),
		base64.URLEncoding.EncodeToString([]byte(v)),
		base64.RawURLEncoding.EncodeToString([]byte(v)),
	} {
		if !r.seen[form] {
			r.seen[form] = true
			r.pairs = append(r.pairs, pair{form, fp})
		}
	}
	r.ac = nil
}

// matcher returns the automaton for the registered forms, building it
// once after any Adds; nil when nothing is registered.
func (r *Redactor) matcher() *automaton {
	r.mu.RLock()
	ac, n := r.ac, len(r.pairs)
	r.mu.RUnlock()
	if ac != nil || n == 0 {
		return ac
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ac == nil && len(r.pairs) > 0 {
		r.ac = buildAutomaton(r.pairs)
	}
	return r.ac
}

// variants are the secret as stored and as an app may have mangled it:
// trimmed of whitespace and quotes, since evidence often shows the
// "cleaned" value next to the raw one.
func variants(s string) []string {
	out := []string{s}
	t := strings.TrimSpace(strings.Trim(strings.TrimSpace(s), `"'`))
	t = strings.TrimPrefix(t, "\ufeff")
	if t != s && len(t) >= minSecretLen {
		out = append(out, t)
	}
	return out
}

func jsonEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0xfeff || r == 0x200b || r == 0xa0:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// String returns s with every registered form replaced.
func (r *Redactor) String(s string) string {
	if r == nil || s == "" {
		return s
	}
	ac := r.matcher()
	if ac == nil {
		return s
	}
	b := []byte(s)
	out := ac.replace(b)
	if &out[0] == &b[0] && len(out) == len(b) {
		return s
	}
	return string(out)
}

// Bytes is String for byte slices. It returns b itself when b holds no
// secret.
func (r *Redactor) Bytes(b []byte) []byte {
	if r == nil || len(b) == 0 {
		return b
	}
	return r.matcher().replace(b)
}

// Error returns an error whose message is redacted; nil stays nil.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	return redactedError{msg: r.String(err.Error()), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// Writer returns a writer that redacts as it streams: it holds back only
// the last bytes that could be the start of a secret cut by a Write
// boundary (at most the longest registered form), so a secret split
// across two writes is still found and memory stays small whatever the
// size of the document. Close writes the held-back tail.
func (r *Redactor) Writer(w io.Writer) io.WriteCloser {
	return &writer{r: r, w: w}
}

type writer struct {
	r   *Redactor
	w   io.Writer
	buf []byte
	err error
}

// flushAt is how much the writer gathers before it scans.
const flushAt = 64 << 10

func (x *writer) Write(p []byte) (int, error) {
	if x.err != nil {
		return 0, x.err
	}
	x.buf = append(x.buf, p...)
	if len(x.buf) >= flushAt {
		x.err = x.flush(false)
	}
	return len(p), x.err
}

// flush writes what is known to be complete (everything when final).
func (x *writer) flush(final bool) error {
	var ac *automaton
	if x.r != nil {
		ac = x.r.matcher()
	}
	if ac == nil {
		_, err := x.w.Write(x.buf)
		x.buf = x.buf[:0]
		return err
	}
	out := make([]byte, 0, len(x.buf)+64)
	last, from := 0, 0
	keep := len(x.buf)
	for from < len(x.buf) {
		m, ok, pending := ac.next(x.buf, from, final)
		if !ok {
			if !final {
				keep = max(pending, last)
			}
			break
		}
		out = append(out, x.buf[last:m.start]...)
		out = append(out, ac.to[m.p]...)
		last, from = m.end, m.end
	}
	if final || from >= len(x.buf) {
		keep = len(x.buf)
	}
	if last > keep {
		keep = last
	}
	out = append(out, x.buf[last:keep]...)
	n := copy(x.buf, x.buf[keep:])
	x.buf = x.buf[:n]
	_, err := x.w.Write(out)
	return err
}

func (x *writer) Close() error {
	if x.err != nil {
		return x.err
	}
	x.err = x.flush(true)
	return x.err
}
