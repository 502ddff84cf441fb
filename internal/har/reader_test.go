package har_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/har"
)

func readAll(t testing.TB, data string) ([]*har.Entry, error) {
	t.Helper()
	r := har.NewReader(strings.NewReader(data), 0)
	var out []*har.Entry
	for {
		e, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
}

func TestReaderReadsEntries(t *testing.T) {
	doc := `{"log":{"version":"1.2","creator":{"name":"x","version":"1"},"pages":[{"id":"p"}],"entries":[
 {"startedDateTime":"2026-01-15T09:00:00.000Z","time":12.5,"_x":{"a":[1,2,{"b":null}]},
  "request":{"method":"POST","url":"https://auth.contio.ai/oauth2/token","headers":[{"name":"Authorization","value":"Basic abc\u003d"},{"name":"X-A","value":"1"},{"name":"X-A","value":"2"}],
   "postData":{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=refresh_token\u0026refresh_token=r"}},
  "response":{"status":400,"headers":[],"content":{"mimeType":"application/json","text":"eyJjb2RlIjoiaW52YWxpZF9ncmFudCJ9","encoding":"base64"}}},
 {"request":{"method":"GET","url":"https://api.contio.ai/v1/partner/user/profile"},"response":{"status":0}}
],"comment":"after"}}`
	es, err := readAll(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 {
		t.Fatalf("got %d entries, want 2", len(es))
	}
	e := es[0]
	if e.Index != 1 || e.Request.Method != "POST" || e.Time != 12.5 || e.Started.Minute() != 0 || e.Request.Header("authorization") != "Basic abc=" {
		t.Errorf("entry 1 = %+v", e)
	}
	if got := e.Request.PostData.Text; got != "grant_type=refresh_token&refresh_token=r" {
		t.Errorf("postData text = %q", got)
	}
	if b, ok := e.Response.Content.Bytes(); !ok || string(b) != `{"code":"invalid_grant"}` {
		t.Errorf("base64 content = %q, %v", b, ok)
	}
	if es[1].Index != 2 || es[1].Response.Status != 0 || es[1].Line != 6 {
		t.Errorf("entry 2 = index %d status %d line %d", es[1].Index, es[1].Response.Status, es[1].Line)
	}
}

func TestReaderTruncatesLongBodies(t *testing.T) {
	long := strings.Repeat(`ab\"\\`, 40000)
	doc := `{"log":{"entries":[{"request":{"method":"GET","url":"https://x/"},"response":{"status":200,"content":{"text":"` + long + `"}}},{"request":{"method":"GET","url":"https://y/"}}]}}`
	es, err := readAll(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || !es[0].Response.Content.Truncated || es[0].Response.Content.Text != "" || es[1].Request.URL != "https://y/" {
		t.Fatalf("long body not skipped cleanly: %d entries", len(es))
	}
}

func TestReaderErrorsSayWhere(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"empty", "", "empty"},
		{"not an object", "[1]", "not a HAR file"},
		{"no log", `{"x":1}`, `no "log"`},
		{"no entries", `{"log":{"version":"1.2"}}`, "no entries"},
		{"entries not an array", `{"log":{"entries":{}}}`, "log.entries"},
		{"bad second entry", "{\"log\":{\"entries\":[\n{\"request\":{}},\n{\"request\":{\"url\":tru}}]}}", "entry 2: line 3"},
		{"cut short", `{"log":{"entries":[{"request":{"url":"htt`, "entry 1"},
		{"missing comma", `{"log":{"entries":[{} {}]}}`, "entry 2"},
		{"bad date", `{"log":{"entries":[{"startedDateTime":"yesterday"}]}}`, "startedDateTime"},
		{"bad status", `{"log":{"entries":[{"response":{"status":"x"}}]}}`, "response.status"},
		{"bad escape", `{"log":{"entries":[{"request":{"url":"\q"}}]}}`, "invalid escape"},
		{"trailing garbage", `{"log":{"entries":[]}} x`, "after the end"},
		{"mismatched brackets", `{"log":{"entries":[{"_x":[1}]}}`, "unexpected"},
		// One-line captures keep their columns past the first buffer refill.
		{"column after a refill", `{"log":{"entries":[{"_x":"` + strings.Repeat("a", 5000) + `"},{"request":{"url":tru}}]}}`, "entry 2: line 1, column 5051 (byte 5050): invalid number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(t, tc.doc)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

// chunkReader hands out at most n bytes per Read, and every third Read
// nothing at all, so small inputs cross the scanner's refill boundaries
// (inside escapes, surrogate pairs, literals) the way a pipe would.
type chunkReader struct {
	data  string
	n     int
	calls int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	r.calls++
	if r.calls%3 == 0 {
		return 0, nil
	}
	if r.data == "" {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.n)], r.data)
	r.data = r.data[n:]
	return n, nil
}

// summary is what a read of a document yields, compared across readers.
func summary(t testing.TB, r io.Reader) string {
	t.Helper()
	rd := har.NewReader(r, 0)
	var b strings.Builder
	for {
		e, err := rd.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				fmt.Fprintf(&b, "error: %v", err)
			}
			return b.String()
		}
		fmt.Fprintf(&b, "%d@%d:%d %q %q %d %d %d %q %v\n", e.Index, e.Offset, e.Line, e.Request.Method, e.Request.URL,
			len(e.Request.Headers), e.Response.Status, len(e.Response.Headers), e.Response.Content.Text, e.Response.Content.Truncated)
	}
}

// The seeds are small on purpose: the fuzzer minimizes every new
// interesting input by re-running it with spans removed, up to n²/2 runs,
// and on a seed the size of a real capture (20 KB) each minimization ran
// for the whole -fuzzminimizetime (60 s) with no execs reported: the
// stall. Refill boundaries are reached through chunk, not input size.
func FuzzReader(f *testing.F) {
	f.Add(`{"log":{"entries":[]}}`, uint8(0))
	f.Add(`{"log":{"entries":[{"request":{"method":"GET","url":"https://api.contio.ai/v1/partner/user/profile","headers":[{"name":"Authorization","value":"Bearer x"}]},"response":{"status":401,"content":{"text":"{\"code\":\"invalid_token\"}"}}}]}}`, uint8(3))
	f.Add(`{"log":{"entries":[{"request":{"url":"\ud83d\ude00\u00"}}]}}`, uint8(1))
	f.Add(`{"log":{"entries":[{"response":{"content":{"text":"eA==","encoding":"base64"}}}]}}`, uint8(5))
	// The OAuth flow, one step a seed.
	f.Add(`{"log":{"entries":[{"startedDateTime":"2026-01-15T09:00:00Z","request":{"method":"GET","url":"https://auth.contio.ai/oauth2/authorize?client_id=c&redirect_uri=https://a/cb"},"response":{"status":302,"headers":[{"name":"Location","value":"https://a/cb?code=abcd&state=s"}]}}]}}`, uint8(7))
	f.Add(`{"log":{"entries":[{"request":{"method":"POST","url":"https://auth.contio.ai/oauth2/token","headers":[{"name":"Authorization","value":"Basic Yzpz"}],"postData":{"text":"grant_type=authorization_code&code=abcd"}},"response":{"status":200,"content":{"text":"{\"access_token\":\"at\"}"}}}]}}`, uint8(9))
	f.Add(`{"log":{"entries":[{"request":{"method":"POST","url":"https://auth.contio.ai/auth/verify","postData":{"mimeType":"application/json","text":"{\"session\":\"s1\"}"}},"response":{"status":429,"headers":[{"name":"Retry-After","value":"3"}]}}],"x":1}}`, uint8(11))
	f.Fuzz(func(t *testing.T, doc string, chunk uint8) {
		// The same document read whole and in small pieces reads the same.
		whole := summary(t, strings.NewReader(doc))
		if pieces := summary(t, &chunkReader{data: doc, n: int(chunk%16) + 1}); pieces != whole {
			t.Fatalf("read in %d-byte pieces:\n%s\nread whole:\n%s", chunk%16+1, pieces, whole)
		}
		if strings.HasPrefix(whole, "error: ") || strings.Contains(whole, "\nerror: ") {
			return
		}
		// What reads as a capture also loads (no panic building calls).
		if _, err := har.Load(strings.NewReader(doc), har.Options{}); err != nil {
			t.Fatalf("Next accepted the document but Load failed: %v", err)
		}
	})
}

// Hostile captures end in an error that names the entry, not in unbounded
// work or memory.
func TestReaderBounds(t *testing.T) {
	entry := func(body string) string { return `{"log":{"entries":[{},` + body + `]}}` }
	headers := strings.TrimSuffix(strings.Repeat(`{"name":"X-A","value":"1"},`, 257), ",")
	cases := []struct{ name, doc, want string }{
		{"nesting", entry(`{"_x":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}`), "entry 2: line 1"},
		{"nesting message", entry(`{"_x":` + strings.Repeat(`{"a":`, 600) + "1" + strings.Repeat("}", 600) + `}`), "nesting deeper than 512"},
		{"headers", entry(`{"request":{"headers":[` + headers + `]}}`), "entry 2: line 1, column 6984 (byte 6983): request.headers has more than 256 items"},
		{"cookies", entry(`{"response":{"cookies":[` + headers + `]}}`), "response.cookies has more than 256 items"},
		{"number", entry(`{"time":1` + strings.Repeat("0", 100) + `}`), "entry 2: line 1, column 95 (byte 94): number or literal too long"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(t, tc.doc)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	// 256 headers are still read.
	es, err := readAll(t, entry(`{"request":{"headers":[`+strings.TrimSuffix(strings.Repeat(`{"name":"X-A","value":"1"},`, 256), ",")+`]}}`))
	if err != nil || len(es[1].Request.Headers) != 256 {
		t.Fatalf("256 headers: err %v", err)
	}
}

// A reader that returns neither data nor an error ends the read instead of
// spinning.
func TestReaderStopsOnReaderWithoutProgress(t *testing.T) {
	_, err := har.NewReader(stuckReader{}, 0).Next()
	if !errors.Is(err, io.ErrNoProgress) {
		t.Fatalf("err = %v, want io.ErrNoProgress", err)
	}
	r := har.NewReader(io.MultiReader(strings.NewReader(`{"log":{"entries":[{}`), stuckReader{}), 0)
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); !errors.Is(err, io.ErrNoProgress) || !strings.Contains(err.Error(), "entry 2") {
		t.Fatalf("err = %v, want io.ErrNoProgress at entry 2", err)
	}
}

type stuckReader struct{}

func (stuckReader) Read([]byte) (int, error) { return 0, nil }

// The redacted copy holds no secret in any form, and differs from the
// original only in the strings that held one.
func TestWriteRedactedRemovesEverySecret(t *testing.T) {
	const (
		token   = "cto_at_v1_CANARYaccess0123456789abcdef"
		refresh = "cto_rt_v1_CANARYrefresh0123456789abcdef"
		secret  = "CANARYclientsecret-0123456789"
		otp     = "493817"
		apiKey  = "CANARYapikey-abcdef0123456789"
		cookie  = "CANARYsessioncookie0123456789"
		code    = "CANARYauthcode0123456789"
	)
	basicHdr := "Basic " + base64.StdEncoding.EncodeToString([]byte("client_1:"+secret))
	tokenResp := `{"access_token":"` + token + `","refresh_token":"` + refresh + `","scope":"openid"}`
	entries := []map[string]any{
		{"startedDateTime": "2026-01-15T09:00:00Z", "request": map[string]any{"method": "POST", "url": "https://auth.contio.ai/oauth2/token",
			"headers":  []any{map[string]any{"name": "Authorization", "value": basicHdr}, map[string]any{"name": "Cookie", "value": "sid=" + cookie}},
			"postData": map[string]any{"mimeType": "application/x-www-form-urlencoded", "text": "grant_type=authorization_code&code=" + code + "&client_secret=" + url.QueryEscape(secret)}},
			"response": map[string]any{"status": 200, "headers": []any{}, "content": map[string]any{"mimeType": "application/json", "text": base64.StdEncoding.EncodeToString([]byte(tokenResp)), "encoding": "base64"}}},
		{"startedDateTime": "2026-01-15T09:00:01Z", "request": map[string]any{"method": "POST", "url": "https://auth.contio.ai/auth/verify",
			"headers":  []any{},
			"postData": map[string]any{"mimeType": "application/json", "text": `{"client_id":"client_1","code":"` + otp + `","session":"sess-CANARY-0123456789"}`}},
			"response": map[string]any{"status": 200, "headers": []any{}, "content": map[string]any{"text": `{"success":true}`}}},
		{"startedDateTime": "2026-01-15T09:00:02Z", "request": map[string]any{"method": "GET", "url": "https://app.example.com/callback?code=" + code + "&state=s",
			"headers": []any{map[string]any{"name": "X-API-Key", "value": apiKey}}},
			"response": map[string]any{"status": 200, "headers": []any{map[string]any{"name": "Set-Cookie", "value": "sid=" + cookie + "; HttpOnly"}}, "content": map[string]any{"text": "<p>" + token + "</p>"}}},
		{"startedDateTime": "2026-01-15T09:00:03Z", "request": map[string]any{"method": "GET", "url": "https://api.contio.ai/v1/partner/user/profile?access_token=" + token,
			"headers": []any{map[string]any{"name": "Authorization", "value": "Bearer " + token}}},
			"response": map[string]any{"status": 200, "headers": []any{}, "content": map[string]any{"text": `{"email":"ada@example.com"}`}}},
	}
	doc, err := json.MarshalIndent(map[string]any{"log": map[string]any{"version": "1.2", "creator": map[string]any{"name": "t"}, "entries": entries}}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	ig, err := har.Load(bytes.NewReader(doc), har.Options{File: "t.har"})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := har.WriteRedacted(&out, bytes.NewReader(doc), diagnosis.Redactor(ig)); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, c := range []string{token, refresh, secret, otp, apiKey, cookie, code, "sess-CANARY-0123456789"} {
		for _, form := range []string{c, url.QueryEscape(c), base64.StdEncoding.EncodeToString([]byte(c)), strings.TrimRight(base64.StdEncoding.EncodeToString([]byte(c)), "=")} {
			if strings.Contains(got, form) {
				t.Errorf("redacted copy still holds %q", form)
			}
		}
	}
	if strings.Contains(got, base64.StdEncoding.EncodeToString([]byte(tokenResp))) || strings.Contains(got, basicHdr) {
		t.Error("redacted copy still holds an encoded body or header")
	}
	// Same structure: every entry and field is still there, values other
	// than the redacted strings unchanged.
	var a, b any
	if err := json.Unmarshal(doc, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out.Bytes(), &b); err != nil {
		t.Fatalf("redacted copy is not JSON: %v", err)
	}
	sameShape(t, "$", a, b)
	// And it reads as the same capture.
	ig2, err := har.Load(bytes.NewReader(out.Bytes()), har.Options{})
	if err != nil || len(ig2.Calls) != len(ig.Calls) || ig2.Capture.Entries != 4 {
		t.Fatalf("redacted copy does not load the same: %v", err)
	}
}

// sameShape requires a and b to have the same keys, lengths and non-string
// values; strings may differ only where a secret was replaced.
func sameShape(t *testing.T, path string, a, b any) {
	t.Helper()
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok || len(av) != len(bv) {
			t.Errorf("%s: object changed", path)
			return
		}
		for k := range av {
			sameShape(t, path+"."+k, av[k], bv[k])
		}
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			t.Errorf("%s: array changed", path)
			return
		}
		for i := range av {
			sameShape(t, path, av[i], bv[i])
		}
	case string:
		bv, ok := b.(string)
		if !ok {
			t.Errorf("%s: string became %T", path, b)
		} else if bv != av && !strings.Contains(bv, "[REDACTED") {
			if d, err := base64.StdEncoding.DecodeString(bv); err != nil || !strings.Contains(string(d), "[REDACTED") {
				t.Errorf("%s: %q changed to %q without a redaction", path, av, bv)
			}
		}
	default:
		if a != b {
			t.Errorf("%s: %v changed to %v", path, a, b)
		}
	}
}
