package sandbox_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

// Each test here makes one mistake the troubleshooting guide describes and
// checks that the sandbox answers as the guide says: status, code and a
// request_id.

func newSB(t *testing.T) (*sandbox.Sandbox, sandbox.App) {
	sb := sandbox.NewTest(t, sandbox.Options{Seed: 1, Limits: sandbox.Limits{Off: true}})
	return sb, sb.DefaultApp()
}

func TestGuideInvalidGrant(t *testing.T) {
	const email = "ada@example.com"
	t.Run("code expired after 5 minutes", func(t *testing.T) {
		sb, app := newSB(t)
		signIn(t, sb, app, email)
		code := authorize(t, sb, app, email, "profile")
		sb.Advance(4*time.Minute + 59*time.Second)
		if r := exchange(t, sb, app, code); r.Status != 200 {
			t.Fatalf("at 4:59 the code should still work: %d %s", r.Status, r.Raw)
		}
		code = authorize(t, sb, app, email, "profile")
		sb.Advance(5 * time.Minute)
		wantError(t, exchange(t, sb, app, code), 400, "invalid_grant")
	})
	t.Run("code already used, and its tokens revoked", func(t *testing.T) {
		sb, app := newSB(t)
		signIn(t, sb, app, email)
		code := authorize(t, sb, app, email, "profile")
		first := exchange(t, sb, app, code)
		if first.Status != 200 {
			t.Fatalf("first exchange: %s", first.Raw)
		}
		wantError(t, exchange(t, sb, app, code), 400, "invalid_grant")
		r := call(t, "GET", sb.URL()+"/v1/partner/user/profile", bearerH(first.str("access_token")), "")
		wantError(t, r, 401, "invalid_token")
		if !strings.Contains(r.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
			t.Errorf("WWW-Authenticate = %q", r.Header.Get("WWW-Authenticate"))
		}
	})
	t.Run("refresh token revoked", func(t *testing.T) {
		sb, app := newSB(t)
		tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile"}})
		sb.RevokeToken(tok.RefreshToken)
		wantError(t, refresh(t, sb, app, tok.RefreshToken), 400, "invalid_grant")
	})
	t.Run("refresh token expired", func(t *testing.T) {
		sb, app := newSB(t)
		tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile"}})
		sb.Advance(30 * 24 * time.Hour)
		wantError(t, refresh(t, sb, app, tok.RefreshToken), 400, "invalid_grant")
	})
	t.Run("rotated refresh token reused", func(t *testing.T) {
		sb, app := newSB(t)
		tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile"}})
		first := refresh(t, sb, app, tok.RefreshToken)
		if first.Status != 200 {
			t.Fatal(first.Raw)
		}
		wantError(t, refresh(t, sb, app, tok.RefreshToken), 400, "invalid_grant")
		// Reuse revokes the family, the newest refresh token too.
		wantError(t, refresh(t, sb, app, first.str("refresh_token")), 400, "invalid_grant")
	})
	t.Run("code issued to a different client", func(t *testing.T) {
		sb, app := newSB(t)
		other := sb.AddApp(sandbox.App{Name: "Other"})
		signIn(t, sb, app, email)
		code := authorize(t, sb, app, email, "profile")
		r := call(t, "POST", sb.URL()+"/oauth2/token", formH(basic(other.ClientID, other.ClientSecret)),
			form("grant_type", "authorization_code", "code", code, "redirect_uri", app.RedirectURIs[0]))
		wantError(t, r, 400, "invalid_grant")
	})
}

func TestGuideInvalidRequestRedirectMismatch(t *testing.T) {
	sb, app := newSB(t)
	signIn(t, sb, app, "ada@example.com")
	code := authorize(t, sb, app, "ada@example.com", "profile")
	r := call(t, "POST", sb.URL()+"/oauth2/token", formH(basic(app.ClientID, app.ClientSecret)),
		form("grant_type", "authorization_code", "code", code, "redirect_uri", app.RedirectURIs[0]+"/"))
	wantError(t, r, 400, "invalid_request")

	// In the authorization request the mismatch ends on an error page: never redirected.
	q := "/oauth2/authorize?" + form("client_id", app.ClientID, "redirect_uri", "http://localhost:3000/callback/", "response_type", "code", "scope", "profile")
	page := call(t, "GET", sb.URL()+q, map[string]string{"Accept": "text/html"}, "")
	if page.Status != 400 || page.Header.Get("Location") != "" || !strings.Contains(page.Raw, "invalid_request") ||
		!strings.Contains(page.Raw, "req_") || !strings.Contains(page.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("authorize with an unregistered redirect_uri: %d Location=%q %s", page.Status, page.Header.Get("Location"), page.Raw)
	}
	wantError(t, call(t, "GET", sb.URL()+q, map[string]string{"Accept": "application/json"}, ""), 400, "invalid_request")
}

func TestGuideSessionExpired(t *testing.T) {
	sb, app := newSB(t)
	signIn(t, sb, app, "ada@example.com")
	sb.Advance(29 * time.Minute)
	body := jsonBody(t, map[string]any{"client_id": app.ClientID, "email": "ada@example.com", "scope": "profile"})
	if r := call(t, "POST", sb.URL()+"/oauth2/check-consent", jsonH(basic(app.ClientID, app.ClientSecret)), body); r.Status != 200 {
		t.Fatalf("at 29 minutes the session should hold: %s", r.Raw)
	}
	sb.Advance(time.Minute)
	wantError(t, call(t, "POST", sb.URL()+"/oauth2/check-consent", jsonH(basic(app.ClientID, app.ClientSecret)), body), 401, "session_expired")
	consent := jsonBody(t, map[string]any{"client_id": app.ClientID, "email": "ada@example.com", "redirect_uri": app.RedirectURIs[0],
		"response_type": "code", "scope": "profile", "consent": true})
	wantError(t, call(t, "POST", sb.URL()+"/oauth2/authorize", jsonH(""), consent), 401, "session_expired")
}

func TestGuideInvalidCode(t *testing.T) {
	const email = "grace@example.com"
	start := func(t *testing.T) (*sandbox.Sandbox, sandbox.App, string) {
		sb, app := newSB(t)
		r := call(t, "POST", sb.URL()+"/auth/initiate", jsonH(basic(app.ClientID, app.ClientSecret)),
			jsonBody(t, map[string]any{"client_id": app.ClientID, "email": email}))
		return sb, app, r.str("session")
	}
	verify := func(t *testing.T, sb *sandbox.Sandbox, app sandbox.App, session, code string) reply {
		return call(t, "POST", sb.URL()+"/auth/verify", jsonH(basic(app.ClientID, app.ClientSecret)),
			jsonBody(t, map[string]any{"client_id": app.ClientID, "email": email, "code": code, "session": session}))
	}
	t.Run("wrong code", func(t *testing.T) {
		sb, app, session := start(t)
		wrong := "000000"
		if sb.LastOTP(email) == wrong {
			wrong = "111111"
		}
		wantError(t, verify(t, sb, app, session, wrong), 400, "invalid_code")
	})
	t.Run("expired after 3 minutes", func(t *testing.T) {
		sb, app, session := start(t)
		sb.Advance(3 * time.Minute)
		wantError(t, verify(t, sb, app, session, sb.LastOTP(email)), 400, "invalid_code")
	})
	t.Run("already used", func(t *testing.T) {
		sb, app, session := start(t)
		if r := verify(t, sb, app, session, sb.LastOTP(email)); r.Status != 200 {
			t.Fatal(r.Raw)
		}
		wantError(t, verify(t, sb, app, session, sb.LastOTP(email)), 400, "invalid_code")
	})
}

func TestGuideInvalidClient(t *testing.T) {
	t.Run("wrong secret", func(t *testing.T) {
		sb, app := newSB(t)
		r := call(t, "POST", sb.URL()+"/oauth2/token", formH(basic(app.ClientID, app.ClientSecret+"x")), form("grant_type", "client_credentials"))
		wantError(t, r, 401, "invalid_client")
		if r.Header.Get("WWW-Authenticate") == "" {
			t.Error("401 after Basic credentials without WWW-Authenticate")
		}
	})
	t.Run("trailing newline from echo without -n", func(t *testing.T) {
		sb, app := newSB(t)
		r := call(t, "POST", sb.URL()+"/oauth2/token", formH(basic(app.ClientID, app.ClientSecret+"\n")), form("grant_type", "client_credentials"))
		wantError(t, r, 401, "invalid_client")
	})
	t.Run("deactivated app", func(t *testing.T) {
		sb, app := newSB(t)
		tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile"}})
		if err := sb.SetAppActive(app.ClientID, false); err != nil {
			t.Fatal(err)
		}
		wantError(t, call(t, "POST", sb.URL()+"/oauth2/token", formH(basic(app.ClientID, app.ClientSecret)), form("grant_type", "client_credentials")), 401, "invalid_client")
		wantError(t, call(t, "GET", sb.URL()+"/v1/partner/user/profile", bearerH(tok.AccessToken), ""), 401, "invalid_client")
		wantError(t, call(t, "POST", sb.URL()+"/auth/initiate", jsonH(""), jsonBody(t, map[string]any{"client_id": app.ClientID, "email": "a@example.com"})), 401, "invalid_client")
	})
}

func TestGuideInsufficientScope(t *testing.T) {
	sb, _ := newSB(t)
	// A token whose consent step was skipped has no scopes at all.
	tok, _ := sb.IssueTokens(sandbox.TokenSpec{})
	r := call(t, "GET", sb.URL()+"/v1/partner/user/meetings", bearerH(tok.AccessToken), "")
	wantError(t, r, 403, "insufficient_scope")
	if h := r.Header.Get("WWW-Authenticate"); h != `Bearer error="insufficient_scope", scope="meetings:read"` {
		t.Errorf("WWW-Authenticate = %q", h)
	}
}

func TestGuideMethodNotAllowed(t *testing.T) {
	sb, _ := newSB(t)
	for _, p := range []string{"/oauth2/token", "/auth/initiate", "/auth/verify"} {
		r := call(t, "GET", sb.URL()+p, formH(""), "")
		wantError(t, r, 405, "method_not_allowed")
		if r.Header.Get("Allow") != "POST" {
			t.Errorf("GET %s: Allow = %q, want POST", p, r.Header.Get("Allow"))
		}
	}
	wantError(t, call(t, "DELETE", sb.URL()+"/v1/partner/user/profile", nil, ""), 405, "method_not_allowed")
	wantError(t, call(t, "GET", sb.URL()+"/v1/partner/user/no-such-thing", nil, ""), 404, "not_found")
}

func TestGuideAuthMethodConfusion(t *testing.T) {
	sb, app := newSB(t)
	tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile", "meetings:read"}})
	t.Run("Bearer on the token endpoint", func(t *testing.T) {
		r := call(t, "POST", sb.URL()+"/oauth2/token", formH("Bearer "+tok.AccessToken), form("grant_type", "authorization_code", "code", "abc"))
		wantError(t, r, 401, "invalid_client")
	})
	t.Run("API key on a user endpoint", func(t *testing.T) {
		r := call(t, "GET", sb.URL()+"/v1/partner/user/meetings", map[string]string{"X-API-Key": app.APIKey, "X-Client-ID": app.ClientID}, "")
		wantError(t, r, 401, "unauthorized")
		if r.str("error") == "" {
			t.Errorf("user API error without the error field: %s", r.Raw)
		}
	})
	t.Run("Bearer on an admin endpoint", func(t *testing.T) {
		wantError(t, call(t, "GET", sb.URL()+"/v1/partner/admin/app", bearerH(tok.AccessToken), ""), 401, "unauthorized")
	})
	t.Run("missing X-Client-ID", func(t *testing.T) {
		wantError(t, call(t, "GET", sb.URL()+"/v1/partner/admin/app", map[string]string{"X-API-Key": app.APIKey}, ""), 401, "missing_client_id")
	})
}

func TestGuideRateLimitExceeded(t *testing.T) {
	sb := sandbox.NewTest(t, sandbox.Options{Seed: 1})
	app := sb.DefaultApp()
	auth := basic(app.ClientID, app.ClientSecret)
	var last reply
	for i := 1; i <= 21; i++ {
		last = call(t, "GET", sb.URL()+"/oauth2/scopes", formH(auth), "")
		if i <= 20 && last.Status != 200 {
			t.Fatalf("request %d of 20 refused: %s", i, last.Raw)
		}
	}
	wantError(t, last, http.StatusTooManyRequests, "rate_limit_exceeded")
	reset := sandbox.TestEpoch.Add(time.Minute).Unix()
	if last.Header.Get("Retry-After") != "60" || last.Header.Get("X-RateLimit-Limit") != "20" ||
		last.Header.Get("X-RateLimit-Remaining") != "0" || last.Header.Get("X-RateLimit-Reset") != itoa(reset) {
		t.Fatalf("429 headers: %v", last.Header)
	}
	// Another client has its own budget; the limited one recovers after the window.
	other := sb.AddApp(sandbox.App{})
	if r := call(t, "GET", sb.URL()+"/oauth2/scopes", formH(basic(other.ClientID, other.ClientSecret)), ""); r.Status != 200 || r.Header.Get("X-RateLimit-Remaining") != "19" {
		t.Fatalf("other client: %d %v", r.Status, r.Header)
	}
	sb.Advance(time.Minute)
	if r := call(t, "GET", sb.URL()+"/oauth2/scopes", formH(auth), ""); r.Status != 200 {
		t.Fatalf("after the window: %s", r.Raw)
	}
}

func TestRateLimitsPerClass(t *testing.T) {
	sb := sandbox.NewTest(t, sandbox.Options{Limits: sandbox.Limits{User: 2, Admin: 1}})
	app := sb.DefaultApp()
	tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile"}})
	for i, want := range []int{200, 200, 429} {
		r := call(t, "GET", sb.URL()+"/v1/partner/user/profile", bearerH(tok.AccessToken), "")
		if r.Status != want || r.Header.Get("X-RateLimit-Limit") != "2" {
			t.Fatalf("user call %d: %d %v", i, r.Status, r.Header)
		}
		if want == 429 {
			wantError(t, r, 429, "rate_limit_exceeded")
		}
	}
	admin := map[string]string{"X-API-Key": app.APIKey, "X-Client-ID": app.ClientID}
	if r := call(t, "GET", sb.URL()+"/v1/partner/admin/app", admin, ""); r.Status != 200 {
		t.Fatal(r.Raw)
	}
	wantError(t, call(t, "GET", sb.URL()+"/v1/partner/admin/app", admin, ""), 429, "rate_limit_exceeded")
	sb.SetLimits(sandbox.Limits{Off: true})
	if r := call(t, "GET", sb.URL()+"/v1/partner/admin/app", admin, ""); r.Status != 200 || r.Header.Get("X-RateLimit-Limit") != "" {
		t.Fatalf("limits off: %d %v", r.Status, r.Header)
	}
}
