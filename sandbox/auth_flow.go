package sandbox

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// otpChallenge is one e-mailed one-time code, keyed by the session string
// /auth/initiate returns.
type otpChallenge struct {
	session, email, clientID, code string
	issued                         time.Time
	used                           bool
	attempts                       int
}

// maxOTPAttempts burns an OTP after this many wrong guesses.
const maxOTPAttempts = 5

// authSession is what OTP verification establishes: for 30 minutes the
// user may check and grant consent for the client.
type authSession struct {
	email, userID, clientID string
	verified                time.Time
}

// InboxMessage is an OTP e-mail the sandbox "sent". Read them with Inbox
// or GET /_sandbox/inbox.
type InboxMessage struct {
	To       string    `json:"to"`
	ClientID string    `json:"client_id"`
	Code     string    `json:"code"`
	Session  string    `json:"session"`
	SentAt   time.Time `json:"sent_at"`
}

// Inbox returns the OTP e-mails sent so far, oldest first.
func (s *Sandbox) Inbox() []InboxMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.inbox)
}

// LastOTP returns the newest OTP sent to email ("" if none).
func (s *Sandbox) LastOTP(email string) string {
	email = strings.ToLower(strings.TrimSpace(email))
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.inbox) - 1; i >= 0; i-- {
		if s.inbox[i].To == email {
			return s.inbox[i].Code
		}
	}
	return ""
}

// startOTP e-mails (that is, logs and files in the inbox) a fresh OTP. A
// new user is provisioned into workspaceID when it is set, else into a
// personal workspace.
func (s *Sandbox) startOTP(clientID, email, name, workspaceID string) (session string, provisioned bool, e *apiError) {
	email = strings.ToLower(strings.TrimSpace(email))
	now := s.Now()
	s.mu.Lock()
	user := User{Email: email, Name: name}
	if workspaceID != "" {
		ws, e := s.joinWorkspaceLocked(clientID, email, workspaceID)
		if e != nil {
			s.mu.Unlock()
			return "", false, e
		}
		user.WorkspaceID, user.WorkspaceName = ws.ID, ws.Name
	}
	_, existed := s.st.userByEmail[email]
	s.addUserLocked(user)
	ch := &otpChallenge{session: "sbx_sess_" + s.ids.hex(16), email: email, clientID: clientID,
		code: s.ids.digits(6), issued: now}
	s.st.challenges[ch.session] = ch
	s.inbox = append(s.inbox, InboxMessage{To: email, ClientID: clientID, Code: ch.code, Session: ch.session, SentAt: now})
	s.mu.Unlock()
	s.logf("OTP for %s is %s (valid %s)", email, ch.code, contio.OTPTTL)
	return ch.session, !existed, nil
}

// verifyOTP checks and consumes an OTP and opens a 30-minute session.
func (s *Sandbox) verifyOTP(clientID, email, code, session string) *apiError {
	email = strings.ToLower(strings.TrimSpace(email))
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.st.challenges[session]
	switch {
	case !ok || ch.email != email || ch.clientID != clientID:
		return newErr(http.StatusBadRequest, CodeInvalidCode, "no pending code for this session, e-mail and client; request a new code")
	case ch.used:
		return newErr(http.StatusBadRequest, CodeInvalidCode, "the code was already used; request a new code")
	case !now.Before(ch.issued.Add(contio.OTPTTL)):
		return newErr(http.StatusBadRequest, CodeInvalidCode, "the code expired (codes are valid for 3 minutes); request a new code")
	case subtle.ConstantTimeCompare([]byte(ch.code), []byte(code)) != 1:
		ch.attempts++
		if ch.attempts >= maxOTPAttempts {
			ch.used = true
		}
		return newErr(http.StatusBadRequest, CodeInvalidCode, "the code is wrong; check it or request a new one")
	}
	ch.used = true
	userID := s.st.userByEmail[email]
	s.st.sessions[clientID+"|"+email] = &authSession{email: email, userID: userID, clientID: clientID, verified: now}
	return nil
}

// session returns the user's verified session with the client, or
// session_expired once its 30 minutes are over.
func (s *Sandbox) session(clientID, email string) (*authSession, *apiError) {
	email = strings.ToLower(strings.TrimSpace(email))
	s.mu.Lock()
	defer s.mu.Unlock()
	se, ok := s.st.sessions[clientID+"|"+email]
	if !ok {
		return nil, newErr(http.StatusUnauthorized, CodeSessionExpired, "there is no verified sign-in session for this e-mail; sign in with a new code")
	}
	if !s.Now().Before(se.verified.Add(contio.SessionTTL)) {
		return nil, newErr(http.StatusUnauthorized, CodeSessionExpired, "the sign-in session expired (30 minutes after the code was verified); sign in again")
	}
	c := *se
	return &c, nil
}

// clientFromBody authenticates optional Basic credentials (the SDK sends
// them; the spec lists none) and resolves the body's client_id.
func (s *Sandbox) clientFromBody(r *http.Request, vals url.Values) (*App, *apiError) {
	app, e := s.authenticateClient(r, vals, false)
	if e != nil {
		return nil, e
	}
	if app != nil {
		return app, nil
	}
	if vals.Get("client_id") == "" {
		return nil, newErr(http.StatusBadRequest, CodeInvalidRequest, "client_id is missing")
	}
	return s.activeApp(vals.Get("client_id"))
}

// clientRequest reads the parameters of a sign-in step and the app they name.
func (s *Sandbox) clientRequest(r *http.Request) (url.Values, *App, *apiError) {
	vals, e := requestValues(r)
	if e != nil {
		return nil, nil, e
	}
	app, e := s.clientFromBody(r, vals)
	if e != nil {
		return nil, nil, e
	}
	return vals, app, nil
}

func (s *Sandbox) handleInitiate(w http.ResponseWriter, r *http.Request) *apiError {
	if browserForm(r) {
		return s.initiatePage(w, r)
	}
	vals, app, e := s.clientRequest(r)
	if e != nil {
		return e
	}
	email := vals.Get("email")
	if !strings.Contains(email, "@") {
		return newErr(http.StatusBadRequest, CodeInvalidRequest, "email is missing or not an e-mail address")
	}
	workspaceID := strings.ToLower(vals.Get("workspace_id"))
	if workspaceID != "" && !isUUID(workspaceID) {
		return newErr(http.StatusBadRequest, CodeBadRequest, "workspace_id must be a UUID (8-4-4-4-12 hex digits)")
	}
	session, provisioned, e := s.startOTP(app.ClientID, email, vals.Get("name"), workspaceID)
	if e != nil {
		return e
	}
	markWrite(r)
	writeJSON(w, http.StatusOK, map[string]any{
		"challenge_name": "CUSTOM_CHALLENGE", "challenge_params": map[string]string{"email": strings.ToLower(email)},
		"session": session, "user_provisioned": provisioned,
	})
	return nil
}

func (s *Sandbox) handleVerify(w http.ResponseWriter, r *http.Request) *apiError {
	if browserForm(r) {
		return s.verifyPage(w, r)
	}
	vals, app, e := s.clientRequest(r)
	if e != nil {
		return e
	}
	for _, f := range []string{"email", "code", "session"} {
		if vals.Get(f) == "" {
			return newErr(http.StatusBadRequest, CodeInvalidRequest, f+" is missing")
		}
	}
	if e := s.verifyOTP(app.ClientID, vals.Get("email"), vals.Get("code"), vals.Get("session")); e != nil {
		return e
	}
	// API callers get the session cookie too, as the Postman collection
	// keeps it between Verify OTP and Grant Consent.
	s.setSessionCookie(w, r, app.ClientID, vals.Get("email"))
	markWrite(r)
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "message": "the code is verified; a sign-in session is open for 30 minutes"})
	return nil
}

// requestedScopes reads scopes from "scope" (a space-separated string, as
// the SDK sends it) and "scopes" (an array, as the spec documents it).
func requestedScopes(vals url.Values) []string {
	var out []string
	for _, v := range vals["scope"] {
		for _, sc := range strings.Fields(v) {
			out = appendOnce(out, sc)
		}
	}
	for _, v := range vals["scopes"] {
		for _, sc := range strings.Fields(v) {
			out = appendOnce(out, sc)
		}
	}
	return out
}

func (s *Sandbox) handleCheckConsent(w http.ResponseWriter, r *http.Request) *apiError {
	vals, app, e := s.clientRequest(r)
	if e != nil {
		return e
	}
	if vals.Get("email") == "" {
		return newErr(http.StatusBadRequest, CodeInvalidRequest, "email is missing")
	}
	scopes := requestedScopes(vals)
	if e := checkScopes(app, scopes); e != nil {
		return e
	}
	se, e := s.session(app.ClientID, vals.Get("email"))
	if e != nil {
		return e
	}
	s.mu.Lock()
	c, ok := s.st.connections[app.ClientID+"|"+se.userID]
	has := ok && !c.revoked && len(scopes) > 0
	for _, sc := range scopes {
		if has && !slices.Contains(c.scopes, sc) {
			has = false
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"has_consent": has, "requires_consent": !has, "session_valid": true, "redirect_url": "",
	})
	return nil
}

// authorizeRequest is a validated authorization request.
type authorizeRequest struct {
	ClientID, RedirectURI, State string
	Scopes                       []string
	Challenge, Method            string
	// LoginHint pre-fills and locks the sign-in page's e-mail field.
	LoginHint string
}

// validateAuthorize checks an authorization request. An error with
// redirectable false must be shown to the user, never sent to the
// redirect URI (RFC 6749 §4.1.2.1): the client or the URI is in doubt.
func (s *Sandbox) validateAuthorize(vals url.Values) (req *authorizeRequest, app *App, e *apiError, redirectable bool) {
	clientID, ru := vals.Get("client_id"), vals.Get("redirect_uri")
	if clientID == "" {
		return nil, nil, newErr(http.StatusBadRequest, CodeInvalidRequest, "client_id is missing"), false
	}
	if app, e = s.activeApp(clientID); e != nil {
		return nil, nil, e, false
	}
	if ru == "" {
		return nil, app, newErr(http.StatusBadRequest, CodeInvalidRequest, "redirect_uri is missing"), false
	}
	if !slices.Contains(app.RedirectURIs, ru) {
		return nil, app, newErr(http.StatusBadRequest, CodeInvalidRequest,
			"redirect_uri does not exactly match a redirect URI registered for this app (scheme, host, port, path, trailing slash and query all count)"), false
	}
	req = &authorizeRequest{ClientID: clientID, RedirectURI: ru, State: vals.Get("state"),
		Scopes: requestedScopes(vals), Challenge: vals.Get("code_challenge"), Method: vals.Get("code_challenge_method"),
		LoginHint: strings.ToLower(strings.TrimSpace(vals.Get("login_hint")))}
	if rt := vals.Get("response_type"); rt != "code" {
		return req, app, newErr(http.StatusBadRequest, CodeUnsupportedResp, "response_type must be code"), true
	}
	if e := checkScopes(app, req.Scopes); e != nil {
		return req, app, e, true
	}
	if e := checkPKCE(req.Challenge, req.Method); e != nil {
		return req, app, e, true
	}
	return req, app, nil, true
}

// checkPKCE enforces Contio's rule that PKCE, when used, is S256: plain
// and a challenge without a method are refused (RFC 7636 would default
// the method to plain, which is exactly what Contio does not accept).
func checkPKCE(challenge, method string) *apiError {
	switch {
	case challenge == "" && method == "":
		return nil
	case challenge == "":
		return newErr(http.StatusBadRequest, CodeInvalidRequest, "code_challenge_method is set but code_challenge is missing")
	case method == "":
		return newErr(http.StatusBadRequest, CodeInvalidRequest,
			"code_challenge_method is missing; Contio accepts PKCE only with code_challenge_method=S256")
	case method != "S256":
		return newErr(http.StatusBadRequest, CodeInvalidRequest,
			"code_challenge_method "+method+" is not supported; Contio accepts only S256")
	case !isS256Challenge(challenge):
		return newErr(http.StatusBadRequest, CodeInvalidRequest,
			"code_challenge is not an S256 challenge: it must be the unpadded base64url SHA-256 of the verifier (43 characters)")
	}
	return nil
}

// isS256Challenge reports whether c looks like BASE64URL(SHA256(verifier)).
func isS256Challenge(c string) bool {
	b, err := base64.RawURLEncoding.DecodeString(c)
	return err == nil && len(b) == sha256.Size
}

// isVerifier reports whether v is an RFC 7636 §4.1 code_verifier: 43 to
// 128 characters of ALPHA / DIGIT / "-" / "." / "_" / "~".
func isVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for _, c := range v {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("-._~", c)) {
			return false
		}
	}
	return true
}

// issueCode mints a 5-minute, single-use code bound to the client, the
// redirect URI and the granted scopes.
func (s *Sandbox) issueCode(req *authorizeRequest, userID string, granted []string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &authCode{code: "sbx_code_" + s.ids.hex(16), clientID: req.ClientID, redirectURI: req.RedirectURI,
		userID: userID, scopes: slices.Clone(granted), challenge: req.Challenge, method: req.Method, issued: s.Now()}
	s.st.codes[c.code] = c
	return c.code
}

// redirectWith appends query parameters to a redirect URI, keeping its own.
func redirectWith(base string, params url.Values) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	for k, vs := range params {
		for _, v := range vs {
			if v != "" {
				q.Set(k, v)
			}
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// handleAuthorizePost is the consent endpoint: JSON for API callers (the
// spec's OAuthConsentRequest), or the consent form of the sign-in pages.
func (s *Sandbox) handleAuthorizePost(w http.ResponseWriter, r *http.Request) *apiError {
	if browserForm(r) {
		return s.consentPage(w, r)
	}
	vals, e := requestValues(r)
	if e != nil {
		return e
	}
	req, _, e, _ := s.validateAuthorize(vals)
	if e != nil {
		return e
	}
	var se *authSession
	if email := vals.Get("email"); email != "" {
		se, e = s.session(req.ClientID, email)
	} else if _, err := r.Cookie(sessionCookie); err == nil {
		se, e = s.cookieSession(r, req.ClientID)
	} else {
		e = newErr(http.StatusBadRequest, CodeInvalidRequest, "email is missing")
	}
	if e != nil {
		return e
	}
	if vals.Get("consent") != "true" {
		writeJSON(w, http.StatusOK, map[string]any{
			"redirect_url": redirectWith(req.RedirectURI, url.Values{"error": {CodeAccessDenied}, "state": {req.State}}),
			"state":        req.State,
		})
		return nil
	}
	code := s.issueCode(req, se.userID, req.Scopes)
	markWrite(r)
	writeJSON(w, http.StatusOK, map[string]any{
		"code":         code,
		"redirect_url": redirectWith(req.RedirectURI, url.Values{"code": {code}, "state": {req.State}}),
		"state":        req.State,
	})
	return nil
}
