package sandbox

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// requestValues reads the parameters of an OAuth request from a form body,
// a JSON body (the SDK sends JSON to initiate, verify and check-consent)
// or, for GETs, the query. A JSON array value becomes repeated values.
func requestValues(r *http.Request) (url.Values, *apiError) {
	vals := url.Values{}
	for k, vs := range r.URL.Query() {
		vals[k] = vs
	}
	body := stateOf(r).body
	if len(body) == 0 || r.Method == http.MethodGet {
		return vals, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" || (ct == "" && json.Valid(body)) {
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, newErr(http.StatusBadRequest, CodeInvalidRequest, "the body is not valid JSON: "+err.Error())
		}
		for k, v := range m {
			switch v := v.(type) {
			case string:
				vals.Set(k, v)
			case bool:
				vals.Set(k, map[bool]string{true: "true", false: "false"}[v])
			case float64:
				b, _ := json.Marshal(v)
				vals.Set(k, string(b))
			case []any:
				for _, x := range v {
					if s, ok := x.(string); ok {
						vals.Add(k, s)
					}
				}
			}
		}
		return vals, nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, newErr(http.StatusBadRequest, CodeInvalidRequest, "the form body does not parse: "+err.Error())
	}
	for k, vs := range form {
		vals[k] = vs
	}
	return vals, nil
}

// basicCredentials decodes an Authorization: Basic header. It returns every
// reading of the pair the API accepts: RFC 6749 §2.3.1 form-decoded, and
// the raw bytes the official SDK sends without encoding.
func basicCredentials(header string) (pairs [][2]string, ok bool, e *apiError) {
	enc, isBasic := strings.CutPrefix(header, "Basic ")
	if !isBasic {
		return nil, false, nil
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return nil, true, newErr(http.StatusUnauthorized, CodeInvalidClient,
			"the Basic credentials are not valid base64 (stray whitespace or a newline?)").with("WWW-Authenticate", `Basic realm="contio"`)
	}
	id, secret, found := strings.Cut(string(raw), ":")
	if !found {
		return nil, true, newErr(http.StatusUnauthorized, CodeInvalidClient,
			"the Basic credentials have no colon between client_id and client_secret").with("WWW-Authenticate", `Basic realm="contio"`)
	}
	pairs = append(pairs, [2]string{id, secret})
	uid, err1 := url.QueryUnescape(id)
	usec, err2 := url.QueryUnescape(secret)
	if err1 == nil && err2 == nil && (uid != id || usec != secret) {
		pairs = append(pairs, [2]string{uid, usec})
	}
	return pairs, true, nil
}

// authenticateClient identifies the calling app from Basic credentials or
// client_id/client_secret parameters. With required false, a request that
// carries no credentials at all returns (nil, nil).
func (s *Sandbox) authenticateClient(r *http.Request, vals url.Values, required bool) (*App, *apiError) {
	authz := r.Header.Get("Authorization")
	if strings.HasPrefix(authz, "Bearer ") {
		return nil, newErr(http.StatusUnauthorized, CodeInvalidClient,
			"this endpoint authenticates the client with HTTP Basic (client_id:client_secret), not a Bearer token")
	}
	pairs, isBasic, e := basicCredentials(authz)
	if e != nil {
		return nil, e
	}
	if !isBasic {
		if vals.Get("client_secret") == "" {
			if required {
				return nil, newErr(http.StatusUnauthorized, CodeInvalidClient,
					"no client credentials: send Authorization: Basic base64(client_id:client_secret)").with("WWW-Authenticate", `Basic realm="contio"`)
			}
			return nil, nil
		}
		pairs = [][2]string{{vals.Get("client_id"), vals.Get("client_secret")}}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range pairs {
		app, ok := s.st.apps[p[0]]
		if !ok || !s.credentialMatchesLocked(app, credClientSecret, p[1]) {
			continue
		}
		if app.Deactivated {
			return nil, newErr(http.StatusUnauthorized, CodeInvalidClient, "the partner app is deactivated")
		}
		if id := vals.Get("client_id"); id != "" && id != app.ClientID {
			return nil, newErr(http.StatusBadRequest, CodeInvalidRequest, "client_id in the body differs from the authenticated client")
		}
		c := cloneApp(app)
		return &c, nil
	}
	e = newErr(http.StatusUnauthorized, CodeInvalidClient, "client authentication failed: unknown client_id or wrong client_secret")
	if isBasic {
		e = e.with("WWW-Authenticate", `Basic realm="contio"`)
	}
	return nil, e
}

// activeApp looks up an app by client_id for endpoints that name the
// client without authenticating it.
func (s *Sandbox) activeApp(clientID string) (*App, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	app, ok := s.st.apps[clientID]
	if !ok {
		return nil, newErr(http.StatusUnauthorized, CodeInvalidClient, "unknown client_id")
	}
	if app.Deactivated {
		return nil, newErr(http.StatusUnauthorized, CodeInvalidClient, "the partner app is deactivated")
	}
	c := cloneApp(app)
	return &c, nil
}

func (s *Sandbox) issuer(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Sandbox) handleToken(w http.ResponseWriter, r *http.Request) *apiError {
	vals, e := requestValues(r)
	if e != nil {
		return e
	}
	app, e := s.authenticateClient(r, vals, false)
	if e != nil {
		return e
	}
	grant := vals.Get("grant_type")
	if app == nil && !(grant == "authorization_code" && vals.Get("code_verifier") != "" && vals.Get("client_id") != "") {
		return newErr(http.StatusUnauthorized, CodeInvalidClient,
			"no client credentials: send Authorization: Basic base64(client_id:client_secret)").with("WWW-Authenticate", `Basic realm="contio"`)
	}
	if app == nil {
		if app, e = s.activeApp(vals.Get("client_id")); e != nil {
			return e
		}
		app.ClientSecret = "" // public client: PKCE is its only proof
	}
	var tok Tokens
	switch grant {
	case "":
		return newErr(http.StatusBadRequest, CodeInvalidRequest, "grant_type is missing")
	case "authorization_code":
		tok, e = s.redeemCode(r, app, vals)
	case "refresh_token":
		tok, e = s.refresh(r, app, vals)
	case "client_credentials":
		tok, e = s.clientCredentials(r, app, vals)
	default:
		return newErr(http.StatusBadRequest, CodeUnsupportedGrant, "grant_type "+grant+" is not supported")
	}
	if e != nil {
		return e
	}
	markWrite(r)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, tok)
	return nil
}

// redeemCode exchanges an authorization code. The check and the
// consumption happen under one lock: of two concurrent redemptions exactly
// one wins.
func (s *Sandbox) redeemCode(r *http.Request, app *App, vals url.Values) (Tokens, *apiError) {
	code := vals.Get("code")
	if code == "" {
		return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidRequest, "code is missing")
	}
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.st.codes[code]
	switch {
	case !ok:
		return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidGrant, "the authorization code is unknown")
	case c.clientID != app.ClientID:
		return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidGrant, "the authorization code was issued to a different client")
	case c.used:
		// RFC 6749 §4.1.2: a replayed code revokes what it minted.
		s.revokeFamilyLocked("code:" + code)
		markWrite(r)
		return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidGrant, "the authorization code was already used; the tokens issued from it are revoked")
	case !now.Before(c.issued.Add(contio.AuthCodeTTL)):
		return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidGrant, "the authorization code expired (codes must be exchanged within 5 minutes)")
	}
	ru := vals.Get("redirect_uri")
	if ru == "" {
		return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidRequest, "redirect_uri is missing; send the one used in the authorization request")
	}
	if ru != c.redirectURI {
		return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidRequest, "redirect_uri does not match the one used in the authorization request")
	}
	v := vals.Get("code_verifier")
	if c.challenge != "" {
		sum := sha256.Sum256([]byte(v))
		switch {
		case v == "":
			return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidGrant, "code_verifier is missing; the authorization request carried a code_challenge")
		case !isVerifier(v):
			return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidGrant, "code_verifier must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_' and '~'")
		case subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(c.challenge)) != 1:
			return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidGrant, "code_verifier does not match the code_challenge (S256: the challenge is the base64url SHA-256 of the verifier)")
		}
	} else if v != "" {
		return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidGrant, "code_verifier sent, but the authorization request carried no code_challenge")
	} else if app.ClientSecret == "" {
		return Tokens{}, newErr(http.StatusUnauthorized, CodeInvalidClient, "a client without a secret must use PKCE")
	}
	c.used = true
	return s.mintLocked(app.ClientID, c.userID, c.scopes, "code:"+code, true, s.issuer(r), now), nil
}

// refresh rotates a refresh token. Presenting a rotated one again revokes
// the whole family.
func (s *Sandbox) refresh(r *http.Request, app *App, vals url.Values) (Tokens, *apiError) {
	rt := vals.Get("refresh_token")
	if rt == "" {
		return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidRequest, "refresh_token is missing")
	}
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.st.tokens[rt]
	switch {
	case !ok || t.kind != kindRefresh:
		return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidGrant, "the refresh token is unknown")
	case t.clientID != app.ClientID:
		return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidGrant, "the refresh token was issued to a different client")
	case t.rotated:
		s.revokeFamilyLocked(t.family)
		markWrite(r)
		return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidGrant, "the refresh token was already used (it is rotated on every refresh); its family is revoked")
	case t.revoked:
		return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidGrant, "the refresh token has been revoked")
	case !now.Before(t.expires):
		return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidGrant, "the refresh token expired")
	}
	scopes := t.scopes
	if sc := vals.Get("scope"); sc != "" {
		scopes = strings.Fields(sc)
		for _, x := range scopes {
			if !slices.Contains(t.scopes, x) {
				return Tokens{}, newErr(http.StatusBadRequest, CodeInvalidScope, "scope "+x+" was not granted to this refresh token")
			}
		}
	}
	t.rotated = true
	return s.mintLocked(app.ClientID, t.userID, scopes, t.family, true, s.issuer(r), now), nil
}

func (s *Sandbox) clientCredentials(r *http.Request, app *App, vals url.Values) (Tokens, *apiError) {
	scopes := strings.Fields(vals.Get("scope"))
	if e := checkScopes(app, scopes); e != nil {
		return Tokens{}, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mintLocked(app.ClientID, "", scopes, "cc:"+s.ids.hex(8), false, s.issuer(r), s.Now()), nil
}

// checkScopes refuses scopes the catalogue does not know or the app is not
// approved for.
func checkScopes(app *App, scopes []string) *apiError {
	for _, sc := range scopes {
		if !contio.KnownScope(sc) {
			return newErr(http.StatusBadRequest, CodeInvalidScope, "unknown scope "+sc)
		}
		if !slices.Contains(app.Scopes, sc) {
			return newErr(http.StatusBadRequest, CodeInvalidScope, "the partner app is not approved for scope "+sc)
		}
	}
	return nil
}

// tokenRequest reads an introspection or revocation request: the client,
// which must authenticate, and the token it asks about.
func (s *Sandbox) tokenRequest(r *http.Request) (app *App, token string, e *apiError) {
	vals, e := requestValues(r)
	if e != nil {
		return nil, "", e
	}
	if app, e = s.authenticateClient(r, vals, true); e != nil {
		return nil, "", e
	}
	if token = vals.Get("token"); token == "" {
		return nil, "", newErr(http.StatusBadRequest, CodeInvalidRequest, "token is missing")
	}
	return app, token, nil
}

func (s *Sandbox) handleIntrospect(w http.ResponseWriter, r *http.Request) *apiError {
	app, value, e := s.tokenRequest(r)
	if e != nil {
		return e
	}
	now := s.Now()
	s.mu.Lock()
	t := s.st.tokens[value]
	if !t.active(now) || t.clientID != app.ClientID {
		s.mu.Unlock()
		// RFC 7662: anything not active is exactly {"active":false}.
		writeJSON(w, http.StatusOK, map[string]bool{"active": false})
		return nil
	}
	resp := map[string]any{
		"active": true, "scope": strings.Join(t.scopes, " "), "client_id": t.clientID,
		"exp": t.expires.Unix(), "iat": t.issued.Unix(), "nbf": t.issued.Unix(),
		"token_type": "Bearer", "iss": s.issuer(r), "aud": []string{t.clientID},
	}
	if t.kind == kindRefresh {
		resp["token_type"] = "refresh_token"
	}
	if t.userID != "" {
		u := s.st.users[t.userID]
		resp["sub"], resp["username"] = u.ID, u.Email
	} else {
		resp["sub"] = t.clientID
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Sandbox) handleRevoke(w http.ResponseWriter, r *http.Request) *apiError {
	app, value, e := s.tokenRequest(r)
	if e != nil {
		return e
	}
	s.mu.Lock()
	// RFC 7009: unknown tokens, and other clients' tokens, still get 200.
	if t, ok := s.st.tokens[value]; ok && t.clientID == app.ClientID && s.revokeLocked(value) {
		markWrite(r)
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Sandbox) handleScopes(w http.ResponseWriter, r *http.Request) *apiError {
	vals, _ := requestValues(r)
	if _, e := s.authenticateClient(r, vals, false); e != nil {
		return e
	}
	writeJSON(w, http.StatusOK, map[string]any{"scopes": contio.ScopeNames()})
	return nil
}

func (s *Sandbox) handleUserInfo(w http.ResponseWriter, r *http.Request) *apiError {
	t, e := s.bearer(r, "")
	if e != nil {
		return e
	}
	s.mu.Lock()
	u := *s.st.users[t.userID]
	s.mu.Unlock()
	given, family, _ := strings.Cut(u.Name, " ")
	writeJSON(w, http.StatusOK, map[string]any{
		"sub": u.ID, "email": u.Email, "email_verified": true, "name": u.Name,
		"given_name": given, "family_name": family, "locale": "en",
	})
	return nil
}

func (s *Sandbox) handleHealth(w http.ResponseWriter, _ *http.Request) *apiError {
	writeJSON(w, http.StatusOK, map[string]any{
		"status": "healthy", "service": "partner-oauth", "checks": map[string]string{"identity": "ok"},
		"timestamp": s.Now().Format("2006-01-02T15:04:05Z07:00"),
	})
	return nil
}

func (s *Sandbox) handleDiscovery(w http.ResponseWriter, r *http.Request) *apiError {
	iss := s.issuer(r)
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                iss,
		"authorization_endpoint":                iss + "/oauth2/authorize",
		"token_endpoint":                        iss + "/oauth2/token",
		"userinfo_endpoint":                     iss + "/oauth2/userInfo",
		"introspection_endpoint":                iss + "/oauth2/introspect",
		"revocation_endpoint":                   iss + "/oauth2/revoke",
		"jwks_uri":                              iss + "/.well-known/jwks.json",
		"response_types_supported":              []string{"code"},
		"scopes_supported":                      contio.ScopeNames(),
		"claims_supported":                      []string{"sub", "email", "email_verified", "name", "given_name", "family_name", "locale"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"ES256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	})
	return nil
}

func (s *Sandbox) handleJWKS(w http.ResponseWriter, _ *http.Request) *apiError {
	writeJSON(w, http.StatusOK, map[string]any{"keys": []any{s.keys.jwk()}})
	return nil
}

func (s *Sandbox) handlePartnerInfo(w http.ResponseWriter, r *http.Request) *apiError {
	s.mu.Lock()
	app, ok := s.st.apps[param(r, "client_id")]
	var c App
	if ok {
		c = cloneApp(app)
	}
	s.mu.Unlock()
	if !ok {
		return newErr(http.StatusNotFound, CodeNotFound, "no partner app with this client_id")
	}
	if c.Deactivated {
		return newErr(http.StatusUnauthorized, CodeInvalidClient, "the partner app is deactivated")
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"client_id": c.ClientID, "name": c.Name, "company_name": c.CompanyName, "co_brand_name": c.Name,
	})
	return nil
}
