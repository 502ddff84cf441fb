package sandbox

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages parses the templates on first use: most processes that link the
// sandbox never serve a page, and parsing costs every start otherwise.
var pages = sync.OnceValue(func() *template.Template {
	return template.Must(template.ParseFS(templateFS, "templates/*.html"))
})

// authFlow is one browser sign-in: the validated authorization request and
// how far the user got.
type authFlow struct {
	id       string
	req      *authorizeRequest
	appName  string
	email    string
	session  string
	verified bool
	created  time.Time
}

type pageData struct {
	Title, Error, Flow, Email, AppName string
	Code, Message, RequestID           string
	Scopes                             []scopeView
	Messages                           []InboxMessage
}

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
	s.renderPage(w, e.Status, "error.html", pageData{Title: "Sign-in failed", Code: e.Code, Message: sentence(e.Message),
		RequestID: stateOf(r).requestID})
}

// handleAuthorizePage starts the browser sign-in: e-mail, then OTP, then
// consent. Client and redirect URI problems end on an error page; other
// problems go back to the (trusted) redirect URI, as RFC 6749 §4.1.2.1 asks.
func (s *Sandbox) handleAuthorizePage(w http.ResponseWriter, r *http.Request) *apiError {
	req, app, e, redirectable := s.validateAuthorize(r.URL.Query())
	if e != nil && !redirectable {
		return e
	}
	if e != nil {
		http.Redirect(w, r, redirectWith(req.RedirectURI, url.Values{"error": {e.Code}, "error_description": {e.Message},
			"state": {req.State}}), http.StatusFound)
		return nil
	}
	f := &authFlow{id: "sbx_flow_" + s.ids.hex(16), req: req, appName: app.Name, created: s.Now(),
		email: r.URL.Query().Get("login_hint")}
	s.mu.Lock()
	s.st.flows[f.id] = f
	s.mu.Unlock()
	s.renderPage(w, http.StatusOK, "email.html", pageData{Title: "Sign in to Contio", Flow: f.id, Email: f.email, AppName: f.appName})
	return nil
}

// handlePageStep handles the form posts of the sign-in pages.
func (s *Sandbox) handlePageStep(w http.ResponseWriter, r *http.Request) *apiError {
	vals, e := requestValues(r)
	if e != nil {
		return e
	}
	s.mu.Lock()
	f, ok := s.st.flows[vals.Get("flow")]
	var fc authFlow
	if ok {
		fc = *f
	}
	s.mu.Unlock()
	if !ok || !s.Now().Before(fc.created.Add(contio.SessionTTL)) {
		return newErr(http.StatusUnauthorized, CodeSessionExpired, "this sign-in has expired; go back to the app and start again")
	}
	base := pageData{Flow: fc.id, AppName: fc.appName, Email: fc.email}
	switch vals.Get("step") {
	case "email":
		email := strings.TrimSpace(vals.Get("email"))
		if !strings.Contains(email, "@") {
			base.Title, base.Error = "Sign in to Contio", "Enter an e-mail address."
			s.renderPage(w, http.StatusBadRequest, "email.html", base)
			return nil
		}
		session, _, _ := s.startOTP(fc.req.ClientID, email, "", "") // no workspace_id: cannot fail
		s.updateFlow(fc.id, func(f *authFlow) { f.email, f.session, f.verified = strings.ToLower(email), session, false })
		markWrite(r)
		base.Title, base.Email = "Enter your code", strings.ToLower(email)
		s.renderPage(w, http.StatusOK, "otp.html", base)
	case "otp":
		if e := s.verifyOTP(fc.req.ClientID, fc.email, strings.TrimSpace(vals.Get("code")), fc.session); e != nil {
			stateOf(r).errCode = e.Code
			base.Title, base.Error = "Enter your code", sentence(e.Message)
			s.renderPage(w, http.StatusBadRequest, "otp.html", base)
			return nil
		}
		s.updateFlow(fc.id, func(f *authFlow) { f.verified = true })
		markWrite(r)
		base.Title = "Allow access?"
		for i, name := range fc.req.Scopes {
			v := scopeView{ID: string(rune('a' + i)), Name: name}
			for _, sc := range contio.Scopes {
				if sc.Name == name {
					v.Grants = sc.Grants
				}
			}
			v.ID = strings.NewReplacer(":", "-").Replace(name)
			base.Scopes = append(base.Scopes, v)
		}
		s.renderPage(w, http.StatusOK, "consent.html", base)
	case "consent":
		if !fc.verified {
			return newErr(http.StatusUnauthorized, CodeSessionExpired, "sign in with your code before granting access")
		}
		se, e := s.session(fc.req.ClientID, fc.email)
		if e != nil {
			return e
		}
		s.mu.Lock()
		delete(s.st.flows, fc.id) // a flow grants once
		s.mu.Unlock()
		if vals.Get("decision") != "allow" {
			http.Redirect(w, r, redirectWith(fc.req.RedirectURI, url.Values{"error": {CodeAccessDenied},
				"error_description": {"the user denied access"}, "state": {fc.req.State}}), http.StatusFound)
			return nil
		}
		var granted []string
		for _, sc := range vals["scope"] {
			if slices.Contains(fc.req.Scopes, sc) {
				granted = appendOnce(granted, sc)
			}
		}
		code := s.issueCode(fc.req, se.userID, granted)
		markWrite(r)
		http.Redirect(w, r, redirectWith(fc.req.RedirectURI, url.Values{"code": {code}, "state": {fc.req.State}}), http.StatusFound)
	default:
		return newErr(http.StatusBadRequest, CodeInvalidRequest, "unknown sign-in step")
	}
	return nil
}

func (s *Sandbox) updateFlow(id string, f func(*authFlow)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if fl, ok := s.st.flows[id]; ok {
		f(fl)
	}
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
