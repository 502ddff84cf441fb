package har

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// Options steer Load.
type Options struct {
	// File names the capture in every Source.
	File string
	// APIURL and AuthURL add their hosts to the Contio hosts (sandbox,
	// staging, a proxy in front of the API).
	APIURL, AuthURL string
	// MaxBody bounds the bodies kept (0: DefaultMaxBody).
	MaxBody int
	// MaxCalls bounds the observed calls kept (0: 200,000); entries past
	// it are still scanned for secrets and flow steps.
	MaxCalls int
}

// LoadFile reads the capture at path; see Load.
func LoadFile(path string, opts Options) (*integration.Integration, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open capture: %w", err)
	}
	defer f.Close()
	if opts.File == "" {
		opts.File = path
	}
	return Load(f, opts)
}

// Load reads a capture into an Integration: each request to a Contio host
// becomes an observed call, the OAuth and sign-in requests become flow
// steps, and what the capture shows of the client (client_id, scopes,
// redirect_uri, tokens, API key) fills the matching fields, each pointing
// at the entry it came from.
func Load(r io.Reader, opts Options) (*integration.Integration, error) {
	b := newBuilder(opts)
	rd := NewReader(r, opts.MaxBody)
	for {
		e, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", displayName(opts.File), err)
		}
		b.add(e)
	}
	return b.finish(), nil
}

func displayName(file string) string {
	if file == "" {
		return "capture"
	}
	return file
}

type builder struct {
	opts    Options
	hosts   map[string]bool
	ig      *integration.Integration
	cap     *integration.Capture
	secrets map[string]bool
	// codes maps an issued authorization code to its step index, so a
	// callback that repeats it is not counted as a second issue.
	codes map[string]bool
}

func newBuilder(opts Options) *builder {
	if opts.MaxCalls <= 0 {
		opts.MaxCalls = 200_000
	}
	b := &builder{
		opts:    opts,
		hosts:   map[string]bool{contio.APIHost: true, contio.AuthHost: true, contio.BetaAPIHost: true},
		secrets: map[string]bool{},
		codes:   map[string]bool{},
		cap:     &integration.Capture{File: opts.File},
	}
	for _, raw := range []string{opts.APIURL, opts.AuthURL} {
		if u, err := url.Parse(strings.TrimSpace(raw)); err == nil && u.Host != "" {
			b.hosts[strings.ToLower(u.Host)] = true
			b.hosts[strings.ToLower(u.Hostname())] = true
		}
	}
	b.ig = &integration.Integration{ConfigPath: opts.File, Version: 1, Capture: b.cap}
	if opts.APIURL != "" {
		b.ig.APIURL = integration.Value{Raw: opts.APIURL, Set: true}
	}
	if opts.AuthURL != "" {
		b.ig.AuthURL = integration.Value{Raw: opts.AuthURL, Set: true}
	}
	return b
}

func (b *builder) finish() *integration.Integration {
	return b.ig
}

// secret records a value that must never be printed.
func (b *builder) secret(v string) {
	v = strings.TrimSpace(v)
	if len(v) < 4 || b.secrets[v] {
		return
	}
	b.secrets[v] = true
	b.cap.Secrets = append(b.cap.Secrets, v)
}

// secretParams are parameter names (query, form, JSON) whose values are
// secrets wherever they appear.
var secretParams = map[string]bool{
	"access_token": true, "refresh_token": true, "id_token": true, "client_secret": true,
	"password": true, "passwd": true, "otp": true, "api_key": true, "apikey": true,
	"code_verifier": true, "assertion": true, "client_assertion": true, "token": true,
	"session": true, "secret": true, "webhook_secret": true, "key": true,
}

// secretHeaders carry credentials in full.
var secretHeaders = map[string]bool{
	"authorization": true, "proxy-authorization": true, "x-api-key": true,
	"cookie": true, "set-cookie": true, "x-auth-token": true, "x-csrf-token": true,
}

// harvest records every secret an entry shows, whatever its host: the
// redacted copy of a capture goes into tickets.
func (b *builder) harvest(e *Entry, u *url.URL, reqForm, respJSON map[string]string) {
	for _, hs := range [][]Header{e.Request.Headers, e.Response.Headers} {
		for _, h := range hs {
			name := strings.ToLower(h.Name)
			if !secretHeaders[name] {
				continue
			}
			b.secret(h.Value)
			switch name {
			case "authorization", "proxy-authorization":
				if _, cred, ok := strings.Cut(strings.TrimSpace(h.Value), " "); ok {
					b.secret(cred)
					if id, sec, ok := decodeBasicPair(h.Value); ok {
						_ = id
						b.secret(sec)
					}
				}
			case "cookie":
				for _, part := range strings.Split(h.Value, ";") {
					if _, v, ok := strings.Cut(part, "="); ok {
						b.secret(v)
					}
				}
			case "set-cookie":
				first, _, _ := strings.Cut(h.Value, ";")
				if _, v, ok := strings.Cut(first, "="); ok {
					b.secret(v)
				}
			}
		}
	}
	for _, c := range append(slices.Clone(e.Request.Cookies), e.Response.Cookies...) {
		b.secret(c.Value)
	}
	if u != nil {
		b.secretQuery(u.RawQuery, true)
		b.secretQuery(u.Fragment, true)
	}
	for _, loc := range []string{e.Response.Header("Location"), e.Response.RedirectURL} {
		if lu, err := url.Parse(loc); err == nil && loc != "" {
			b.secretQuery(lu.RawQuery, true)
			b.secretQuery(lu.Fragment, true)
		}
	}
	oauthPath := u != nil && contio.ClassOf(u.Path) == contio.ClassOAuth
	for k, v := range reqForm {
		if secretParams[k] || (k == "code" && oauthPath) {
			b.secret(v)
		}
	}
	if e.Request.PostData != nil {
		for _, p := range e.Request.PostData.Params {
			if secretParams[strings.ToLower(p.Name)] || p.Name == "code" {
				b.secret(p.Value)
			}
		}
	}
	for k, v := range respJSON {
		// "code" in an error body is the error code, not a secret.
		if secretParams[k] || (k == "code" && e.Response.Status < 400 && oauthPath) {
			b.secret(v)
		}
	}
}

// secretQuery records secret-named parameters of a query; withCode also
// takes "code" (an authorization code in a callback URL).
func (b *builder) secretQuery(raw string, withCode bool) {
	if raw == "" {
		return
	}
	q, _ := url.ParseQuery(raw)
	for k, vs := range q {
		lk := strings.ToLower(k)
		if secretParams[lk] || (withCode && lk == "code") {
			for _, v := range vs {
				b.secret(v)
			}
		}
	}
}

// isContio reports whether a request goes to Contio: a Contio host, a
// host given by --api-url/--auth-url, or a path only Contio serves.
func (b *builder) isContio(u *url.URL, method string) bool {
	host := strings.ToLower(u.Host)
	if b.hosts[host] || b.hosts[strings.ToLower(u.Hostname())] || strings.HasSuffix(strings.ToLower(u.Hostname()), ".contio.ai") {
		return true
	}
	p := u.Path
	switch {
	case strings.HasPrefix(p, "/oauth2/"), strings.HasPrefix(p, "/v1/partner/"):
		return true
	case strings.HasPrefix(p, "/auth/"):
		// Apps have /auth/ paths of their own (callbacks): only the
		// catalogue's count.
		ep, allowed := contio.Lookup(strings.ToUpper(method), p)
		return ep != nil || len(allowed) > 0
	}
	return false
}

func (b *builder) add(e *Entry) {
	b.cap.Entries++
	u, err := url.Parse(e.Request.URL)
	if err != nil || e.Request.URL == "" {
		u = nil
	}
	reqForm := requestParams(&e.Request)
	var respJSON map[string]string
	if u == nil || worthParsing(e, u) {
		respJSON = jsonFields(&e.Response.Content)
	}
	b.harvest(e, u, reqForm, respJSON)
	if u == nil {
		return
	}
	src := integration.Source{File: b.opts.File, HAREntry: e.Index, HARTime: e.Started, URL: redactURL(u)}
	contioReq := b.isContio(u, e.Request.Method)
	b.flow(e, u, src, contioReq, reqForm, respJSON)
	if !contioReq || len(b.ig.Calls) >= b.opts.MaxCalls || pageLoad(e, u) {
		return
	}
	b.call(e, u, src, respJSON)
}

// pageLoad reports whether an entry is a browser loading a sign-in page:
// a GET answered with HTML on a path the API catalogue does not list. It
// is part of the flow, not an API call the integration makes.
func pageLoad(e *Entry, u *url.URL) bool {
	if !strings.EqualFold(e.Request.Method, "GET") {
		return false
	}
	mt, _, _ := mime.ParseMediaType(firstNonEmpty(e.Response.Content.MimeType, e.Response.Header("Content-Type")))
	if mt != "text/html" {
		return false
	}
	ep, allowed := contio.Lookup("GET", u.Path)
	return ep == nil && len(allowed) == 0
}

// redactURL is the URL as findings show it: secret-named query values
// replaced, so a Location can be printed even before redaction.
func redactURL(u *url.URL) string {
	if u.RawQuery == "" {
		c := *u
		c.Fragment, c.RawFragment = "", ""
		return c.String()
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		c := *u
		c.RawQuery, c.Fragment, c.RawFragment = "", "", ""
		return c.String() + "?…"
	}
	for k := range q {
		lk := strings.ToLower(k)
		if secretParams[lk] || lk == "code" {
			q[k] = []string{"…"}
		}
	}
	c := *u
	c.RawQuery = q.Encode()
	c.Fragment, c.RawFragment = "", ""
	return c.String()
}

// keptResponseHeaders are the response headers checks read.
var keptResponseHeaders = []string{"Retry-After", "X-Ratelimit-Limit", "X-Ratelimit-Remaining", "X-Ratelimit-Reset", "Www-Authenticate", "Allow"}

func (b *builder) call(e *Entry, u *url.URL, src integration.Source, respJSON map[string]string) {
	val := func(s string) integration.Value { return integration.Value{Raw: s, Set: true, From: src} }
	c := integration.Call{
		Name:     val(fmt.Sprintf("entry %d", e.Index)),
		Method:   val(e.Request.Method),
		Path:     val(u.EscapedPath()),
		Host:     val(u.Host),
		At:       src,
		Observed: true,
		Status:   e.Response.Status,
		Started:  e.Started,
	}
	if u.RawPath == "" {
		c.Path = val(u.Path)
	}
	if u.RawQuery != "" {
		c.Query = val(u.RawQuery)
	}
	if e.Time > 0 {
		c.Duration = time.Duration(e.Time * float64(time.Millisecond))
	}
	auth := integration.AuthNone
	for _, h := range e.Request.Headers {
		name := h.Name
		if strings.HasPrefix(name, ":") {
			continue // HTTP/2 pseudo-headers
		}
		if strings.EqualFold(name, "Authorization") {
			if !c.Authorization.Set {
				c.Authorization = val(h.Value)
			}
			continue
		}
		if c.HeaderValues == nil {
			c.HeaderValues = map[string][]string{}
		}
		canon := http.CanonicalHeaderKey(name)
		if _, seen := c.HeaderValues[canon]; !seen {
			c.Headers = append(c.Headers, val(name))
		}
		c.HeaderValues[canon] = append(c.HeaderValues[canon], h.Value)
	}
	if c.Authorization.Set {
		scheme, _, _ := strings.Cut(strings.TrimSpace(c.Authorization.Raw), " ")
		switch strings.ToLower(scheme) {
		case "bearer":
			auth = integration.AuthBearer
		case "basic":
			auth = integration.AuthBasic
		default:
			auth = strings.ToLower(scheme)
		}
	} else if c.HasHeader("X-API-Key") {
		auth = integration.AuthAPIKey
	}
	c.Auth = val(auth)
	for _, name := range keptResponseHeaders {
		for _, h := range e.Response.Headers {
			if strings.EqualFold(h.Name, name) {
				if c.ResponseHeaders == nil {
					c.ResponseHeaders = map[string][]string{}
				}
				c.ResponseHeaders[http.CanonicalHeaderKey(name)] = append(c.ResponseHeaders[http.CanonicalHeaderKey(name)], h.Value)
			}
		}
	}
	if e.Response.Status >= 400 {
		c.RequestID = respJSON["request_id"]
		c.ErrorCode, c.ErrorMessage = errorBody(respJSON)
		if c.RequestID == "" {
			c.RequestID = e.Response.Header("X-Request-Id")
		}
	}
	b.fillFromCall(&c, u)
	b.ig.Calls = append(b.ig.Calls, c)
}

// fillFromCall sets the integration's API URL, client credentials, tokens
// and API key from the first call that shows them.
func (b *builder) fillFromCall(c *integration.Call, u *url.URL) {
	ig := b.ig
	origin := u.Scheme + "://" + u.Host
	switch cl := contio.ClassOf(u.Path); {
	case (cl == contio.ClassUser || cl == contio.ClassAdmin) && !ig.APIURL.Set:
		ig.APIURL = integration.Value{Raw: origin, Set: true, From: c.At}
	case cl == contio.ClassOAuth && !ig.AuthURL.Set:
		ig.AuthURL = integration.Value{Raw: origin, Set: true, From: c.At}
	}
	switch c.Auth.Raw {
	case integration.AuthBasic:
		if id, sec, ok := decodeBasicPair(c.Authorization.Raw); ok && !ig.OAuth.ClientSecret.Set {
			if !ig.OAuth.ClientID.Set {
				ig.OAuth.ClientID = integration.Value{Raw: id, Set: true, From: c.At}
			}
			// A trailing line end is the Basic checks' finding (CD1103).
			ig.OAuth.ClientSecret = integration.Value{Raw: trimLineEnd(sec), Set: true, From: c.At}
		}
	case integration.AuthBearer:
		_, tok, _ := strings.Cut(strings.TrimSpace(c.Authorization.Raw), " ")
		if !ig.Tokens.AccessToken.Set && contio.ClassOf(u.Path) == contio.ClassUser {
			ig.Tokens.AccessToken = integration.Value{Raw: strings.TrimSpace(tok), Set: true, From: c.At}
		}
	}
	if vs := c.HeaderValues["X-Api-Key"]; len(vs) > 0 && !ig.Admin.APIKey.Set {
		ig.Admin.APIKey = integration.Value{Raw: vs[0], Set: true, From: c.At}
		if ids := c.HeaderValues["X-Client-Id"]; len(ids) > 0 {
			ig.Admin.ClientID = integration.Value{Raw: ids[0], Set: true, From: c.At}
		}
	}
}

func trimLineEnd(s string) string {
	for _, end := range []string{"\r\n", "\n", "\r"} {
		if strings.HasSuffix(s, end) {
			return strings.TrimSuffix(s, end)
		}
	}
	return s
}

// decodeBasicPair decodes "Basic base64(id:secret)".
func decodeBasicPair(h string) (id, secret string, ok bool) {
	scheme, enc, found := strings.Cut(strings.TrimSpace(h), " ")
	if !found || !strings.EqualFold(scheme, "basic") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
	if err != nil {
		return "", "", false
	}
	id, secret, ok = strings.Cut(string(raw), ":")
	return id, secret, ok
}

// requestParams are the request's parameters: the form or JSON body
// (top-level strings), else postData.params. Query parameters are apart.
func requestParams(q *Request) map[string]string {
	pd := q.PostData
	if pd == nil {
		return nil
	}
	out := map[string]string{}
	for _, p := range pd.Params {
		if _, ok := out[p.Name]; !ok {
			out[p.Name] = p.Value
		} else if isScopeParam(p.Name) {
			out[p.Name] += " " + p.Value
		}
	}
	data, ok := pd.Bytes()
	if !ok || len(data) == 0 {
		return out
	}
	mt, _, _ := mime.ParseMediaType(pd.MimeType)
	if mt == "" {
		mt, _, _ = mime.ParseMediaType(q.Header("Content-Type"))
	}
	trimmed := strings.TrimSpace(string(data))
	if mt == "application/json" || strings.HasPrefix(trimmed, "{") {
		for k, v := range flatJSON(data) {
			out[k] = v
		}
		return out
	}
	if form, err := url.ParseQuery(trimmed); err == nil {
		for k, vs := range form {
			switch {
			case len(vs) > 1 && isScopeParam(k):
				out[k] = strings.Join(vs, " ")
			case len(vs) > 0:
				out[k] = vs[0]
			}
		}
	}
	return out
}

// isScopeParam: a consent form sends scope once per ticked box, which
// means the same as one space-separated value.
func isScopeParam(name string) bool { return name == "scope" || name == "scopes" }

// worthParsing reports whether a response body may hold what the doctor
// reads (an error, a token, a code, a session): parsing every JSON body of
// a large capture would cost more than reading it.
func worthParsing(e *Entry, u *url.URL) bool {
	if e.Response.Status >= 300 || contio.ClassOf(u.Path) == contio.ClassOAuth {
		return true
	}
	t := e.Response.Content.Text
	if strings.EqualFold(e.Response.Content.Encoding, "base64") {
		return len(t) < 16<<10
	}
	for _, k := range []string{"_token", "secret", "session", "api_key"} {
		if strings.Contains(t, k) {
			return true
		}
	}
	return false
}

// jsonFields are the top-level string (and boolean) fields of a JSON
// response body, or nil.
// errorBody reads the code and text of a JSON error body in either shape
// Contio uses: the spec's and SDK's {code, message} (user and admin answers
// add "error", a sentence) and the docs' OAuth-style {error,
// error_description}, where "error" is the code.
func errorBody(resp map[string]string) (code, message string) {
	code = resp["code"]
	if code == "" {
		code = resp["error"]
	}
	message = resp["message"]
	if message == "" {
		message = resp["error_description"]
	}
	if message == "" && resp["error"] != code {
		message = resp["error"]
	}
	return code, message
}

func jsonFields(c *Body) map[string]string {
	data, ok := c.Bytes()
	if !ok || len(data) == 0 {
		return nil
	}
	return flatJSON(data)
}

func flatJSON(data []byte) map[string]string {
	var m map[string]any
	if json.Unmarshal(data, &m) != nil {
		return nil
	}
	out := map[string]string{}
	for k, v := range m {
		switch v := v.(type) {
		case string:
			out[k] = v
		case bool:
			out[k] = fmt.Sprint(v)
		case []any:
			// The spec's "scopes" is an array.
			var parts []string
			for _, x := range v {
				if s, ok := x.(string); ok {
					parts = append(parts, s)
				}
			}
			out[k] = strings.Join(parts, " ")
		}
	}
	return out
}
