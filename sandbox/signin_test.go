package sandbox_test

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

// browser is a cookie-keeping client that posts forms the way a browser
// does, without following redirects, so each step's answer can be seen.
type browser struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, hc: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

func (b *browser) do(method, path string, form url.Values) reply {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	target := path
	if !strings.HasPrefix(path, "http://") {
		target = b.base + path
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Accept", browserAccept)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return reply{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw)}
}

var (
	formRe   = regexp.MustCompile(`<form method="post" action="([^"]+)">`)
	hiddenRe = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	metaRe   = regexp.MustCompile(`<meta name="contio-error" content="([^"]+)">`)
	dataRe   = regexp.MustCompile(`data-error-code="([^"]+)"`)
)

// submit posts the page's form with its hidden fields plus extra.
func (b *browser) submit(page reply, extra url.Values) reply {
	b.t.Helper()
	m := formRe.FindStringSubmatch(page.Raw)
	if m == nil {
		b.t.Fatalf("no form on the page: %s", page.Raw)
	}
	vals := url.Values{}
	for _, h := range hiddenRe.FindAllStringSubmatch(page.Raw, -1) {
		vals.Add(h[1], html.UnescapeString(h[2]))
	}
	for k, vs := range extra {
		vals[k] = vs
	}
	return b.do("POST", m[1], vals)
}

// errorCode reads the machine-readable error code of a page, and checks
// that the meta tag and the attribute agree.
func errorCode(t *testing.T, page reply) string {
	t.Helper()
	meta, data := metaRe.FindStringSubmatch(page.Raw), dataRe.FindStringSubmatch(page.Raw)
	if meta == nil || data == nil || meta[1] != data[1] {
		t.Fatalf("error page without a consistent machine-readable code (meta %v, data %v): %s", meta, data, page.Raw)
	}
	return meta[1]
}

// signInToConsent walks a browser from the authorize URL to the consent
// page and returns it.
func signInToConsent(t *testing.T, sb *sandbox.Sandbox, b *browser, q url.Values, email string) reply {
	t.Helper()
	r := b.do("GET", "/oauth2/authorize?"+q.Encode(), nil)
	if r.Status != 302 {
		t.Fatalf("authorize: %d %s", r.Status, r.Raw)
	}
	page := b.do("GET", r.Header.Get("Location"), nil)
	if page.Status != 200 || formRe.FindStringSubmatch(page.Raw)[1] != "/auth/initiate" {
		t.Fatalf("sign-in page: %d %s", page.Status, page.Raw)
	}
	otpPage := b.submit(page, url.Values{"email": {email}})
	if otpPage.Status != 200 || formRe.FindStringSubmatch(otpPage.Raw)[1] != "/auth/verify" {
		t.Fatalf("after the e-mail: %d %s", otpPage.Status, otpPage.Raw)
	}
	consent := b.submit(otpPage, url.Values{"code": {sb.LastOTP(email)}})
	if consent.Status != 200 || formRe.FindStringSubmatch(consent.Raw)[1] != "/oauth2/authorize" {
		t.Fatalf("after the code: %d %s", consent.Status, consent.Raw)
	}
	return consent
}

func authQuery(app sandbox.App, scope string, kv ...string) url.Values {
	q := url.Values{"client_id": {app.ClientID}, "redirect_uri": {app.RedirectURIs[0]}, "response_type": {"code"},
		"scope": {scope}, "state": {"st-77"}}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return q
}

// TestSignInOnDocumentedEndpoints: the browser sign-in goes authorize (302
// to the sign-in page, parameters kept) → /auth/initiate → /auth/verify
// (a 30-minute HttpOnly session cookie) → consent POST /oauth2/authorize,
// which takes one scope per ticked box and redirects to the app with a
// code for exactly those scopes.
func TestSignInOnDocumentedEndpoints(t *testing.T) {
	sb, app := newSB(t)
	b := newBrowser(t, sb.URL())
	q := authQuery(app, "openid profile meetings:read action-items:read", "code_challenge", pkceChallenge, "code_challenge_method", "S256")
	r := b.do("GET", "/oauth2/authorize?"+q.Encode(), nil)
	loc, _ := url.Parse(r.Header.Get("Location"))
	if r.Status != 302 || loc.String() != sb.URL()+sandbox.SignInPath+"?"+loc.RawQuery {
		t.Fatalf("authorize: %d Location %q", r.Status, r.Header.Get("Location"))
	}
	for k := range q {
		if loc.Query().Get(k) != q.Get(k) {
			t.Errorf("the sign-in page URL lost %s: %q", k, loc.RawQuery)
		}
	}
	consent := signInToConsent(t, sb, b, q, "lin@example.com")
	u, _ := url.Parse(sb.URL())
	var session *http.Cookie
	for _, c := range b.hc.Jar.Cookies(u) {
		if c.Name == "contio_session" {
			session = c
		}
	}
	if session == nil {
		t.Fatal("no contio_session cookie after /auth/verify")
	}
	for _, scope := range []string{"openid", "profile", "meetings:read", "action-items:read"} {
		if !strings.Contains(consent.Raw, `name="scope" value="`+scope+`" checked`) {
			t.Errorf("consent page has no ticked box for %s", scope)
		}
	}
	// Untick two boxes: the form carries scope once per remaining box.
	done := b.submit(consent, url.Values{"scope": {"openid", "meetings:read"}, "consent": {"true"}})
	back, _ := url.Parse(done.Header.Get("Location"))
	if done.Status != 302 || back == nil || !strings.HasPrefix(back.String(), app.RedirectURIs[0]+"?") ||
		back.Query().Get("state") != "st-77" || back.Query().Get("code") == "" {
		t.Fatalf("consent: %d Location %q", done.Status, done.Header.Get("Location"))
	}
	tok := call(t, "POST", sb.URL()+"/oauth2/token", formH(basic(app.ClientID, app.ClientSecret)), form("grant_type", "authorization_code",
		"code", back.Query().Get("code"), "redirect_uri", app.RedirectURIs[0], "code_verifier", pkceVerifier))
	if tok.Status != 200 || tok.str("scope") != "openid meetings:read" {
		t.Fatalf("token: %d %s", tok.Status, tok.Raw)
	}
}

// TestSignInSetCookie: the cookie /auth/verify sets is HttpOnly, scoped to
// the site and lives 30 minutes; JSON callers get it too.
func TestSignInSetCookie(t *testing.T) {
	sb, app := newSB(t)
	init := call(t, "POST", sb.URL()+"/auth/initiate", jsonH(basic(app.ClientID, app.ClientSecret)),
		jsonBody(t, map[string]any{"client_id": app.ClientID, "email": "ada@example.com"}))
	v := call(t, "POST", sb.URL()+"/auth/verify", jsonH(basic(app.ClientID, app.ClientSecret)),
		jsonBody(t, map[string]any{"client_id": app.ClientID, "email": "ada@example.com", "code": sb.LastOTP("ada@example.com"), "session": init.str("session")}))
	c := v.Header.Get("Set-Cookie")
	if v.Status != 200 || v.JSON["success"] != true || !strings.HasPrefix(c, "contio_session=") ||
		!strings.Contains(c, "Max-Age=1800") || !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "Path=/") {
		t.Fatalf("verify: %d Set-Cookie %q %s", v.Status, c, v.Raw)
	}
	// With the cookie, the JSON consent call needs no e-mail (the Postman flow).
	cookie := strings.SplitN(c, ";", 2)[0]
	r := call(t, "POST", sb.URL()+"/oauth2/authorize", map[string]string{"Content-Type": "application/json", "Cookie": cookie},
		jsonBody(t, map[string]any{"client_id": app.ClientID, "redirect_uri": app.RedirectURIs[0], "response_type": "code",
			"scope": "profile", "consent": true, "state": "p1"}))
	if r.Status != 200 || r.str("code") == "" || r.str("state") != "p1" {
		t.Fatalf("JSON consent with the session cookie: %d %s", r.Status, r.Raw)
	}
}

// TestSignInErrorsOnPages: the guide's errors, as a browser meets them,
// are HTML pages whose code a person sees and a tool reads.
func TestSignInErrorsOnPages(t *testing.T) {
	sb, app := newSB(t)
	t.Run("invalid_code", func(t *testing.T) {
		b := newBrowser(t, sb.URL())
		r := b.do("GET", "/oauth2/authorize?"+authQuery(app, "profile").Encode(), nil)
		page := b.do("GET", r.Header.Get("Location"), nil)
		otpPage := b.submit(page, url.Values{"email": {"kim@example.com"}})
		wrong := "000000"
		if sb.LastOTP("kim@example.com") == wrong {
			wrong = "111111"
		}
		bad := b.submit(otpPage, url.Values{"code": {wrong}})
		if bad.Status != 400 || errorCode(t, bad) != "invalid_code" || !strings.Contains(bad.Raw, `action="/auth/verify"`) {
			t.Fatalf("wrong OTP: %d %s", bad.Status, bad.Raw)
		}
		// The code form is shown again, and an expired code says so.
		sb.Advance(3 * time.Minute)
		late := b.submit(bad, url.Values{"code": {sb.LastOTP("kim@example.com")}})
		if late.Status != 400 || errorCode(t, late) != "invalid_code" || !strings.Contains(late.Raw, "expired") {
			t.Fatalf("expired OTP: %d %s", late.Status, late.Raw)
		}
	})
	t.Run("session_expired", func(t *testing.T) {
		b := newBrowser(t, sb.URL())
		consent := signInToConsent(t, sb, b, authQuery(app, "profile"), "lee@example.com")
		sb.Advance(29*time.Minute + 59*time.Second)
		if ok := b.submit(consent, url.Values{"scope": {"profile"}, "consent": {"true"}}); ok.Status != 302 {
			t.Fatalf("consent just inside 30 minutes: %d %s", ok.Status, ok.Raw)
		}
		sb.Advance(time.Second)
		late := b.submit(consent, url.Values{"scope": {"profile"}, "consent": {"true"}})
		if late.Status != 401 || late.Header.Get("Location") != "" || errorCode(t, late) != "session_expired" ||
			!strings.Contains(late.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("consent after 30 minutes: %d %v %s", late.Status, late.Header, late.Raw)
		}
		// Without a cookie at all, the same.
		fresh := newBrowser(t, sb.URL())
		if r := fresh.submit(consent, url.Values{"scope": {"profile"}, "consent": {"true"}}); r.Status != 401 || errorCode(t, r) != "session_expired" {
			t.Fatalf("consent without a session cookie: %d %s", r.Status, r.Raw)
		}
	})
	t.Run("access_denied", func(t *testing.T) {
		b := newBrowser(t, sb.URL())
		consent := signInToConsent(t, sb, b, authQuery(app, "profile"), "max@example.com")
		r := b.submit(consent, url.Values{"consent": {"false"}})
		back, _ := url.Parse(r.Header.Get("Location"))
		if r.Status != 302 || back.Query().Get("error") != "access_denied" || back.Query().Get("state") != "st-77" || back.Query().Get("code") != "" {
			t.Fatalf("deny: %d %q", r.Status, r.Header.Get("Location"))
		}
	})
	t.Run("invalid_request for an unregistered redirect URI", func(t *testing.T) {
		b := newBrowser(t, sb.URL())
		for _, ru := range []string{app.RedirectURIs[0] + "/", "http://localhost:3001/callback", "http://127.0.0.1:3000/callback"} {
			q := authQuery(app, "profile", "redirect_uri", ru)
			for _, path := range []string{"/oauth2/authorize", sandbox.SignInPath} {
				r := b.do("GET", path+"?"+q.Encode(), nil)
				if r.Status != 400 || r.Header.Get("Location") != "" || errorCode(t, r) != "invalid_request" || !strings.Contains(r.Raw, "req_") {
					t.Fatalf("GET %s with redirect_uri %s: %d %v", path, ru, r.Status, r.Header)
				}
			}
			// A tampered form is held to the same rule.
			if r := b.do("POST", "/auth/initiate", url.Values{"client_id": {app.ClientID}, "redirect_uri": {ru},
				"response_type": {"code"}, "email": {"a@example.com"}}); r.Status != 400 || errorCode(t, r) != "invalid_request" {
				t.Fatalf("initiate form with redirect_uri %s: %d %s", ru, r.Status, r.Raw)
			}
		}
	})
	t.Run("invalid_client for an unknown client_id", func(t *testing.T) {
		b := newBrowser(t, sb.URL())
		q := authQuery(app, "profile", "client_id", "sbx_client_nobody")
		r := b.do("GET", "/oauth2/authorize?"+q.Encode(), nil)
		if r.Status != 401 || r.Header.Get("Location") != "" || errorCode(t, r) != "invalid_client" {
			t.Fatalf("unknown client: %d %s", r.Status, r.Raw)
		}
		// API callers keep their JSON answer.
		wantError(t, call(t, "GET", sb.URL()+"/oauth2/authorize?"+q.Encode(), map[string]string{"Accept": "application/json"}, ""), 401, "invalid_client")
	})
}

// TestSignInLoginHint: login_hint fills and locks the e-mail field, and
// the locked address is the one that gets the code.
func TestSignInLoginHint(t *testing.T) {
	sb, app := newSB(t)
	b := newBrowser(t, sb.URL())
	r := b.do("GET", "/oauth2/authorize?"+authQuery(app, "profile", "login_hint", "Ada@Example.com").Encode(), nil)
	page := b.do("GET", r.Header.Get("Location"), nil)
	if !strings.Contains(page.Raw, `value="ada@example.com" readonly`) {
		t.Fatalf("e-mail field not filled and locked: %s", page.Raw)
	}
	if other := b.submit(page, url.Values{"email": {"eve@example.com"}}); other.Status != 400 || errorCode(t, other) != "invalid_request" {
		t.Fatalf("another address than login_hint: %d %s", other.Status, other.Raw)
	}
	if ok := b.submit(page, url.Values{"email": {"ada@example.com"}}); ok.Status != 200 || sb.LastOTP("ada@example.com") == "" {
		t.Fatalf("the hinted address: %d %s", ok.Status, ok.Raw)
	}
}
