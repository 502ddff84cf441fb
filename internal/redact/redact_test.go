package redact

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

const (
	id     = "ctp_client_123"
	secret = "s3cr+t/with%odd chars-0123456789"
)

func TestFingerprint(t *testing.T) {
	fp := Fingerprint(secret)
	if !regexp.MustCompile(`^s3cr…\(32 chars, sha256:[0-9a-f]{6}\)$`).MatchString(fp) {
		t.Fatalf("Fingerprint = %q", fp)
	}
	if Fingerprint(secret) != fp || Fingerprint(secret+"x") == fp {
		t.Fatal("fingerprints must be stable and tell values apart")
	}
	// A short secret shows no prefix: four characters of eight would be half of it.
	if short := Fingerprint("abcd1234"); strings.HasPrefix(short, "abcd") {
		t.Fatalf("short secret shows its prefix: %q", short)
	}
}

func TestRedactsDerivedForms(t *testing.T) {
	r := New(secret)
	r.AddPair(id, secret)
	forms := map[string]string{
		"raw":              secret,
		"query-escaped":    url.QueryEscape(secret),
		"path-escaped":     url.PathEscape(secret),
		"base64":           base64.StdEncoding.EncodeToString([]byte(secret)),
		"base64url":        base64.RawURLEncoding.EncodeToString([]byte(secret)),
		"basic":            base64.StdEncoding.EncodeToString([]byte(id + ":" + secret)),
		"basic+newline":    base64.StdEncoding.EncodeToString([]byte(id + ":" + secret + "\n")),
		"basic rfc-encode": base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret))),
		"go %q":            fmt.Sprintf("%q", secret+"\n"),
	}
	for name, form := range forms {
		out := r.String("before " + form + " after")
		if strings.Contains(out, form) {
			t.Errorf("%s form survives: %s", name, out)
		}
		if !strings.Contains(out, "[REDACTED "+Fingerprint(secret)+"]") {
			t.Errorf("%s form not replaced by the fingerprint: %s", name, out)
		}
		if got := r.Bytes([]byte(form)); bytes.Contains(got, []byte(form)) {
			t.Errorf("%s form survives Bytes", name)
		}
	}
}

func TestLongerFormWins(t *testing.T) {
	// The Basic form contains neither secret as a substring; the secret's own
	// base64 is shorter. Both must vanish whatever order they were added in.
	r := New()
	r.Add("second-secret-value-abcdef")
	r.AddPair(id, "second-secret-value-abcdef")
	r.Add("second-secret")
	in := base64.StdEncoding.EncodeToString([]byte(id+":second-secret-value-abcdef")) + " second-secret-value-abcdef"
	out := r.String(in)
	if strings.Contains(out, "second-secret") || strings.Count(out, "[REDACTED") != 2 {
		t.Fatalf("got %q", out)
	}
}

func TestShortValuesAreNotRedacted(t *testing.T) {
	r := New("abc")
	if got := r.String("abcabc"); got != "abcabc" {
		t.Fatalf("a 3-byte value shredded the text: %q", got)
	}
}

func TestWriterBuffersWholeDocument(t *testing.T) {
	var buf bytes.Buffer
	w := New(secret).Writer(&buf)
	half := len(secret) / 2
	fmt.Fprint(w, "x="+secret[:half])
	fmt.Fprint(w, secret[half:]+"\n")
	if buf.Len() != 0 {
		t.Fatal("wrote before Close")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), secret) {
		t.Fatalf("a secret split across writes survived: %q", buf.String())
	}
}

func TestErrorKeepsChain(t *testing.T) {
	base := errors.New("dial failed")
	err := New(secret).Error(fmt.Errorf("token %s: %w", secret, base))
	if strings.Contains(err.Error(), secret) || !errors.Is(err, base) {
		t.Fatalf("Error() = %q, Is(base) = %v", err, errors.Is(err, base))
	}
	if New(secret).Error(nil) != nil {
		t.Fatal("nil error must stay nil")
	}
}

func TestConcurrentUse(t *testing.T) {
	r := New()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() { defer wg.Done(); r.Add(fmt.Sprintf("secret-number-%02d-xyz", i)) }()
		go func() { defer wg.Done(); _ = r.String("secret-number-03-xyz") }()
	}
	wg.Wait()
	if got := r.String("secret-number-03-xyz"); strings.Contains(got, "secret-number") {
		t.Fatalf("got %q", got)
	}
}

func BenchmarkAdd(b *testing.B) {
	for b.Loop() {
		r := New()
		for i := range 12 {
			r.Add(fmt.Sprintf("secret-%02d-abcdefghijklmnop", i))
		}
		_ = r.String("x")
	}
}

// naiveReplace is the reference the automaton must agree with: at each
// position the longest form starting there, leftmost first.
func naiveReplace(text string, forms map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(text); {
		best := ""
		for f := range forms {
			if strings.HasPrefix(text[i:], f) && len(f) > len(best) {
				best = f
			}
		}
		if best == "" {
			b.WriteByte(text[i])
			i++
			continue
		}
		b.WriteString(forms[best])
		i += len(best)
	}
	return b.String()
}

func TestAutomatonAgreesWithNaiveSearch(t *testing.T) {
	alphabet := "abc"
	// Every pattern of length 1-3 over a small alphabet, replacements by
	// name: overlapping, nested and prefix-sharing patterns all at once.
	pairs := []pair{{"ab", "<1>"}, {"abc", "<2>"}, {"bca", "<3>"}, {"c", "<4>"}, {"bb", "<5>"}, {"aab", "<6>"}}
	forms := map[string]string{}
	for _, p := range pairs {
		forms[p.from] = p.to
	}
	ac := buildAutomaton(pairs)
	seed := uint32(7)
	for n := 0; n < 2000; n++ {
		var sb strings.Builder
		for i := 0; i < n%40; i++ {
			seed = seed*1664525 + 1013904223
			sb.WriteByte(alphabet[seed>>24%3])
		}
		text := sb.String()
		if got, want := string(ac.replace([]byte(text))), naiveReplace(text, forms); got != want {
			t.Fatalf("replace(%q) = %q, want %q", text, got, want)
		}
		// The streaming writer agrees too, whatever the write sizes.
		var out bytes.Buffer
		w := (&Redactor{pairs: pairs}).Writer(&out)
		for i := 0; i < len(text); i += 1 + n%5 {
			_, _ = w.Write([]byte(text[i:min(len(text), i+1+n%5)]))
		}
		_ = w.Close()
		if out.String() != naiveReplace(text, forms) {
			t.Fatalf("writer(%q) = %q, want %q", text, out.String(), naiveReplace(text, forms))
		}
	}
}

// A secret split across writes, even at the writer's own flush size, is
// still replaced, and nothing else changes.
func TestWriterFindsSecretsAcrossBufferBoundaries(t *testing.T) {
	canary := "canary-7f3a9c1e5b2d4680aa"
	r := New(canary)
	for _, cut := range []int{1, flushAt - 5, flushAt - 1, flushAt, flushAt + 3} {
		doc := strings.Repeat("x", cut) + canary + strings.Repeat("y", 10) + base64.StdEncoding.EncodeToString([]byte(canary))
		var out bytes.Buffer
		w := r.Writer(&out)
		for i := 0; i < len(doc); i += 4093 {
			_, _ = w.Write([]byte(doc[i:min(len(doc), i+4093)]))
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out.String(), canary) || strings.Contains(out.String(), base64.StdEncoding.EncodeToString([]byte(canary))[:20]) {
			t.Fatalf("cut %d: the canary survives", cut)
		}
		if !strings.HasPrefix(out.String(), strings.Repeat("x", cut)+"[REDACTED ") {
			t.Fatalf("cut %d: text around the secret changed", cut)
		}
	}
}

// Thousands of secrets are matched in one pass: the cost does not grow
// with their number the way one search per secret does.
func BenchmarkRedactManySecrets(b *testing.B) {
	r := New()
	for i := 0; i < 2000; i++ {
		r.Add(fmt.Sprintf("tok_%08d_%s", i, strings.Repeat("k", 32)))
	}
	text := []byte(strings.Repeat(`{"id":"m_123","title":"Weekly sync","notes":"nothing secret here"},`, 16<<10/64))
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = r.Bytes(text)
	}
}

// BenchmarkRunRedactor is what an offline run of healthy.yaml builds and
// first uses: six secrets of a real config's lengths, the client's Basic
// pair, one pass over a config-sized text.
func BenchmarkRunRedactor(b *testing.B) {
	secrets := []string{
		strings.Repeat("s", 48), "Basic " + strings.Repeat("b", 103), strings.Repeat("a", 53),
		strings.Repeat("r", 53), strings.Repeat("k", 44), strings.Repeat("w", 46),
	}
	text := []byte(strings.Repeat("client_id: ${CONTIO_CLIENT_ID} # a config line\n", 32))
	b.ReportAllocs()
	for b.Loop() {
		r := New()
		for _, s := range secrets {
			r.Add(s)
		}
		r.AddPair(strings.Repeat("c", 28), secrets[0])
		_ = r.Bytes(text)
	}
}

// Fingerprint is built by appending; this is the fmt form it replaced.
func TestFingerprintMatchesFormatted(t *testing.T) {
	ref := func(secret string) string {
		sum := sha256.Sum256([]byte(secret))
		n := utf8.RuneCountInString(secret)
		prefix := ""
		if n >= 16 {
			prefix = string([]rune(secret)[:4]) + "…"
		}
		return fmt.Sprintf("%s(%d chars, sha256:%s)", prefix, n, hex.EncodeToString(sum[:3]))
	}
	for _, s := range []string{
		"", "abc", "short-secret", "exactly-16-chars", "a-much-longer-secret-value-0123456789",
		"ünïcödé-secret-with-runes", "\xff\xfe\x80invalid-utf8-prefix-bytes", "日本語のシークレット値です１２３４５",
		"ab\xffcd-0123456789abcdef",
	} {
		if got, want := Fingerprint(s), ref(s); got != want {
			t.Errorf("Fingerprint(%q) = %q, want %q", s, got, want)
		}
	}
}
