package sandbox_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

// TestFullJSONFlow walks the whole partner flow through the JSON endpoints,
// with the request shapes the official SDK sends.
func TestFullJSONFlow(t *testing.T) {
	sb := sandbox.NewTest(t, sandbox.Options{Seed: 7})
	app := sb.DefaultApp()
	base := sb.URL()
	auth := basic(app.ClientID, app.ClientSecret)
	const email = "ada@example.com"

	init := call(t, "POST", base+"/auth/initiate", jsonH(auth), jsonBody(t, map[string]any{"client_id": app.ClientID, "email": email}))
	if init.Status != 200 || init.str("challenge_name") != "CUSTOM_CHALLENGE" || init.str("session") == "" {
		t.Fatalf("initiate: %d %s", init.Status, init.Raw)
	}
	otp := sb.LastOTP(email)
	if len(otp) != 6 {
		t.Fatalf("no OTP in the inbox: %q", otp)
	}
	ver := call(t, "POST", base+"/auth/verify", jsonH(auth), jsonBody(t, map[string]any{
		"client_id": app.ClientID, "email": email, "code": otp, "session": init.str("session")}))
	if ver.Status != 200 || ver.JSON["success"] != true {
		t.Fatalf("verify: %d %s", ver.Status, ver.Raw)
	}
	// The SDK sends scope as a space-joined string.
	cc := call(t, "POST", base+"/oauth2/check-consent", jsonH(auth), jsonBody(t, map[string]any{
		"client_id": app.ClientID, "email": email, "scope": "openid profile meetings:read meetings:write"}))
	if cc.Status != 200 || cc.JSON["requires_consent"] != true || cc.JSON["session_valid"] != true {
		t.Fatalf("check-consent: %d %s", cc.Status, cc.Raw)
	}
	// The user grants only some of the requested scopes.
	code := authorize(t, sb, app, email, "openid profile meetings:read")
	tok := exchange(t, sb, app, code)
	if tok.Status != 200 {
		t.Fatalf("token: %d %s", tok.Status, tok.Raw)
	}
	at, rt := tok.str("access_token"), tok.str("refresh_token")
	if !strings.HasPrefix(at, "cto_at_v1_") || !strings.HasPrefix(rt, "cto_rt_v1_") || tok.JSON["expires_in"] != float64(86400) ||
		tok.str("scope") != "openid profile meetings:read" || tok.str("token_type") != "Bearer" || tok.str("id_token") == "" {
		t.Fatalf("token response: %s", tok.Raw)
	}
	if cc := tok.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("token response Cache-Control %q, want no-store", cc)
	}
	in := call(t, "POST", base+"/oauth2/introspect", formH(auth), form("token", at))
	if in.JSON["active"] != true || in.str("scope") != "openid profile meetings:read" || in.str("client_id") != app.ClientID ||
		in.str("username") != email || in.JSON["exp"] == nil || in.JSON["iat"] == nil || in.str("sub") == "" {
		t.Fatalf("introspect: %s", in.Raw)
	}
	if p := call(t, "GET", base+"/v1/partner/user/profile", bearerH(at), ""); p.Status != 200 || p.str("email") != email {
		t.Fatalf("profile: %d %s", p.Status, p.Raw)
	}
	denied := call(t, "GET", base+"/v1/partner/user/action-items", bearerH(at), "")
	wantError(t, denied, 403, "insufficient_scope")
	if denied.str("error") == "" {
		t.Errorf("user API error without the error field: %s", denied.Raw)
	}
	if h := denied.Header.Get("WWW-Authenticate"); h != `Bearer error="insufficient_scope", scope="action-items:read"` {
		t.Errorf("WWW-Authenticate = %q", h)
	}
	ref := call(t, "POST", base+"/oauth2/token", formH(auth), form("grant_type", "refresh_token", "refresh_token", rt))
	if ref.Status != 200 || ref.str("refresh_token") == rt || ref.str("access_token") == at {
		t.Fatalf("refresh did not rotate: %d %s", ref.Status, ref.Raw)
	}
	at2, rt2 := ref.str("access_token"), ref.str("refresh_token")
	if rv := call(t, "POST", base+"/oauth2/revoke", formH(auth), form("token", rt2, "token_type_hint", "refresh_token")); rv.Status != 200 {
		t.Fatalf("revoke: %d %s", rv.Status, rv.Raw)
	}
	for _, tok := range []string{rt2, at2} {
		gone := call(t, "POST", base+"/oauth2/introspect", formH(auth), form("token", tok))
		if gone.Status != 200 || strings.TrimSpace(gone.Raw) != `{"active":false}` {
			t.Fatalf("introspect after revoke = %d %s, want exactly {\"active\":false}", gone.Status, gone.Raw)
		}
	}
}

// TestLogKeepsSecretsOut: the sandbox log shows OTPs (that is its job) but
// never a client secret, API key, webhook secret or token, even when calls fail.
func TestLogKeepsSecretsOut(t *testing.T) {
	var log strings.Builder
	sb := sandbox.NewTest(t, sandbox.Options{Seed: 11, Log: &syncWriter{w: &log}})
	app := sb.DefaultApp()
	signIn(t, sb, app, "ada@example.com")
	tok := exchange(t, sb, app, authorize(t, sb, app, "ada@example.com", "profile"))
	call(t, "POST", sb.URL()+"/oauth2/token", formH(basic(app.ClientID, app.ClientSecret+"x")), form("grant_type", "client_credentials"))
	call(t, "GET", sb.URL()+"/v1/partner/admin/app", map[string]string{"X-API-Key": app.APIKey}, "")
	_, _ = sb.AddFault(sandbox.FaultRule{Kind: sandbox.FaultStatus, Status: 500, Times: 1})
	call(t, "GET", sb.URL()+"/v1/partner/user/profile", bearerH(tok.str("access_token")), "")
	out := log.String()
	if !strings.Contains(out, sb.LastOTP("ada@example.com")) {
		t.Fatalf("the OTP is not in the log:\n%s", out)
	}
	for name, secret := range map[string]string{"client secret": app.ClientSecret, "API key": app.APIKey, "webhook secret": app.WebhookSecret,
		"access token": tok.str("access_token"), "refresh token": tok.str("refresh_token")} {
		if strings.Contains(out, secret) {
			t.Errorf("the log shows the %s", name)
		}
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
