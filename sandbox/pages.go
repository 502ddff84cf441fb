package sandbox

import (
	"bytes"
	"embed"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"text/template"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// The browser sign-in runs on the documented endpoints, as Contio's does:
//
//	GET  /oauth2/authorize  validates, then 302 to the sign-in page
//	GET  /sign-in           the e-mail form (the sandbox's stand-in for Contio's login page)
//	POST /auth/initiate     e-mail → an OTP is "sent"; answers with the code form
//	POST /auth/verify       OTP → a 30-minute session cookie; answers with the consent form
//	POST /oauth2/authorize  the ticked scopes → 302 to redirect_uri with code and state
//
// The pages are plain HTML forms, so no script is needed. A form post from
// a browser (form body, Accept naming text/html) gets a page; JSON and
// other API callers get the JSON answers the spec documents. Errors on
// pages carry their code where a person sees it and where a tool reads
// it: <meta name="contio-error"> and a data-error-code attribute.

//go:embed templates/*.html
var templateFS embed.FS

// pages parses the templates on first use: most processes that link the
// sandbox never serve a page, and parsing costs every start otherwise. A
// zero sync.Once, not a sync.OnceValue closure: nothing built at init.
//
// The templates are text/template, not html/template: every process that
// links the sandbox (the doctor's binary does) paid html/template's
// package init on each start. So the templates escape explicitly: every
// value they print goes through escText (element content, including
// <title>) or escAttr (a double-quoted attribute value), and no value is
// printed into a URL, script, style or unquoted attribute. A test requires
// both of that and the same bytes as html/template's contextual escaping.
func pages() *template.Template {
	parsedPages.once.Do(func() {
		parsedPages.t = template.Must(template.New("pages").Funcs(pageFuncs()).ParseFS(templateFS, "templates/*.html"))
	})
	return parsedPages.t
}

// pageFuncs are the templates' escapers.
func pageFuncs() template.FuncMap {
	return template.FuncMap{"escText": htmlEscape, "escAttr": htmlEscape}
}

// htmlEscape escapes s for HTML text and for a quoted attribute value
// exactly as html/template does for a plain string in either context: the
// characters that end a value or start markup (" ' & < >) and + become
// character references, NUL becomes U+FFFD, and all else (invalid UTF-8
// too) is copied.
func htmlEscape(s string) string {
	var b []byte
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case 0:
			esc = "\uFFFD"
		case '"':
			esc = "&#34;"
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '+':
			esc = "&#43;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		default:
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(s)+16)
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		last = i + 1
	}
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}

var parsedPages struct {
	once sync.Once
	t    *template.Template
}

// SignInPath is the sandbox's sign-in page, where GET /oauth2/authorize
// sends the browser.
const SignInPath = "/sign-in"

// sessionCookie carries the sign-in session that /auth/verify opens.
const sessionCookie = "contio_session"

type pageData struct {
	Title, AppName, Email string
	// EmailLocked: login_hint fixed the address.
	EmailLocked bool
	// ErrorCode, Error and RequestID describe an error the page shows.
	ErrorCode, Error, RequestID string
	// Hidden are the authorization request's parameters, carried from
	// form to form as Contio's sign-in page carries them.
	Hidden   []hiddenField
	Scopes   []scopeView
	Messages []InboxMessage
}

type hiddenField struct{ Name, Value string }

type scopeView struct{ ID, Name, Grants string }

func (s *Sandbox) renderPage(w http.ResponseWriter, status int, name string, d pageData) {
	var buf bytes.Buffer
	if err := pages().ExecuteTemplate(&buf, name, d); err != nil {
		http.Error(w, "the sandbox could not render the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (s *Sandbox) renderErrorPage(w http.ResponseWriter, r *http.Request, e *apiError) {
	s.renderPage(w, e.Status, "error.html", pageData{Title: "Sign-in failed", ErrorCode: e.Code, Error: sentence(e.Message),
		RequestID: stateOf(r).requestID})
}

// browserForm reports whether a POST is a step of the sign-in pages: a
// form body from a caller that wants HTML back.
func browserForm(r *http.Request) bool {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct == "application/x-www-form-urlencoded" && wantsHTML(r)
}

// hiddenFields carries an authorization request from page to page; the
// consent form leaves scope out, its checkboxes are the scope.
func (req *authorizeRequest) hiddenFields(withScope bool) []hiddenField {
	out := []hiddenField{{"client_id", req.ClientID}, {"redirect_uri", req.RedirectURI}, {"response_type", "code"}}
	if withScope && len(req.Scopes) > 0 {
		out = append(out, hiddenField{"scope", strings.Join(req.Scopes, " ")})
	}
	for _, f := range []hiddenField{{"state", req.State}, {"code_challenge", req.Challenge},
		{"code_challenge_method", req.Method}, {"login_hint", req.LoginHint}} {
		if f.Value != "" {
			out = append(out, f)
		}
	}
	return out
}

// query is the authorization request as the sign-in page's query string.
func (req *authorizeRequest) query() url.Values {
	q := url.Values{}
	for _, f := range req.hiddenFields(true) {
		q.Set(f.Name, f.Value)
	}
	return q
}

// redirectError sends an error back to the (trusted) redirect URI, as RFC
// 6749 §4.1.2.1 asks once the client and the URI are known good.
func redirectError(w http.ResponseWriter, r *http.Request, req *authorizeRequest, e *apiError) {
	stateOf(r).errCode = e.Code
	http.Redirect(w, r, redirectWith(req.RedirectURI, url.Values{"error": {e.Code}, "error_description": {e.Message},
		"state": {req.State}}), http.StatusFound)
}

// pageRequest validates the authorization request a page or form carries.
// ok false means the answer is written (an error page, or an error sent
// back to the app); client and redirect URI problems never go back to the
// redirect URI.
func (s *Sandbox) pageRequest(w http.ResponseWriter, r *http.Request, vals url.Values) (*authorizeRequest, *App, *apiError, bool) {
	req, app, e, redirectable := s.validateAuthorize(vals)
	if e == nil {
		return req, app, nil, true
	}
	if !redirectable {
		return nil, nil, e, false
	}
	redirectError(w, r, req, e)
	return nil, nil, nil, false
}

// handleAuthorize is GET /oauth2/authorize: a valid request is sent on to
// the sign-in page with its parameters, as the spec's 302 documents.
func (s *Sandbox) handleAuthorize(w http.ResponseWriter, r *http.Request) *apiError {
	req, _, e, ok := s.pageRequest(w, r, r.URL.Query())
	if !ok {
		return e
	}
	http.Redirect(w, r, s.issuer(r)+SignInPath+"?"+req.query().Encode(), http.StatusFound)
	return nil
}

// handleSignInPage shows the e-mail form.
func (s *Sandbox) handleSignInPage(w http.ResponseWriter, r *http.Request) *apiError {
	req, app, e, ok := s.pageRequest(w, r, r.URL.Query())
	if !ok {
		return e
	}
	s.renderPage(w, http.StatusOK, "email.html", pageData{Title: "Sign in to Contio", AppName: app.Name,
		Email: req.LoginHint, EmailLocked: req.LoginHint != "", Hidden: req.hiddenFields(true)})
	return nil
}

// pageError re-renders a form with the error the step produced.
func (s *Sandbox) pageError(w http.ResponseWriter, r *http.Request, name string, d pageData, e *apiError) {
	st := stateOf(r)
	st.errCode = e.Code
	d.ErrorCode, d.Error, d.RequestID = e.Code, sentence(e.Message), st.requestID
	s.renderPage(w, e.Status, name, d)
}

// initiatePage is the e-mail step: send an OTP, show the code form.
func (s *Sandbox) initiatePage(w http.ResponseWriter, r *http.Request) *apiError {
	stateOf(r).page = true
	vals, e := requestValues(r)
	if e != nil {
		return e
	}
	req, app, e, ok := s.pageRequest(w, r, vals)
	if !ok {
		return e
	}
	d := pageData{Title: "Sign in to Contio", AppName: app.Name, Email: req.LoginHint, EmailLocked: req.LoginHint != "",
		Hidden: req.hiddenFields(true)}
	email := strings.ToLower(strings.TrimSpace(vals.Get("email")))
	switch {
	case !strings.Contains(email, "@"):
		s.pageError(w, r, "email.html", d, newErr(http.StatusBadRequest, CodeInvalidRequest, "enter an e-mail address"))
		return nil
	case req.LoginHint != "" && !strings.EqualFold(email, req.LoginHint):
		s.pageError(w, r, "email.html", d, newErr(http.StatusBadRequest, CodeInvalidRequest,
			"the app asked for a sign-in as "+req.LoginHint+" (login_hint); that address cannot be changed"))
		return nil
	}
	session, _, e := s.startOTP(app.ClientID, email, "", "")
	if e != nil {
		return e
	}
	markWrite(r)
	d.Title, d.Email = "Enter your code", email
	d.Hidden = append(req.hiddenFields(true), hiddenField{"email", email}, hiddenField{"session", session})
	s.renderPage(w, http.StatusOK, "otp.html", d)
	return nil
}

// verifyPage is the OTP step: open the session cookie, show the consent form.
func (s *Sandbox) verifyPage(w http.ResponseWriter, r *http.Request) *apiError {
	stateOf(r).page = true
	vals, e := requestValues(r)
	if e != nil {
		return e
	}
	req, app, e, ok := s.pageRequest(w, r, vals)
	if !ok {
		return e
	}
	email, session := vals.Get("email"), vals.Get("session")
	d := pageData{Title: "Enter your code", AppName: app.Name, Email: email,
		Hidden: append(req.hiddenFields(true), hiddenField{"email", email}, hiddenField{"session", session})}
	if e := s.verifyOTP(app.ClientID, email, strings.TrimSpace(vals.Get("code")), session); e != nil {
		s.pageError(w, r, "otp.html", d, e)
		return nil
	}
	s.setSessionCookie(w, r, app.ClientID, email)
	markWrite(r)
	d.Title, d.Hidden = "Allow access?", req.hiddenFields(false)
	for _, name := range req.Scopes {
		v := scopeView{ID: strings.ReplaceAll(name, ":", "-"), Name: name}
		for _, sc := range contio.Scopes {
			if sc.Name == name {
				v.Grants = sc.Grants
			}
		}
		d.Scopes = append(d.Scopes, v)
	}
	s.renderPage(w, http.StatusOK, "consent.html", d)
	return nil
}

// consentPage is the consent step: the ticked boxes (scope, once per box)
// become the code's scopes; the answer is a redirect to the app.
func (s *Sandbox) consentPage(w http.ResponseWriter, r *http.Request) *apiError {
	stateOf(r).page = true
	vals, e := requestValues(r)
	if e != nil {
		return e
	}
	req, _, e, ok := s.pageRequest(w, r, vals)
	if !ok {
		return e
	}
	se, e := s.cookieSession(r, req.ClientID)
	if e != nil {
		return e
	}
	if vals.Get("consent") != "true" {
		stateOf(r).errCode = CodeAccessDenied
		http.Redirect(w, r, redirectWith(req.RedirectURI, url.Values{"error": {CodeAccessDenied},
			"error_description": {"the user denied access"}, "state": {req.State}}), http.StatusFound)
		return nil
	}
	code := s.issueCode(req, se.userID, req.Scopes)
	markWrite(r)
	http.Redirect(w, r, redirectWith(req.RedirectURI, url.Values{"code": {code}, "state": {req.State}}), http.StatusFound)
	return nil
}

// setSessionCookie opens the browser's sign-in session: it lasts as long
// as the session OTP verification opened (30 minutes on the sandbox clock).
func (s *Sandbox) setSessionCookie(w http.ResponseWriter, r *http.Request, clientID, email string) {
	email = strings.ToLower(strings.TrimSpace(email))
	s.mu.Lock()
	se := s.st.sessions[clientID+"|"+email]
	id := "sbx_websess_" + s.ids.hex(16)
	s.st.webSessions[id] = se
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", MaxAge: int(contio.SessionTTL.Seconds()),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// cookieSession returns the verified session the request's cookie names,
// or session_expired.
func (s *Sandbox) cookieSession(r *http.Request, clientID string) (*authSession, *apiError) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, newErr(http.StatusUnauthorized, CodeSessionExpired, "there is no sign-in session (no "+sessionCookie+" cookie); sign in with a new code")
	}
	s.mu.Lock()
	se, ok := s.st.webSessions[c.Value]
	s.mu.Unlock()
	switch {
	case !ok || se == nil:
		return nil, newErr(http.StatusUnauthorized, CodeSessionExpired, "the sign-in session is unknown; sign in with a new code")
	case se.clientID != clientID:
		return nil, newErr(http.StatusUnauthorized, CodeSessionExpired, "the sign-in session was opened for another app; sign in again")
	case !s.Now().Before(se.verified.Add(contio.SessionTTL)):
		return nil, newErr(http.StatusUnauthorized, CodeSessionExpired, "the sign-in session expired (30 minutes after the code was verified); sign in again")
	}
	c2 := *se
	return &c2, nil
}

// sentence capitalises an error message for a page ("the code is wrong" → "The code is wrong.").
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}
