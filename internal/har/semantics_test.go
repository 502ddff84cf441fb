package har

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// sessionOf feeds entries to a Session as a proxy would.
func sessionOf(opts Options, entries ...*Entry) *integration.Integration {
	s := NewSession(opts)
	for i, e := range entries {
		e.Index = i + 1
		s.Add(e)
	}
	return s.Integration()
}

func entryOf(method, rawURL string, status int, respType, respBody string) *Entry {
	return &Entry{Started: time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC), Time: 10,
		Request:  Request{Method: method, URL: rawURL},
		Response: Response{Status: status, Content: Body{MimeType: respType, Text: respBody}, Headers: []Header{{"Content-Type", respType}}}}
}

// The partner's callback on loopback is the partner's, even when
// --api-url names the same address on another port.
func TestPartnerHostsOnLoopbackAreNotContio(t *testing.T) {
	ig := sessionOf(Options{APIURL: "http://127.0.0.1:8080", AuthURL: "http://127.0.0.1:8080"},
		entryOf("GET", "http://127.0.0.1:8080/oauth2/authorize?client_id=c1&redirect_uri=http%3A%2F%2F127.0.0.1%3A3000%2Fcallback&scope=openid", 200, "text/html", "<h1>Sign in</h1>"),
		entryOf("GET", "http://127.0.0.1:3000/callback?code=abcd1234efgh&state=s", 200, "text/html", "<h1>Connected</h1>"),
		entryOf("GET", "http://127.0.0.1:3000/auth/callback", 200, "text/html", "ok"),
	)
	if len(ig.Calls) != 1 || ig.Calls[0].Path.Raw != "/oauth2/authorize" {
		t.Fatalf("Contio calls: %+v, want only the authorize request", ig.Calls)
	}
	// Without --api-url, the host that served /oauth2/authorize is Contio's.
	ig = sessionOf(Options{},
		entryOf("GET", "http://127.0.0.1:8080/oauth2/authorize?client_id=c1", 200, "text/html", ""),
		entryOf("GET", "http://127.0.0.1:8080/favicon.ico", 404, "text/plain", ""),
		entryOf("GET", "http://127.0.0.1:3000/callback?code=abcd1234efgh", 200, "text/html", ""),
	)
	if len(ig.Calls) != 1 {
		t.Fatalf("%d calls, want 1 (no favicon, no callback)", len(ig.Calls))
	}
}

// Every value of a repeated form field counts: a consent form posts
// scope once per ticked permission.
func TestConsentKeepsEveryScopeValue(t *testing.T) {
	consent := entryOf("POST", "https://auth.contio.ai/oauth2/authorize", 302, "text/html", "")
	consent.Request.PostData = &Body{MimeType: "application/x-www-form-urlencoded", Text: "flow=f1&step=consent&scope=openid&scope=profile&scope=meetings%3Aread&decision=allow"}
	consent.Response.Headers = append(consent.Response.Headers, Header{"Location", "https://app.example.com/cb?code=code-0123456789&state=s"})
	ig := sessionOf(Options{}, consent)
	var got *integration.FlowStep
	for i, s := range ig.Capture.Steps {
		if s.Kind == integration.FlowConsent {
			got = &ig.Capture.Steps[i]
		}
	}
	if got == nil || got.Scope != "openid profile meetings:read" || got.Decision != "allow" {
		t.Fatalf("consent step %+v, want all three scopes", got)
	}
}

// Error codes come from HTML error pages, from redirects' error
// parameter, and from base64-encoded JSON bodies.
func TestErrorCodesFromEveryShape(t *testing.T) {
	page := entryOf("GET", "https://auth.contio.ai/oauth2/authorize?client_id=typo", 401, "text/html; charset=utf-8",
		`<html><body><p>The sign-in request cannot go on.</p><dl><dt>Error code</dt><dd><code id="error-code">invalid_client</code></dd></dl></body></html>`)
	words := entryOf("GET", "https://auth.contio.ai/oauth2/authorize?client_id=c", 400, "text/html", `<p role="alert">Error: invalid_request (redirect_uri is not registered)</p>`)
	redirect := entryOf("GET", "https://auth.contio.ai/oauth2/authorize?client_id=c", 302, "text/html", "")
	redirect.Response.Headers = append(redirect.Response.Headers, Header{"Location", "https://app.example.com/cb?error=invalid_scope&error_description=bad+scope&state=s"})
	b64 := entryOf("POST", "https://auth.contio.ai/oauth2/token", 400, "application/json", base64.StdEncoding.EncodeToString([]byte(`{"error":"invalid_grant"}`)))
	b64.Response.Content.Encoding = "base64"
	ig := sessionOf(Options{}, page, words, redirect, b64)
	want := []string{"invalid_client", "invalid_request", "invalid_scope", "invalid_grant"}
	for i, c := range ig.Calls {
		if c.ErrorCode != want[i] {
			t.Errorf("call %d (%s): error code %q, want %q", i+1, c.Path.Raw, c.ErrorCode, want[i])
		}
	}
}

// ExchangeEntry is what a proxy hands the session: the same record as the
// capture would give.
func TestExchangeEntryFeedsTheSession(t *testing.T) {
	req, _ := http.NewRequest("POST", "https://auth.contio.ai/oauth2/token", strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("cid:sec-0123456789")))
	form := url.Values{"grant_type": {"authorization_code"}, "code": {"code-0123456789"}, "redirect_uri": {"https://app.example.com/cb"}}
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}}
	e := ExchangeEntry(1, req, []byte(form.Encode()), resp, []byte(`{"access_token":"at-0123456789","scope":"openid"}`), time.Now(), 20*time.Millisecond)
	s := NewSession(Options{})
	s.Add(e)
	ig := s.Integration()
	if len(ig.Calls) != 1 || ig.Calls[0].Auth.Raw != integration.AuthBasic || ig.OAuth.ClientID.Raw != "cid" {
		t.Fatalf("calls %+v client %q", ig.Calls, ig.OAuth.ClientID.Raw)
	}
	secrets := strings.Join(ig.Capture.Secrets, " ")
	for _, v := range []string{"sec-0123456789", "code-0123456789", "at-0123456789"} {
		if !strings.Contains(secrets, v) {
			t.Errorf("secret %s not remembered", v)
		}
	}
}

// The body and page readers take anything a capture holds without
// panicking, and a query they call parsed keeps every value.
func FuzzBodies(f *testing.F) {
	for _, seed := range []string{
		"scope=a&scope=b&step=consent", "note=100%&token=x", `{"data":{"access_token":"t"}}`, "[1,2",
		`<code id="error-code">invalid_client</code>`, `<p data-error-code="`, `role="alert">`, "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if q, ok := parseQuery(s); ok {
			n := 0
			for _, vs := range q {
				n += len(vs)
			}
			if n > strings.Count(s, "&")+1 {
				t.Fatalf("parseQuery(%q) has %d values", s, n)
			}
		}
		_, _ = htmlError(s)
		for _, mt := range []string{"application/json", "application/x-www-form-urlencoded", ""} {
			_ = readRequestBody(&Request{PostData: &Body{MimeType: mt, Text: s}})
		}
		_, _, _ = responseJSON(&Body{MimeType: "application/json", Text: s})
	})
}
