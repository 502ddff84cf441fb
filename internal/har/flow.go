package har

import (
	"net/url"
	"strings"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// flow records the OAuth and sign-in steps an entry shows, and fills the
// client registration fields from the first authorization request.
func (b *builder) flow(e *Entry, u *url.URL, src integration.Source, contioReq bool, fields params, resp map[string]string, errCode string) {
	method := strings.ToUpper(e.Request.Method)
	status := e.Response.Status
	step := integration.FlowStep{At: src, Status: status, ErrorCode: errCode}
	if e.Time > 0 {
		step.Duration = time.Duration(e.Time * float64(time.Millisecond))
	}
	form := func(k string) string { return fields.get(k) }
	q, _ := parseQuery(u.RawQuery)
	path := u.Path
	oauth := contioReq && contio.ClassOf(path) == contio.ClassOAuth
	// The browser sign-in pages post every step to one form endpoint,
	// told apart by a step field (e-mail, one-time code, consent).
	pageStep := ""
	if oauth && path == "/oauth2/authorize" && method == "POST" && fields.get("client_id") == "" {
		pageStep = fields.get("step")
	}
	switch {
	case oauth && path == "/oauth2/authorize" && method == "GET":
		step.Kind = integration.FlowAuthorize
		step.ClientID, step.RedirectURI, step.Scope = q.get("client_id"), q.get("redirect_uri"), scopeParam(q)
		_, step.HasCodeChallenge = q["code_challenge"]
		_, step.HasChallengeMethod = q["code_challenge_method"]
		step.CodeChallenge, step.CodeChallengeMethod = q.get("code_challenge"), q.get("code_challenge_method")
		b.fillAuthorize(u, src, step)
	case pageStep == "email":
		step.Kind, step.Email = integration.FlowInitiate, strings.ToLower(strings.TrimSpace(form("email")))
	case pageStep == "otp" || pageStep == "code" || pageStep == "verify":
		step.Kind = integration.FlowVerify
	case oauth && path == "/oauth2/authorize" && method == "POST", oauth && path == "/oauth2/check-consent":
		step.Kind = integration.FlowConsent
		step.ClientID, step.RedirectURI, step.Email = form("client_id"), form("redirect_uri"), form("email")
		step.Scope = firstNonEmpty(fields.all("scope"), fields.all("scopes"))
		step.Decision = form("decision")
		if path == "/oauth2/authorize" && form("redirect_uri") != "" && form("client_id") != "" {
			// The JSON consent API carries the authorization request itself.
			b.fillAuthorize(nil, src, step)
		}
	case oauth && path == "/oauth2/token":
		step.Kind = integration.FlowToken
		step.GrantType, step.Code, step.RedirectURI = form("grant_type"), form("code"), form("redirect_uri")
		step.RefreshToken, step.ClientID, step.Scope = form("refresh_token"), form("client_id"), fields.all("scope")
		if step.ClientID == "" {
			step.ClientID, _, _ = decodeBasicPair(e.Request.Header("Authorization"))
		}
		if status >= 200 && status < 300 {
			step.IssuedAccess, step.IssuedRefresh, step.GrantedScope = resp["access_token"], resp["refresh_token"], resp["scope"]
		}
		if step.RefreshToken != "" && !b.ig.Tokens.RefreshToken.Set {
			b.ig.Tokens.RefreshToken = integration.Value{Raw: step.RefreshToken, Set: true, From: src}
		}
		if sec := form("client_secret"); sec != "" && !b.ig.OAuth.ClientSecret.Set {
			b.ig.OAuth.ClientSecret = integration.Value{Raw: sec, Set: true, From: src}
		}
	case oauth && path == "/oauth2/introspect":
		step.Kind = integration.FlowIntrospect
		step.Token = form("token")
		step.Active = resp["active"] == "true"
		step.GrantedScope = resp["scope"]
		step.ClientID = resp["client_id"]
	case oauth && path == "/auth/initiate":
		step.Kind = integration.FlowInitiate
		step.ClientID, step.Email = form("client_id"), form("email")
		if status >= 200 && status < 300 {
			step.Session = resp["session"]
		}
	case oauth && path == "/auth/verify":
		step.Kind = integration.FlowVerify
		step.ClientID, step.Email, step.Session = form("client_id"), form("email"), form("session")
	}
	if step.Kind != "" {
		if step.Kind != integration.FlowAuthorize && step.ClientID != "" && !b.ig.OAuth.ClientID.Set {
			b.ig.OAuth.ClientID = integration.Value{Raw: step.ClientID, Set: true, From: src}
		}
		b.cap.Steps = append(b.cap.Steps, step)
	}
	b.codeIssued(e, u, src, contioReq, resp)
}

// codeIssued records an authorization code handed out: in a redirect's
// Location, in the JSON consent answer, or (when neither was captured) in
// the callback request the browser made to the redirect URI.
func (b *builder) codeIssued(e *Entry, u *url.URL, src integration.Source, contioReq bool, resp map[string]string) {
	add := func(code, redirect string) {
		if code == "" || b.codes[code] {
			return
		}
		b.codes[code] = true
		b.cap.Steps = append(b.cap.Steps, integration.FlowStep{Kind: integration.FlowCode, At: src, Status: e.Response.Status, Code: code, RedirectURI: redirect})
	}
	status := e.Response.Status
	if status >= 300 && status < 400 {
		loc := firstNonEmpty(e.Response.Header("Location"), e.Response.RedirectURL)
		if lu, err := url.Parse(loc); err == nil && loc != "" {
			if lu.IsAbs() || contioReq {
				add(lu.Query().Get("code"), redirectBase(lu))
			}
		}
	}
	if contioReq && u.Path == "/oauth2/authorize" && status >= 200 && status < 300 && resp["code"] != "" {
		redirect := ""
		if ru, err := url.Parse(resp["redirect_url"]); err == nil && resp["redirect_url"] != "" {
			redirect = redirectBase(ru)
		}
		add(resp["code"], redirect)
	}
	if !contioReq && u.Query().Get("code") != "" {
		add(u.Query().Get("code"), redirectBase(u))
	}
}

// redirectBase is a callback URL without the parameters the authorization
// server adds (code, state, iss): the redirect_uri it was sent to.
func redirectBase(u *url.URL) string {
	q := u.Query()
	for _, k := range []string{"code", "state", "iss", "session_state", "error", "error_description"} {
		q.Del(k)
	}
	c := *u
	c.RawQuery = q.Encode()
	c.Fragment, c.RawFragment = "", ""
	return c.String()
}

// fillAuthorize sets client_id, redirect_uri, scopes and the authorization
// URL from the first authorization request.
func (b *builder) fillAuthorize(u *url.URL, src integration.Source, step integration.FlowStep) {
	o := &b.ig.OAuth
	if o.RedirectURI.Set {
		return
	}
	val := func(s string) integration.Value { return integration.Value{Raw: s, Set: true, From: src} }
	if step.ClientID != "" {
		o.ClientID = val(step.ClientID)
	}
	if step.RedirectURI != "" {
		o.RedirectURI = val(step.RedirectURI)
	}
	if step.Scope != "" {
		o.ScopesSet, o.ScopesFrom = true, src
		o.Scopes = nil
		for _, s := range strings.Fields(step.Scope) {
			o.Scopes = append(o.Scopes, val(s))
		}
	}
	if u != nil {
		o.AuthorizationURL = val(u.String())
	}
}

// scopeParam reads "scope" (space-separated, as RFC 6749 has it) or the
// spec's repeated "scopes".
func scopeParam(q params) string {
	if s := q.all("scope"); s != "" {
		return s
	}
	return q.all("scopes")
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
