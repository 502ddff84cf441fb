package sandbox_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

// TestConcurrentCodeRedemption: of many simultaneous exchanges of one
// code, exactly one gets tokens (fosite#778 is the bug this guards against).
func TestConcurrentCodeRedemption(t *testing.T) {
	sb, app := newSB(t)
	signIn(t, sb, app, "ada@example.com")
	for round := 0; round < 5; round++ {
		code := authorize(t, sb, app, "ada@example.com", "profile")
		const n = 16
		count := atOnce(n, func() int { return exchange(t, sb, app, code).Status })
		won := count[200]
		if other := n - count[200] - count[400]; other != 0 {
			t.Errorf("round %d: %d answers neither 200 nor 400: %v", round, other, count)
		}
		if won != 1 {
			t.Fatalf("round %d: %d of %d concurrent redemptions succeeded, want exactly 1", round, won, n)
		}
	}
}

// TestSDKRequestShapes replays what @contio/partner-sdk 1.9.0 puts on the
// wire (facts sheet §2a): Basic credentials that are not URL-encoded, JSON
// for initiate/verify/check-consent, forms for token/introspect/revoke and
// a form Content-Type even on GETs.
func TestSDKRequestShapes(t *testing.T) {
	sb, _ := newSB(t)
	// A secret with the characters RFC 6749 says to form-encode.
	app := sb.AddApp(sandbox.App{ClientID: "partner-app.1", ClientSecret: "s3cr%t:with space+plus"})
	sdkAuth := basic(app.ClientID, app.ClientSecret)
	rfcAuth := basic(url.QueryEscape(app.ClientID), url.QueryEscape(app.ClientSecret))
	for name, auth := range map[string]string{"sdk raw": sdkAuth, "RFC 6749 encoded": rfcAuth} {
		r := call(t, "GET", sb.URL()+"/oauth2/scopes", formH(auth), "")
		if r.Status != 200 || len(r.JSON["scopes"].([]any)) == 0 {
			t.Fatalf("%s Basic on /oauth2/scopes: %d %s", name, r.Status, r.Raw)
		}
	}
	// Credentials in the form body, as the spec documents.
	r := call(t, "POST", sb.URL()+"/oauth2/token", formH(""), form("grant_type", "client_credentials", "client_id", app.ClientID,
		"client_secret", app.ClientSecret, "scope", "profile"))
	if r.Status != 200 || r.str("scope") != "profile" || r.str("refresh_token") != "" {
		t.Fatalf("client_credentials with form credentials: %d %s", r.Status, r.Raw)
	}
	signIn(t, sb, app, "ada@example.com")
	// The spec's array form of check-consent.
	cc := call(t, "POST", sb.URL()+"/oauth2/check-consent", jsonH(sdkAuth), jsonBody(t, map[string]any{
		"client_id": app.ClientID, "email": "ada@example.com", "scopes": []string{"profile", "meetings:read"}}))
	if cc.Status != 200 || cc.JSON["has_consent"] != false {
		t.Fatalf("check-consent with scopes[]: %d %s", cc.Status, cc.Raw)
	}
	code := authorize(t, sb, app, "ada@example.com", "openid profile")
	tok := exchange(t, sb, app, code)
	if tok.Status != 200 {
		t.Fatal(tok.Raw)
	}
	ui := call(t, "GET", sb.URL()+"/oauth2/userInfo", map[string]string{"Authorization": "Bearer " + tok.str("access_token"),
		"Content-Type": "application/x-www-form-urlencoded"}, "")
	if ui.Status != 200 || ui.str("email") != "ada@example.com" || ui.JSON["email_verified"] != true {
		t.Fatalf("userInfo: %d %s", ui.Status, ui.Raw)
	}
	// After consent, check-consent reports it.
	cc = call(t, "POST", sb.URL()+"/oauth2/check-consent", jsonH(sdkAuth), jsonBody(t, map[string]any{
		"client_id": app.ClientID, "email": "ada@example.com", "scope": "openid profile"}))
	if cc.JSON["has_consent"] != true {
		t.Fatalf("check-consent after consent: %s", cc.Raw)
	}
	if info := call(t, "GET", sb.URL()+"/v1/partner/info/"+url.PathEscape(app.ClientID)+"/public", formH(""), ""); info.Status != 200 || info.str("client_id") != app.ClientID {
		t.Fatalf("partner info: %d %s", info.Status, info.Raw)
	}
	wantError(t, call(t, "GET", sb.URL()+"/v1/partner/info/nope/public", nil, ""), 404, "not_found")
}

func TestAuthorizeRequestValidation(t *testing.T) {
	sb, app := newSB(t)
	get := func(kv ...string) reply {
		return call(t, "GET", sb.URL()+"/oauth2/authorize?"+form(kv...), map[string]string{"Accept": "text/html"}, "")
	}
	if r := get("client_id", "unknown", "redirect_uri", app.RedirectURIs[0], "response_type", "code"); r.Status != 401 || r.Header.Get("Location") != "" || !strings.Contains(r.Raw, "invalid_client") {
		t.Fatalf("unknown client: %d %s", r.Status, r.Raw)
	}
	// With a trusted redirect URI, other errors go back to the app with the state.
	r := get("client_id", app.ClientID, "redirect_uri", app.RedirectURIs[0], "response_type", "code", "scope", "profile nonsense:scope", "state", "s1")
	loc, _ := url.Parse(r.Header.Get("Location"))
	if r.Status != 302 || loc.Query().Get("error") != "invalid_scope" || loc.Query().Get("state") != "s1" {
		t.Fatalf("unknown scope: %d %v", r.Status, r.Header)
	}
	narrow := sb.AddApp(sandbox.App{Scopes: []string{"openid", "profile"}})
	r = get("client_id", narrow.ClientID, "redirect_uri", narrow.RedirectURIs[0], "response_type", "code", "scope", "meetings:read")
	if loc, _ := url.Parse(r.Header.Get("Location")); loc == nil || loc.Query().Get("error") != "invalid_scope" {
		t.Fatalf("unapproved scope: %d %v", r.Status, r.Header)
	}
	r = get("client_id", app.ClientID, "redirect_uri", app.RedirectURIs[0], "response_type", "token")
	if loc, _ := url.Parse(r.Header.Get("Location")); loc == nil || loc.Query().Get("error") != "unsupported_response_type" {
		t.Fatalf("response_type=token: %d %v", r.Status, r.Header)
	}
	r = get("client_id", app.ClientID, "redirect_uri", app.RedirectURIs[0], "response_type", "code", "scope", "profile")
	loc, _ = url.Parse(r.Header.Get("Location"))
	if r.Status != 302 || loc == nil || loc.Path != sandbox.SignInPath || loc.Query().Get("client_id") != app.ClientID {
		t.Fatalf("valid request should redirect to the sign-in page: %d %v", r.Status, r.Header)
	}
	if page := call(t, "GET", loc.String(), map[string]string{"Accept": "text/html"}, ""); page.Status != 200 || !strings.Contains(page.Raw, `lang="en"`) {
		t.Fatalf("sign-in page: %d", page.Status)
	}
}

// TestPKCE: Contio accepts PKCE only as S256. plain, a challenge without
// a method and a method without a challenge are refused at the authorize
// endpoint (back to the redirect URI, with the state) and at the consent
// endpoint; the verifier is checked when the code is exchanged.
func TestPKCE(t *testing.T) {
	sb, app := newSB(t)
	signIn(t, sb, app, "ada@example.com")
	verifier := "a-long-random-verifier-string-of-at-least-43-characters-xyz"
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])
	consent := func(challenge, method string) reply {
		return call(t, "POST", sb.URL()+"/oauth2/authorize", jsonH(""), jsonBody(t, map[string]any{
			"client_id": app.ClientID, "email": "ada@example.com", "redirect_uri": app.RedirectURIs[0], "response_type": "code",
			"scope": "profile", "consent": true, "code_challenge": challenge, "code_challenge_method": method}))
	}
	code := func() string {
		t.Helper()
		r := consent(challenge, "S256")
		if r.Status != 200 || r.str("code") == "" {
			t.Fatalf("S256 consent: %d %s", r.Status, r.Raw)
		}
		return r.str("code")
	}
	redeem := func(code, v string) reply {
		return call(t, "POST", sb.URL()+"/oauth2/token", formH(""), form("grant_type", "authorization_code", "code", code,
			"redirect_uri", app.RedirectURIs[0], "client_id", app.ClientID, "code_verifier", v))
	}
	authorizeGet := func(kv ...string) reply {
		base := []string{"client_id", app.ClientID, "redirect_uri", app.RedirectURIs[0], "response_type", "code", "scope", "profile", "state", "pk1"}
		return call(t, "GET", sb.URL()+"/oauth2/authorize?"+form(append(base, kv...)...), map[string]string{"Accept": "text/html"}, "")
	}

	refused := []struct {
		name, challenge, method, want string
	}{
		{"plain", verifier, "plain", "only S256"},
		{"challenge without a method", challenge, "", "code_challenge_method is missing"},
		{"method without a challenge", "", "S256", "code_challenge is missing"},
		{"S256 method with a plain-looking challenge", "short", "S256", "43 characters"},
		{"lower-case s256", challenge, "s256", "only S256"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			r := consent(tc.challenge, tc.method)
			wantError(t, r, 400, "invalid_request")
			if !strings.Contains(r.str("message"), tc.want) {
				t.Errorf("consent message %q lacks %q", r.str("message"), tc.want)
			}
			var kv []string
			if tc.challenge != "" {
				kv = append(kv, "code_challenge", tc.challenge)
			}
			if tc.method != "" {
				kv = append(kv, "code_challenge_method", tc.method)
			}
			g := authorizeGet(kv...)
			loc, _ := url.Parse(g.Header.Get("Location"))
			if g.Status != 302 || loc == nil || !strings.HasPrefix(loc.String(), app.RedirectURIs[0]+"?") ||
				loc.Query().Get("error") != "invalid_request" || loc.Query().Get("state") != "pk1" {
				t.Errorf("authorize with %s: %d Location %q", tc.name, g.Status, g.Header.Get("Location"))
			}
		})
	}
	if g := authorizeGet("code_challenge", challenge, "code_challenge_method", "S256"); g.Status != 302 || strings.Contains(g.Header.Get("Location"), "error=") {
		t.Fatalf("S256 authorize should go on to sign-in: %d %q", g.Status, g.Header.Get("Location"))
	}

	// A confidential client that started PKCE must finish it.
	wantError(t, call(t, "POST", sb.URL()+"/oauth2/token", formH(basic(app.ClientID, app.ClientSecret)), form("grant_type", "authorization_code",
		"code", code(), "redirect_uri", app.RedirectURIs[0])), 400, "invalid_grant")
	wantError(t, redeem(code(), "wrong-verifier"), 400, "invalid_grant")
	wantError(t, redeem(code(), strings.Repeat("b", 43)), 400, "invalid_grant")
	wantError(t, redeem(code(), challenge), 400, "invalid_grant") // the challenge itself, as plain would accept
	if r := redeem(code(), verifier); r.Status != 200 {
		t.Fatalf("public client with the right verifier: %d %s", r.Status, r.Raw)
	}
	// A verifier for a code issued without a challenge is refused, too.
	plainCode := authorize(t, sb, app, "ada@example.com", "profile")
	r := call(t, "POST", sb.URL()+"/oauth2/token", formH(basic(app.ClientID, app.ClientSecret)), form("grant_type", "authorization_code",
		"code", plainCode, "redirect_uri", app.RedirectURIs[0], "code_verifier", verifier))
	wantError(t, r, 400, "invalid_grant")
}

func TestDiscoveryAndIDToken(t *testing.T) {
	sb, app := newSB(t)
	for _, p := range []string{"/.well-known/openid_configuration", "/.well-known/openid-configuration"} {
		d := call(t, "GET", sb.URL()+p, nil, "")
		if d.Status != 200 || d.str("issuer") != sb.URL() || d.str("token_endpoint") != sb.URL()+"/oauth2/token" ||
			d.str("userinfo_endpoint") != sb.URL()+"/oauth2/userInfo" {
			t.Fatalf("%s: %s", p, d.Raw)
		}
	}
	jwks := call(t, "GET", sb.URL()+"/.well-known/jwks.json", nil, "")
	keys, _ := jwks.JSON["keys"].([]any)
	if len(keys) != 1 {
		t.Fatalf("jwks: %s", jwks.Raw)
	}
	key := keys[0].(map[string]any)
	if _, private := key["d"]; private {
		t.Fatal("the JWKS publishes the private key")
	}
	signIn(t, sb, app, "ada@example.com")
	tok := exchange(t, sb, app, authorize(t, sb, app, "ada@example.com", "openid profile"))
	claims, err := sandbox.VerifyIDToken(tok.str("id_token"), key)
	if err != nil {
		t.Fatal(err)
	}
	if claims["iss"] != sb.URL() || claims["aud"] != app.ClientID || claims["email"] != "ada@example.com" {
		t.Fatalf("claims: %v", claims)
	}
	// Without openid there is no ID token.
	if tok := exchange(t, sb, app, authorize(t, sb, app, "ada@example.com", "profile")); tok.str("id_token") != "" {
		t.Fatal("ID token without the openid scope")
	}
}

func TestIntrospectAndRevokeEdges(t *testing.T) {
	sb, app := newSB(t)
	auth := basic(app.ClientID, app.ClientSecret)
	for _, tok := range []string{"cto_at_v1_unknown", ""} {
		r := call(t, "POST", sb.URL()+"/oauth2/introspect", formH(auth), form("token", tok))
		if tok == "" {
			wantError(t, r, 400, "invalid_request")
			continue
		}
		if strings.TrimSpace(r.Raw) != `{"active":false}` {
			t.Fatalf("unknown token: %s", r.Raw)
		}
	}
	expired, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile"}, Expired: true})
	if r := call(t, "POST", sb.URL()+"/oauth2/introspect", formH(auth), form("token", expired.AccessToken)); strings.TrimSpace(r.Raw) != `{"active":false}` {
		t.Fatalf("expired token: %s", r.Raw)
	}
	wantError(t, call(t, "POST", sb.URL()+"/oauth2/introspect", formH(""), form("token", "x")), 401, "invalid_client")
	if r := call(t, "POST", sb.URL()+"/oauth2/revoke", formH(auth), form("token", "cto_rt_v1_never_issued")); r.Status != 200 {
		t.Fatalf("revoking an unknown token: %d %s", r.Status, r.Raw)
	}
	wantError(t, call(t, "POST", sb.URL()+"/oauth2/token", formH(auth), form("grant_type", "password")), 400, "unsupported_grant_type")
	wantError(t, call(t, "POST", sb.URL()+"/oauth2/token", formH(auth), form()), 400, "invalid_request")
}

// TestConcurrentRefresh: of many simultaneous refreshes with one refresh
// token, exactly one rotates it; the losers see a reused token.
func TestConcurrentRefresh(t *testing.T) {
	sb, app := newSB(t)
	tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile"}})
	const n = 12
	won := atOnce(n, func() int { return refresh(t, sb, app, tok.RefreshToken).Status })[200]
	if won != 1 {
		t.Fatalf("%d of %d concurrent refreshes succeeded, want exactly 1", won, n)
	}
}

// TestConcurrentAccess hammers every kind of route at once; run with -race.
func TestConcurrentAccess(t *testing.T) {
	sb, app := newSB(t)
	tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile", "meetings:read", "meetings:write", "action-items:read"}})
	auth := basic(app.ClientID, app.ClientSecret)
	admin := map[string]string{"X-API-Key": app.APIKey, "X-Client-ID": app.ClientID}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				call(t, "GET", sb.URL()+"/v1/partner/user/meetings?limit=100", bearerH(tok.AccessToken), "")
				call(t, "POST", sb.URL()+"/v1/partner/user/meetings", bearerH(tok.AccessToken), `{"title":"load"}`)
				call(t, "POST", sb.URL()+"/oauth2/introspect", formH(auth), form("token", tok.AccessToken))
				call(t, "POST", sb.URL()+"/auth/initiate", jsonH(auth), `{"client_id":"`+app.ClientID+`","email":"load@example.com"}`)
				call(t, "GET", sb.URL()+"/v1/partner/admin/connections", admin, "")
				call(t, "GET", sb.URL()+"/_sandbox/requests", nil, "")
				sb.Advance(time.Second)
			}
		}()
	}
	wg.Wait()
	if r := call(t, "GET", sb.URL()+"/v1/partner/user/meetings", bearerH(tok.AccessToken), ""); r.JSON["total"] != float64(83) {
		t.Fatalf("after 80 concurrent creates: total %v, want 83", r.JSON["total"])
	}
}

// TestLoopbackRedirectURIsMatchExactly: no port flexibility on loopback.
// A port-less registered 127.0.0.1 or [::1] URI does not match the same
// URI with a port, nor the other way round, on authorize and at the
// consent endpoint alike.
func TestLoopbackRedirectURIsMatchExactly(t *testing.T) {
	sb, _ := newSB(t)
	app := sb.AddApp(sandbox.App{RedirectURIs: []string{"http://127.0.0.1/callback", "http://[::1]:8400/callback"}})
	signIn(t, sb, app, "ada@example.com")
	for _, ru := range []string{"http://127.0.0.1:8765/callback", "http://[::1]/callback", "http://[::1]:8401/callback", "http://localhost/callback"} {
		r := call(t, "GET", sb.URL()+"/oauth2/authorize?"+form("client_id", app.ClientID, "redirect_uri", ru, "response_type", "code", "scope", "profile"),
			map[string]string{"Accept": "application/json"}, "")
		wantError(t, r, 400, "invalid_request")
		if r.Header.Get("Location") != "" {
			t.Errorf("%s: redirected to %s", ru, r.Header.Get("Location"))
		}
		c := call(t, "POST", sb.URL()+"/oauth2/authorize", jsonH(""), jsonBody(t, map[string]any{"client_id": app.ClientID, "email": "ada@example.com",
			"redirect_uri": ru, "response_type": "code", "scope": "profile", "consent": true}))
		wantError(t, c, 400, "invalid_request")
	}
	for _, ru := range app.RedirectURIs {
		r := call(t, "GET", sb.URL()+"/oauth2/authorize?"+form("client_id", app.ClientID, "redirect_uri", ru, "response_type", "code", "scope", "profile"), nil, "")
		if r.Status != 302 || strings.Contains(r.Header.Get("Location"), "error=") {
			t.Errorf("registered %s: %d %q", ru, r.Status, r.Header.Get("Location"))
		}
	}
}
