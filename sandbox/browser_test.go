package sandbox_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

// chromiumPath finds a Chromium for the browser test.
func chromiumPath() string {
	if p := os.Getenv("CONTIO_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestBrowserSignInAndConsent drives the sign-in pages in headless Chromium
// as a person would: e-mail, a wrong OTP (the page shows invalid_code),
// the OTP from the inbox, untick one scope, Allow, and land on the
// redirect URI with a code whose token carries exactly the ticked scopes.
// The browser goes through the documented endpoints: GET /oauth2/authorize
// (302), /auth/initiate, /auth/verify (session cookie) and the consent
// POST /oauth2/authorize (302 to the app).
func TestBrowserSignInAndConsent(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Chromium found in CI: .ci/run installs Debian's chromium; the browser sign-in must be proven there")
		}
		t.Skip("no Chromium found (install it with: apt-get install -y chromium, or set CONTIO_CHROMIUM)")
	}
	callback := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!doctype html><html lang="en"><title>Partner app</title><h1 id="connected">Connected</h1></html>`))
	}))
	defer callback.Close()
	sb := sandbox.NewTest(t, sandbox.Options{Seed: 5, Limits: sandbox.Limits{Off: true}})
	app := sb.AddApp(sandbox.App{Name: "Acme Notes", RedirectURIs: []string{callback.URL + "/callback"}})
	authURL := sb.URL() + "/oauth2/authorize?" + url.Values{
		"client_id": {app.ClientID}, "redirect_uri": {app.RedirectURIs[0]}, "response_type": {"code"},
		"scope": {"openid profile meetings:read action-items:read"}, "state": {"st-123"},
		"code_challenge": {pkceChallenge}, "code_challenge_method": {"S256"},
	}.Encode()

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()

	step := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// Every visible input has a label pointing at it.
	assertLabelled := func(page string) {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](
			`[...document.querySelectorAll('input:not([type=hidden])')].filter(i => !document.querySelector('label[for="'+i.id+'"]')).length`))
		if err != nil || n != 0 {
			t.Errorf("%s page: %d inputs without a label (%v)", page, n, err)
		}
	}
	step("open the authorize URL", chromedp.Navigate(authURL), chromedp.WaitVisible(chromedp.ID("email")))
	lang, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
	if err != nil || lang.Value != "en" {
		t.Errorf("page lang %q (%v)", lang.Value, err)
	}
	if h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1"))); err != nil || h1 == "" {
		t.Errorf("page without a heading (%v)", err)
	}
	assertLabelled("e-mail")
	step("enter the e-mail", chromedp.SendKeys(chromedp.ID("email"), "lin@example.com"), chromedp.Click(chromedp.ID("send-code")),
		chromedp.WaitVisible(chromedp.ID("code")))
	assertLabelled("OTP")
	// The OTP, from the sandbox inbox.
	inbox := call(t, "GET", sb.URL()+"/_sandbox/inbox", nil, "")
	msgs, _ := inbox.JSON["messages"].([]any)
	if len(msgs) == 0 {
		t.Fatalf("no OTP in the inbox: %s", inbox.Raw)
	}
	otp := msgs[0].(map[string]any)["code"].(string)
	wrong := "000000"
	if otp == wrong {
		wrong = "111111"
	}
	step("enter a wrong OTP", chromedp.SendKeys(chromedp.ID("code"), wrong), chromedp.Click(chromedp.ID("verify")),
		chromedp.WaitVisible(chromedp.ID("error")))
	if code, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`meta[name="contio-error"]`), "content")); err != nil || code.Value != "invalid_code" {
		t.Errorf("wrong OTP page: contio-error %q (%v)", code.Value, err)
	}
	if code, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.ID("error"), "data-error-code")); err != nil || code.Value != "invalid_code" {
		t.Errorf("wrong OTP page: data-error-code %q (%v)", code.Value, err)
	}
	step("enter the OTP", chromedp.SendKeys(chromedp.ID("code"), otp), chromedp.Click(chromedp.ID("verify")),
		chromedp.WaitVisible(chromedp.ID("allow")))
	assertLabelled("consent")
	step("untick a scope and allow", chromedp.Click(chromedp.ID("scope-action-items-read")), chromedp.Click(chromedp.ID("allow")),
		chromedp.WaitVisible(chromedp.ID("connected")))
	location, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(location, app.RedirectURIs[0]+"?") {
		t.Fatalf("landed on %q, want the redirect URI", location)
	}
	u, _ := url.Parse(location)
	if u.Query().Get("state") != "st-123" || u.Query().Get("code") == "" {
		t.Fatalf("redirect query: %s", u.RawQuery)
	}
	tok := call(t, "POST", sb.URL()+"/oauth2/token", formH(basic(app.ClientID, app.ClientSecret)), form("grant_type", "authorization_code",
		"code", u.Query().Get("code"), "redirect_uri", app.RedirectURIs[0], "code_verifier", pkceVerifier))
	if tok.Status != 200 || tok.str("scope") != "openid profile meetings:read" {
		t.Fatalf("token for the ticked scopes: %d %s", tok.Status, tok.Raw)
	}
	var trail []string
	for _, e := range sb.Requests() {
		if e.Path != "/oauth2/token" && e.Path != "/favicon.ico" {
			trail = append(trail, fmt.Sprintf("%s %s %d", e.Method, e.Path, e.Status))
		}
	}
	want := "GET /oauth2/authorize 302 | GET /sign-in 200 | POST /auth/initiate 200 | POST /auth/verify 400 | POST /auth/verify 200 | POST /oauth2/authorize 302"
	if got := strings.Join(trail, " | "); got != want {
		t.Errorf("the browser went\n  %s\nwant\n  %s", got, want)
	}
}

// A PKCE pair: the challenge is the base64url SHA-256 of the verifier.
const (
	pkceVerifier  = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	pkceChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
)
