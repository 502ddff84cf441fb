package har_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/har"
	"github.com/Contio-AI/contio-doctor/sandbox"
)

// The captures in testdata/har are recorded from real traffic against the
// sandbox: a client drives it through har.Recorder, in process (no socket,
// so nothing can leave the machine), on the sandbox's fake clock, so a
// "code exchanged 6 minutes later" is the clock advanced by 6 minutes.
// `go test ./internal/har -run TestCaptures -update` rewrites them; without
// -update the test regenerates each and requires it to match the file.

var update = flag.Bool("update", false, "rewrite testdata/har captures")

const harDir = "../../testdata/har"

// handlerTransport serves requests with an http.Handler in process.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	// The handler sees what a server would: a body it can read and close.
	if req.Body == nil {
		req.Body = http.NoBody
	}
	sreq := req.Clone(req.Context())
	sreq.RequestURI = req.URL.RequestURI()
	t.h.ServeHTTP(rec, sreq)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// flow is a scripted client of one sandbox.
type flow struct {
	t   *testing.T
	sb  *sandbox.Sandbox
	rec *har.Recorder
	app sandbox.App
	hc  *http.Client
}

const (
	authBase    = "https://auth.contio.ai"
	apiBase     = "https://api.contio.ai"
	callbackURI = "https://app.example.com/callback"
	email       = "ada@example.com"
)

func newFlow(t *testing.T) *flow {
	t.Helper()
	clock := sandbox.NewFakeClock(sandbox.TestEpoch)
	sb := sandbox.New(sandbox.Options{Clock: clock, Seed: 42})
	app := sb.AddApp(sandbox.App{Name: "Capture App", CompanyName: "Example Partner Ltd", RedirectURIs: []string{callbackURI}})
	rec := &har.Recorder{Transport: handlerTransport{sb.Handler()}, Clock: sb.Now}
	hc := &http.Client{Transport: rec, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &flow{t: t, sb: sb, rec: rec, app: app, hc: hc}
}

// do sends one request and returns the decoded JSON answer.
func (f *flow) do(method, rawURL string, header map[string]string, body string) (int, map[string]any) {
	f.t.Helper()
	resp, b := f.raw(method, rawURL, header, body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

// raw sends one request and returns the response and its body.
func (f *flow) raw(method, rawURL string, header map[string]string, body string) (*http.Response, []byte) {
	f.t.Helper()
	req, err := http.NewRequest(method, rawURL, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if body == "" {
		req.Body = nil
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := f.hc.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

var (
	formAction  = regexp.MustCompile(`<form method="post" action="([^"]+)">`)
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// browserSignIn signs in through the sandbox's pages as a browser does
// (forms, the session cookie, one scope per ticked box) and returns the
// code from the redirect back to the app.
func (f *flow) browserSignIn(scope string, ticked ...string) string {
	f.t.Helper()
	page := map[string]string{"Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"}
	post := func(body []byte, cookie string, extra url.Values) *http.Response {
		f.t.Helper()
		m := formAction.FindSubmatch(body)
		if m == nil {
			f.t.Fatalf("no form on the page: %s", body)
		}
		v := url.Values{}
		for _, h := range hiddenInput.FindAllSubmatch(body, -1) {
			v.Add(string(h[1]), html.UnescapeString(string(h[2])))
		}
		for k, vs := range extra {
			v[k] = vs
		}
		h := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
		for k, x := range page {
			h[k] = x
		}
		if cookie != "" {
			h["Cookie"] = cookie
		}
		resp, next := f.raw("POST", authBase+string(m[1]), h, v.Encode())
		resp.Body = io.NopCloser(bytes.NewReader(next))
		return resp
	}
	read := func(resp *http.Response) []byte { b, _ := io.ReadAll(resp.Body); return b }
	q := url.Values{"client_id": {f.app.ClientID}, "redirect_uri": {callbackURI}, "response_type": {"code"}, "scope": {scope}, "state": {"st4te-9f2c"}}
	resp, _ := f.raw("GET", authBase+"/oauth2/authorize?"+q.Encode(), page, "")
	_, signIn := f.raw("GET", resp.Header.Get("Location"), page, "")
	f.sb.Advance(4 * time.Second)
	otp := read(post(signIn, "", url.Values{"email": {email}}))
	f.sb.Advance(25 * time.Second)
	verified := post(otp, "", url.Values{"code": {f.sb.LastOTP(email)}})
	cookie := strings.SplitN(verified.Header.Get("Set-Cookie"), ";", 2)[0]
	f.sb.Advance(3 * time.Second)
	done := post(read(verified), cookie, url.Values{"scope": ticked, "consent": {"true"}})
	back, err := url.Parse(done.Header.Get("Location"))
	if done.StatusCode != http.StatusFound || err != nil || back.Query().Get("code") == "" {
		f.t.Fatalf("consent: %d %q", done.StatusCode, done.Header.Get("Location"))
	}
	f.sb.Advance(time.Second)
	return back.Query().Get("code")
}

func (f *flow) basic() string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(f.app.ClientID+":"+f.app.ClientSecret))
}

func (f *flow) jsonPost(path string, auth string, body map[string]any) (int, map[string]any) {
	b, _ := json.Marshal(body)
	h := map[string]string{"Content-Type": "application/json", "Accept": "application/json"}
	if auth != "" {
		h["Authorization"] = auth
	}
	return f.do("POST", authBase+path, h, string(b))
}

func (f *flow) formPost(path string, kv ...string) (int, map[string]any) {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return f.do("POST", authBase+path, map[string]string{"Authorization": f.basic(), "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}, v.Encode())
}

// signIn runs initiate and verify; the clock advances wait in between.
func (f *flow) signIn(wait time.Duration) {
	f.t.Helper()
	st, m := f.jsonPost("/auth/initiate", f.basic(), map[string]any{"client_id": f.app.ClientID, "email": email})
	if st != 200 {
		f.t.Fatalf("initiate: %d %v", st, m)
	}
	f.sb.Advance(wait)
	f.jsonPost("/auth/verify", f.basic(), map[string]any{"client_id": f.app.ClientID, "email": email, "code": f.sb.LastOTP(email), "session": m["session"]})
	f.sb.Advance(2 * time.Second)
}

// authorize opens the authorization URL as a browser would, then grants
// consent through the JSON API, and returns the code.
func (f *flow) authorize(scope string) string {
	f.t.Helper()
	q := url.Values{"client_id": {f.app.ClientID}, "redirect_uri": {callbackURI}, "response_type": {"code"}, "scope": {scope}, "state": {"st4te-9f2c"}}
	f.do("GET", authBase+"/oauth2/authorize?"+q.Encode(), map[string]string{"Accept": "text/html"}, "")
	f.sb.Advance(time.Second)
	f.jsonPost("/oauth2/check-consent", f.basic(), map[string]any{"client_id": f.app.ClientID, "email": email, "scope": scope})
	st, m := f.jsonPost("/oauth2/authorize", "", map[string]any{"client_id": f.app.ClientID, "email": email, "redirect_uri": callbackURI,
		"response_type": "code", "scope": scope, "state": "st4te-9f2c", "consent": true})
	code, _ := m["code"].(string)
	if st != 200 || code == "" {
		f.t.Fatalf("authorize: %d %v", st, m)
	}
	f.sb.Advance(time.Second)
	return code
}

func (f *flow) exchange(code, redirect string) (int, map[string]any) {
	return f.formPost("/oauth2/token", "grant_type", "authorization_code", "code", code, "redirect_uri", redirect)
}

// tokens signs in, authorizes and exchanges: the healthy start.
func (f *flow) tokens(scope string) (access, refresh string) {
	f.t.Helper()
	f.signIn(30 * time.Second)
	code := f.authorize(scope)
	st, m := f.exchange(code, callbackURI)
	if st != 200 {
		f.t.Fatalf("exchange: %d %v", st, m)
	}
	f.sb.Advance(time.Second)
	return m["access_token"].(string), m["refresh_token"].(string)
}

func (f *flow) user(method, path, token string) (int, map[string]any) {
	f.t.Helper()
	st, m := f.do(method, apiBase+"/v1/partner/user"+path, map[string]string{"Authorization": "Bearer " + token, "Accept": "application/json"}, "")
	return st, m
}

const fullScope = "openid profile meetings:read action-items:read"

// scenarios produce one capture each; the name is the file's base name.
var scenarios = []struct {
	name string
	run  func(f *flow)
}{
	{"healthy", func(f *flow) {
		at, rt := f.tokens(fullScope)
		f.user("GET", "/profile", at)
		f.user("GET", "/meetings", at)
		f.formPost("/oauth2/introspect", "token", at)
		f.sb.Advance(time.Hour)
		_, m := f.formPost("/oauth2/token", "grant_type", "refresh_token", "refresh_token", rt)
		f.user("GET", "/action-items", m["access_token"].(string))
		f.do("GET", apiBase+"/v1/partner/admin/app", map[string]string{"X-API-Key": f.app.APIKey, "X-Client-ID": f.app.ClientID, "Accept": "application/json"}, "")
	}},
	{"browser-sign-in", func(f *flow) {
		// The user unticks action-items:read on the consent page.
		code := f.browserSignIn(fullScope, "openid", "profile", "meetings:read")
		_, m := f.exchange(code, callbackURI)
		f.user("GET", "/meetings", m["access_token"].(string))
	}},
	{"code-exchanged-late", func(f *flow) {
		f.signIn(20 * time.Second)
		code := f.authorize(fullScope)
		f.sb.Advance(6 * time.Minute)
		f.exchange(code, callbackURI)
	}},
	{"code-exchanged-twice", func(f *flow) {
		f.signIn(20 * time.Second)
		code := f.authorize(fullScope)
		f.exchange(code, callbackURI)
		f.sb.Advance(1500 * time.Millisecond)
		f.exchange(code, callbackURI)
	}},
	{"token-redirect-uri-mismatch", func(f *flow) {
		f.signIn(20 * time.Second)
		code := f.authorize(fullScope)
		f.exchange(code, callbackURI+"/")
	}},
	{"otp-verified-late", func(f *flow) {
		f.signIn(4 * time.Minute)
	}},
	{"consent-after-session", func(f *flow) {
		f.signIn(30 * time.Second)
		f.sb.Advance(31 * time.Minute)
		f.jsonPost("/oauth2/check-consent", f.basic(), map[string]any{"client_id": f.app.ClientID, "email": email, "scope": fullScope})
	}},
	{"refresh-token-reused", func(f *flow) {
		_, rt := f.tokens(fullScope)
		f.sb.Advance(time.Hour)
		f.formPost("/oauth2/token", "grant_type", "refresh_token", "refresh_token", rt)
		f.sb.Advance(2 * time.Second)
		f.formPost("/oauth2/token", "grant_type", "refresh_token", "refresh_token", rt)
	}},
	{"token-lacks-scope", func(f *flow) {
		at, _ := f.tokens("openid profile meetings:read")
		f.user("GET", "/meetings", at)
		f.user("GET", "/action-items", at)
	}},
	{"rate-over-limit", func(f *flow) {
		at, _ := f.tokens(fullScope)
		f.sb.SetLimits(sandbox.Limits{Off: true})
		for range 110 {
			f.user("GET", "/meetings", at)
			f.sb.Advance(400 * time.Millisecond)
		}
	}},
	{"retry-before-reset", func(f *flow) {
		at, _ := f.tokens(fullScope)
		f.sb.SetLimits(sandbox.Limits{User: 2, Admin: 50, OAuth: 20})
		for range 3 {
			f.user("GET", "/meetings", at)
			f.sb.Advance(200 * time.Millisecond)
		}
		f.sb.Advance(time.Second)
		f.user("GET", "/meetings", at)
	}},
	{"retry-storm", func(f *flow) {
		at, _ := f.tokens(fullScope)
		if _, err := f.sb.AddFault(sandbox.FaultRule{Method: "GET", Path: "/v1/partner/user/meetings", Kind: sandbox.FaultStatus, Status: 503}); err != nil {
			f.t.Fatal(err)
		}
		for range 5 {
			f.user("GET", "/meetings", at)
			f.sb.Advance(100 * time.Millisecond)
		}
	}},
	{"method-not-allowed", func(f *flow) {
		at, _ := f.tokens(fullScope)
		f.user("PUT", "/meetings", at)
	}},
	{"admin-missing-client-id", func(f *flow) {
		f.do("GET", apiBase+"/v1/partner/admin/app", map[string]string{"X-API-Key": f.app.APIKey, "Accept": "application/json"}, "")
	}},
	{"bearer-on-admin", func(f *flow) {
		at, _ := f.tokens(fullScope)
		f.do("GET", apiBase+"/v1/partner/admin/app", map[string]string{"Authorization": "Bearer " + at, "X-Client-ID": f.app.ClientID, "Accept": "application/json"}, "")
	}},
	{"unknown-path", func(f *flow) {
		at, _ := f.tokens(fullScope)
		f.user("GET", "/meeting", at)
	}},
	{"basic-auth-trailing-newline", func(f *flow) {
		bad := "Basic " + base64.StdEncoding.EncodeToString([]byte(f.app.ClientID+":"+f.app.ClientSecret+"\n"))
		f.do("POST", authBase+"/oauth2/token", map[string]string{"Authorization": bad, "Content-Type": "application/x-www-form-urlencoded"},
			"grant_type=client_credentials&scope=openid")
	}},
}

// record runs a scenario and returns its capture.
func record(t *testing.T, run func(*flow)) []byte {
	t.Helper()
	f := newFlow(t)
	run(f)
	var b bytes.Buffer
	if _, err := f.rec.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// shaped captures: the same traffic in the shapes other tools write.
var shapes = []struct {
	name, from string
	shape      func(t *testing.T, doc []byte) []byte
}{
	{"chrome-token-lacks-scope", "token-lacks-scope", chromeShape},
	{"mitmproxy-retry-storm", "retry-storm", mitmproxyShape},
	{"authorize-pkce-plain", "healthy", pkcePlainShape},
}

func TestCaptures(t *testing.T) {
	for _, sc := range scenarios {
		compareOrUpdate(t, filepath.Join(harDir, sc.name+".har"), record(t, sc.run))
	}
	// Shapes are derived from the committed recordings, so they stay
	// byte-for-byte stable.
	for _, sh := range shapes {
		src, err := os.ReadFile(filepath.Join(harDir, sh.from+".har"))
		if err != nil {
			t.Fatal(err)
		}
		compareOrUpdate(t, filepath.Join(harDir, sh.name+".har"), sh.shape(t, src))
	}
}

// jwt matches an ID token: the sandbox signs them with a fresh key each
// run (and ECDSA signatures are randomised), so comparisons mask them.
var jwt = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)

func compareOrUpdate(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to record it)", err)
	}
	if !bytes.Equal(jwt.ReplaceAll(got, []byte("<jwt>")), jwt.ReplaceAll(want, []byte("<jwt>"))) {
		t.Errorf("%s differs from a fresh recording; run `go test ./internal/har -run TestCaptures -update` and review the diff", path)
	}
}

// chromeShape rewrites a capture the way Chrome's devtools export it:
// HTTP/2 pseudo-headers, lower-case header names, _-prefixed fields,
// response bodies base64-encoded, optional fields (postData params, cache,
// redirectURL) absent.
func chromeShape(t *testing.T, doc []byte) []byte {
	t.Helper()
	var f map[string]any
	if err := json.Unmarshal(doc, &f); err != nil {
		t.Fatal(err)
	}
	lg := f["log"].(map[string]any)
	lg["creator"] = map[string]any{"name": "WebInspector", "version": "537.36"}
	lg["pages"] = []any{}
	for i, e := range lg["entries"].([]any) {
		e := e.(map[string]any)
		e["_initiator"] = map[string]any{"type": "script"}
		e["_priority"] = "High"
		e["_resourceType"] = "fetch"
		e["serverIPAddress"] = "192.0.2.10"
		e["connection"] = fmt.Sprint(1000 + i)
		delete(e, "cache")
		req := e["request"].(map[string]any)
		req["httpVersion"] = "http/2.0"
		u, _ := url.Parse(req["url"].(string))
		hs := []any{
			map[string]any{"name": ":authority", "value": u.Host},
			map[string]any{"name": ":method", "value": req["method"]},
			map[string]any{"name": ":path", "value": u.RequestURI()},
			map[string]any{"name": ":scheme", "value": "https"},
		}
		for _, h := range req["headers"].([]any) {
			h := h.(map[string]any)
			hs = append(hs, map[string]any{"name": strings.ToLower(h["name"].(string)), "value": h["value"]})
		}
		req["headers"] = hs
		resp := e["response"].(map[string]any)
		resp["httpVersion"] = "http/2.0"
		resp["_transferSize"] = 812
		resp["_error"] = nil
		delete(resp, "redirectURL")
		content := resp["content"].(map[string]any)
		if text, ok := content["text"].(string); ok && text != "" {
			content["text"] = base64.StdEncoding.EncodeToString([]byte(text))
			content["encoding"] = "base64"
		}
	}
	out, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// mitmproxyShape rewrites a capture the way mitmproxy's HAR export does:
// compact, a comment, duplicate headers, -1 timings, base64 bodies.
func mitmproxyShape(t *testing.T, doc []byte) []byte {
	t.Helper()
	var f map[string]any
	if err := json.Unmarshal(doc, &f); err != nil {
		t.Fatal(err)
	}
	lg := f["log"].(map[string]any)
	lg["creator"] = map[string]any{"name": "mitmproxy", "version": "11.0.0", "comment": "mitmproxy version mitmproxy 11.0.0"}
	for _, e := range lg["entries"].([]any) {
		e := e.(map[string]any)
		e["timings"] = map[string]any{"connect": -1, "ssl": -1, "send": 0.1, "receive": 0.2, "wait": 1.5, "blocked": -1, "dns": -1}
		req := e["request"].(map[string]any)
		hs := req["headers"].([]any)
		hs = append(hs, map[string]any{"name": "Accept-Encoding", "value": "gzip"}, map[string]any{"name": "Accept-Encoding", "value": "br"})
		req["headers"] = hs
		resp := e["response"].(map[string]any)
		content := resp["content"].(map[string]any)
		if text, ok := content["text"].(string); ok && text != "" {
			content["text"] = base64.StdEncoding.EncodeToString([]byte(text))
			content["encoding"] = "base64"
		}
		resp["headers"] = append(resp["headers"].([]any), map[string]any{"name": "Set-Cookie", "value": "a=1"}, map[string]any{"name": "Set-Cookie", "value": "b=2"})
	}
	out, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// TestBrowserCaptureReadsAsAFlow: the browser capture reads as the sign-in
// it records: the page load is not an API call, the consent form's one
// scope per ticked box reads as the granted scope, and the code in the
// consent redirect is found.
func TestBrowserCaptureReadsAsAFlow(t *testing.T) {
	ig, err := har.LoadFile(filepath.Join(harDir, "browser-sign-in.har"), har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range ig.Calls {
		if c.Path.Raw == sandbox.SignInPath {
			t.Errorf("the sign-in page load became an API call: %+v", c)
		}
	}
	var kinds []string
	for _, s := range ig.Capture.Steps {
		kinds = append(kinds, fmt.Sprintf("%s %d", s.Kind, s.Status))
		if s.Kind == "consent" && s.Scope != "openid profile meetings:read" {
			t.Errorf("consent step scope %q, want the three ticked boxes", s.Scope)
		}
		if s.Kind == "token" && s.GrantedScope != "openid profile meetings:read" {
			t.Errorf("token step granted %q", s.GrantedScope)
		}
	}
	want := "authorize 302 initiate 200 verify 200 consent 302 code 302 token 200"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("steps %q, want %q", got, want)
	}
}

// pkcePlainShape adds PKCE with the plain method to every authorization
// request of a capture, as an app using code_challenge_method=plain sends
// it. Derived rather than recorded, so the capture keeps the request
// whatever the sandbox answers to it.
func pkcePlainShape(t *testing.T, doc []byte) []byte {
	t.Helper()
	var f map[string]any
	if err := json.Unmarshal(doc, &f); err != nil {
		t.Fatal(err)
	}
	const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" // RFC 7636 appendix B
	lg := f["log"].(map[string]any)
	for _, e := range lg["entries"].([]any) {
		req := e.(map[string]any)["request"].(map[string]any)
		u, err := url.Parse(req["url"].(string))
		if err != nil || req["method"] != "GET" || u.Path != "/oauth2/authorize" {
			continue
		}
		q := u.Query()
		q.Set("code_challenge", verifier) // plain: the challenge is the verifier itself
		q.Set("code_challenge_method", "plain")
		u.RawQuery = q.Encode()
		req["url"] = u.String()
		qs, _ := req["queryString"].([]any)
		req["queryString"] = append(qs,
			map[string]any{"name": "code_challenge", "value": verifier},
			map[string]any{"name": "code_challenge_method", "value": "plain"})
	}
	out, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}
