package sandbox_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

// TestRateLimitRollingWindow: the per-credential minute is a rolling one.
// Twenty OAuth calls spread over 50 seconds spend the budget; the 21st
// learns to wait exactly until the first leaves the window, an early
// retry is refused (and not counted), and on time one more call fits.
func TestRateLimitRollingWindow(t *testing.T) {
	sb := sandbox.NewTest(t, sandbox.Options{Seed: 1})
	app := sb.DefaultApp()
	auth := basic(app.ClientID, app.ClientSecret)
	scopes := func() reply { return call(t, "GET", sb.URL()+"/oauth2/scopes", formH(auth), "") }
	for i := 0; i < 20; i++ {
		if r := scopes(); r.Status != 200 {
			t.Fatalf("call %d of 20: %d %s", i+1, r.Status, r.Raw)
		}
		sb.Advance(2500 * time.Millisecond) // the last one at 47.5 s
	}
	// Now 50 s after the first call. A fixed window would say 10 s too,
	// but would then admit 20 at once; the rolling window admits one.
	r := scopes()
	wantError(t, r, 429, "rate_limit_exceeded")
	if r.Header.Get("Retry-After") != "10" || r.Header.Get("X-RateLimit-Scope") != "credential" {
		t.Fatalf("429 headers: %v", r.Header)
	}
	if msg := r.str("message"); !strings.Contains(msg, "troubleshooting guide") || !strings.Contains(msg, "20 oauth requests") {
		t.Errorf("429 message does not say which limit fired: %q", msg)
	}
	if reset := r.Header.Get("X-RateLimit-Reset"); reset != itoa(sandbox.TestEpoch.Add(time.Minute).Unix()) {
		t.Errorf("X-RateLimit-Reset %s, want when the oldest call leaves the window", reset)
	}
	sb.Advance(9 * time.Second)
	if r := scopes(); r.Status != 429 || r.Header.Get("Retry-After") != "1" {
		t.Fatalf("a retry 1 s early: %d Retry-After %q", r.Status, r.Header.Get("Retry-After"))
	}
	sb.Advance(time.Second)
	if r := scopes(); r.Status != 200 || r.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Fatalf("on time: %d %v", r.Status, r.Header)
	}
	// The second slot frees 2.5 s after the first.
	if r := scopes(); r.Status != 429 || r.Header.Get("Retry-After") != "3" {
		t.Fatalf("straight after: %d Retry-After %q", r.Status, r.Header.Get("Retry-After"))
	}
}

// TestRateLimitPerIP: every token behind one address spends one rolling
// 5-minute budget (the API guide's WAF rule); the 429 says it was the IP
// limit, and its Retry-After is exact.
func TestRateLimitPerIP(t *testing.T) {
	sb := sandbox.NewTest(t, sandbox.Options{Seed: 2, Limits: sandbox.Limits{IPUser: 5}})
	profile := func() reply {
		tok, err := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile"}})
		if err != nil {
			t.Fatal(err)
		}
		return call(t, "GET", sb.URL()+"/v1/partner/user/profile", bearerH(tok.AccessToken), "")
	}
	for i := 0; i < 5; i++ {
		if r := profile(); r.Status != 200 {
			t.Fatalf("token %d: %d %s", i+1, r.Status, r.Raw)
		}
		sb.Advance(30 * time.Second)
	}
	r := profile() // a fresh token, 150 s after the first call
	wantError(t, r, 429, "rate_limit_exceeded")
	if r.Header.Get("X-RateLimit-Scope") != "ip" || r.Header.Get("Retry-After") != "150" || r.Header.Get("X-RateLimit-Limit") != "5" {
		t.Fatalf("429 headers: %v", r.Header)
	}
	if msg := r.str("message"); !strings.Contains(msg, "client IP 127.0.0.1") || !strings.Contains(msg, "API guide") ||
		!strings.Contains(msg, "rolling 5 minutes") {
		t.Errorf("429 message does not say which limit fired: %q", msg)
	}
	sb.Advance(149 * time.Second)
	if r := profile(); r.Status != 429 {
		t.Fatalf("1 s early: %d", r.Status)
	}
	sb.Advance(time.Second)
	if r := profile(); r.Status != 200 {
		t.Fatalf("on time: %d %s", r.Status, r.Raw)
	}
	var limited []sandbox.LogEntry
	for _, e := range sb.Requests() {
		if e.RateLimited {
			limited = append(limited, e)
		}
	}
	if len(limited) != 2 || limited[0].RateLimit != "ip" {
		t.Fatalf("request log of the refused calls: %+v", limited)
	}
}

// TestRateLimitDocumentedDefaults: with no configuration both documented
// limits hold at once: 100 a minute per token, and 1,000 per 5 minutes
// per IP address, which an eleventh token from the same address hits while
// another address still gets through.
func TestRateLimitDocumentedDefaults(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Seed: 3, Clock: sandbox.NewFakeClock(sandbox.TestEpoch)})
	want := sandbox.Limits{User: 100, Admin: 50, OAuth: 20, Window: time.Minute,
		IPUser: 1000, IPAdmin: 500, IPOAuth: 100, IPWindow: 5 * time.Minute}
	if got := sb.RateLimits(); got != want {
		t.Fatalf("defaults %+v, want %+v", got, want)
	}
	h := sb.Handler()
	get := func(tok, ip string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/v1/partner/user/profile", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.RemoteAddr = ip + ":40000"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	newToken := func() string {
		tok, err := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile"}})
		if err != nil {
			t.Fatal(err)
		}
		return tok.AccessToken
	}
	first := newToken()
	for i := 0; i < 100; i++ {
		if rec := get(first, "192.0.2.1"); rec.Code != 200 {
			t.Fatalf("call %d of token 1: %d", i+1, rec.Code)
		}
	}
	if rec := get(first, "192.0.2.1"); rec.Code != 429 || rec.Header().Get("X-RateLimit-Scope") != "credential" {
		t.Fatalf("101st call of one token: %d %v", rec.Code, rec.Header())
	}
	for n := 2; n <= 10; n++ {
		tok := newToken()
		for i := 0; i < 100; i++ {
			if rec := get(tok, "192.0.2.1"); rec.Code != 200 {
				t.Fatalf("token %d call %d: %d %s", n, i+1, rec.Code, rec.Body)
			}
		}
	}
	eleventh := newToken()
	rec := get(eleventh, "192.0.2.1")
	if rec.Code != 429 || rec.Header().Get("X-RateLimit-Scope") != "ip" || rec.Header().Get("Retry-After") != "300" {
		t.Fatalf("1,001st call from one IP: %d %v", rec.Code, rec.Header())
	}
	if rec := get(eleventh, "198.51.100.7"); rec.Code != 200 {
		t.Fatalf("the same token from another IP: %d", rec.Code)
	}
}

// TestRateLimitControlPlane: the limits can be read and replaced over
// HTTP, windows as Go durations.
func TestRateLimitControlPlane(t *testing.T) {
	sb := sandbox.NewTest(t, sandbox.Options{Seed: 4})
	get := call(t, "GET", sb.URL()+"/_sandbox/limits", nil, "")
	if get.Status != 200 || get.JSON["ip_user"] != float64(1000) || get.str("ip_window") != "5m0s" || get.str("window") != "1m0s" {
		t.Fatalf("GET limits: %d %s", get.Status, get.Raw)
	}
	put := call(t, "PUT", sb.URL()+"/_sandbox/limits", jsonH(""), `{"oauth": 2, "ip_oauth": -1, "window": "10m"}`)
	if put.Status != 200 || put.JSON["oauth"] != float64(2) || put.str("window") != "10m0s" {
		t.Fatalf("PUT limits: %d %s", put.Status, put.Raw)
	}
	app := sb.DefaultApp()
	auth := basic(app.ClientID, app.ClientSecret)
	for i, want := range []int{200, 200, 429} {
		r := call(t, "GET", sb.URL()+"/oauth2/scopes", formH(auth), "")
		if r.Status != want {
			t.Fatalf("call %d: %d", i+1, r.Status)
		}
		if want == 429 && r.Header.Get("Retry-After") != "600" {
			t.Fatalf("Retry-After in a 10-minute window: %v", r.Header)
		}
	}
	wantError(t, call(t, "PUT", sb.URL()+"/_sandbox/limits", jsonH(""), `{"window": "soon"}`), 400, "invalid_request")
	if sb.RateLimits().IPOAuth != -1 {
		t.Fatalf("a refused PUT changed the limits: %+v", sb.RateLimits())
	}
}

// TestAPIVersionHeader: every response, success or error, API or OAuth or
// page or control plane, carries X-API-Version in major.minor form.
func TestAPIVersionHeader(t *testing.T) {
	sb := sandbox.NewTest(t, sandbox.Options{Seed: 5})
	app := sb.DefaultApp()
	for _, c := range []struct{ method, path string }{
		{"GET", "/v1/partner/admin/app"}, {"GET", "/v1/partner/user/profile"}, {"POST", "/oauth2/token"},
		{"GET", "/oauth2/authorize?client_id=nope"}, {"GET", "/nowhere"}, {"GET", "/_sandbox/health"},
		{"GET", "/.well-known/openid-configuration"},
	} {
		r := call(t, c.method, sb.URL()+c.path, map[string]string{"X-API-Key": app.APIKey, "X-Client-ID": app.ClientID}, "")
		if got := r.Header.Get("X-API-Version"); got != "1.9" {
			t.Errorf("%s %s (%d): X-API-Version %q", c.method, c.path, r.Status, got)
		}
	}
	if _, err := sb.AddFault(sandbox.FaultRule{Path: "/v1/partner/user/meetings", Kind: sandbox.FaultStatus, Status: http.StatusServiceUnavailable}); err != nil {
		t.Fatal(err)
	}
	if r := call(t, "GET", sb.URL()+"/v1/partner/user/meetings", nil, ""); r.Status != 503 || r.Header.Get("X-API-Version") != "1.9" {
		t.Errorf("injected 503: %d X-API-Version %q", r.Status, r.Header.Get("X-API-Version"))
	}
}
