package har

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/redact"
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
	// Context bounds the loading (nil: none): `har --timeout` covers
	// reading the capture, not only the checks after it.
	Context context.Context
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
	batches := make(chan loadBatch, loadBatches)
	stop := make(chan struct{})
	defer close(stop)
	// Parsing and building each take about half of a large capture's
	// time: the reader parses the next entries while the builder digests
	// the last ones, on two cores. Entries own their strings, so they may
	// cross; the channel bounds what waits (loadBatches × loadBatchSize).
	go readBatches(NewReader(r, opts.MaxBody), opts, batches, stop)
	for batch := range batches {
		for _, e := range batch.entries {
			b.add(e)
		}
		if batch.err != nil {
			return nil, batch.err
		}
	}
	return b.finish(), nil
}

// loadBatch is a run of entries the reader hands the builder, and the
// error that ended the capture, if any.
type loadBatch struct {
	entries []*Entry
	err     error
}

const (
	loadBatchSize = 64
	loadBatches   = 4
)

// readBatches reads rd to its end (or its first error, or opts.Context's)
// in batches, and closes out.
func readBatches(rd *Reader, opts Options, out chan<- loadBatch, stop <-chan struct{}) {
	defer close(out)
	send := func(b loadBatch) bool {
		select {
		case out <- b:
			return true
		case <-stop:
			return false
		}
	}
	batch := make([]*Entry, 0, loadBatchSize)
	for n := 0; ; n++ {
		if opts.Context != nil && n%64 == 0 {
			if err := opts.Context.Err(); err != nil {
				send(loadBatch{batch, fmt.Errorf("read %s: stopped after %d entries: %w", displayName(opts.File), n, err)})
				return
			}
		}
		e, err := rd.Next()
		if errors.Is(err, io.EOF) {
			send(loadBatch{entries: batch})
			return
		}
		if err != nil {
			send(loadBatch{batch, fmt.Errorf("read %s: %w", displayName(opts.File), err)})
			return
		}
		batch = append(batch, e)
		if len(batch) == loadBatchSize {
			if !send(loadBatch{entries: batch}) {
				return
			}
			batch = make([]*Entry, 0, loadBatchSize)
		}
	}
}

func displayName(file string) string {
	if file == "" {
		return "capture"
	}
	return file
}

// Session turns exchanges into the Integration the checks read, one
// exchange at a time: Load feeds it a capture's entries, a capture proxy
// feeds it each request/response as it passes (build the Entry with
// ExchangeEntry). Each exchange becomes at most one compact per-call
// record (an integration.Call: method, path, host, auth scheme, header
// names and the values checks read, status, error code, timing) and the
// OAuth and sign-in steps it shows; the bodies are read then dropped.
// Every credential the exchange shows is remembered for redaction.
// A Session is safe for concurrent use.
type Session struct {
	mu sync.Mutex
	b  *builder
}

// NewSession starts an empty session.
func NewSession(opts Options) *Session { return &Session{b: newBuilder(opts)} }

// Add reads one exchange into the session.
func (s *Session) Add(e *Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.add(e)
}

// Integration returns what the session has seen so far, as a copy the
// caller may hand to the checks while more exchanges are added.
func (s *Session) Integration() *integration.Integration {
	s.mu.Lock()
	defer s.mu.Unlock()
	ig := *s.b.ig
	c := *s.b.cap
	c.Steps = slices.Clone(c.Steps)
	c.Secrets = slices.Clone(c.Secrets)
	ig.Capture = &c
	ig.Calls = slices.Clone(ig.Calls)
	return &ig
}

// ExchangeEntry builds the Entry of one exchange seen live (index is its
// 1-based position; resp nil when the request got no response).
func ExchangeEntry(index int, req *http.Request, reqBody []byte, resp *http.Response, respBody []byte, started time.Time, elapsed time.Duration) *Entry {
	e := &Entry{Index: index, Started: started, StartedRaw: started.UTC().Format(time.RFC3339Nano), Time: float64(elapsed) / float64(time.Millisecond)}
	e.Request = Request{Method: req.Method, URL: req.URL.String(), HTTPVersion: req.Proto}
	for k, vs := range req.Header {
		for _, v := range vs {
			e.Request.Headers = append(e.Request.Headers, Header{k, v})
		}
	}
	if req.Host != "" && req.URL.Host == "" {
		e.Request.Headers = append(e.Request.Headers, Header{"Host", req.Host})
	}
	if len(reqBody) > 0 {
		e.Request.PostData = bodyOf(reqBody, req.Header.Get("Content-Type"))
	}
	if resp == nil {
		return e
	}
	e.Response.Status, e.Response.StatusText = resp.StatusCode, http.StatusText(resp.StatusCode)
	for k, vs := range resp.Header {
		for _, v := range vs {
			e.Response.Headers = append(e.Response.Headers, Header{k, v})
		}
	}
	e.Response.RedirectURL = resp.Header.Get("Location")
	if len(respBody) > 0 {
		e.Response.Content = *bodyOf(respBody, resp.Header.Get("Content-Type"))
	}
	return e
}

func bodyOf(data []byte, mimeType string) *Body {
	b := &Body{MimeType: mimeType}
	if len(data) > DefaultMaxBody {
		b.Truncated = true
		return b
	}
	if utf8.Valid(data) {
		b.Text = string(data)
	} else {
		b.Text, b.Encoding = base64.StdEncoding.EncodeToString(data), "base64"
	}
	return b
}

type builder struct {
	opts Options
	// hosts are Contio's: host:port as the URL names it, with the
	// scheme's default port made explicit.
	hosts   map[string]bool
	ig      *integration.Integration
	cap     *integration.Capture
	secrets map[string]bool
	// codes maps an issued authorization code to its step index, so a
	// callback that repeats it is not counted as a second issue.
	codes map[string]bool
	// keyVerdicts caches redact.IsSecretName of header, field and key names.
	keyVerdicts map[string]bool
	// shapes maps a call's shape to its index in ig.Calls (bounded).
	shapes map[string]int32
	// tokens maps an Authorization value to its index in cap.Tokens.
	tokens map[string]int32
}

func newBuilder(opts Options) *builder {
	if opts.MaxCalls <= 0 {
		opts.MaxCalls = 200_000
	}
	b := &builder{
		opts:        opts,
		hosts:       map[string]bool{contio.APIHost + ":443": true, contio.AuthHost + ":443": true, contio.BetaAPIHost + ":443": true},
		secrets:     map[string]bool{},
		codes:       map[string]bool{},
		keyVerdicts: map[string]bool{},
		shapes:      map[string]int32{},
		tokens:      map[string]int32{},
		cap:         &integration.Capture{File: opts.File},
	}
	for _, raw := range []string{opts.APIURL, opts.AuthURL} {
		if u, err := url.Parse(strings.TrimSpace(raw)); err == nil && u.Host != "" {
			b.hosts[hostPort(u)] = true
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

// hostPort is u's host and port, lower-case, the port explicit.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "http", "ws":
			port = "80"
		default:
			port = "443"
		}
	}
	return strings.ToLower(u.Hostname()) + ":" + port
}

func (b *builder) finish() *integration.Integration {
	return b.ig
}

// secret records a value that must never be printed.
func (b *builder) secret(v string) {
	v = strings.TrimSpace(v)
	if len(v) < 4 || b.secrets[v] || v == "true" || v == "false" || v == "null" {
		return
	}
	b.secrets[v] = true
	b.cap.Secrets = append(b.cap.Secrets, v)
}

// secretField records the value of a field whose name says it holds a
// credential (redact.IsSecretName).
func (b *builder) secretField(name, value string) {
	if b.isSecretName(name) && !isErrorCode(value) {
		b.secret(value)
	}
}

// harvest records every secret an entry shows, whatever its host: the
// redacted copy of a capture goes into tickets. A header, query
// parameter, form field or JSON key at any depth whose name says
// credential is a secret; a body that does not parse is one whole.
func (b *builder) harvest(e *Entry, u *url.URL, body requestBody, respWhole any, respParsed bool) {
	for _, hs := range [][]Header{e.Request.Headers, e.Response.Headers} {
		for _, h := range hs {
			name := strings.ToLower(h.Name)
			if !b.isSecretName(name) {
				continue
			}
			// The credential inside the header is the secret; the whole
			// value is one too only when it cannot be split (masking the
			// parts masks the whole, and each rotating token is then one
			// pattern, not two).
			switch name {
			case "cookie":
				split := false
				for _, part := range strings.Split(h.Value, ";") {
					if _, v, ok := strings.Cut(part, "="); ok && len(strings.TrimSpace(v)) >= 4 {
						b.secret(v)
						split = true
					}
				}
				if !split {
					b.secret(h.Value)
				}
			case "set-cookie":
				first, _, _ := strings.Cut(h.Value, ";")
				if _, v, ok := strings.Cut(first, "="); ok && len(strings.TrimSpace(v)) >= 4 {
					b.secret(v)
				} else {
					b.secret(h.Value)
				}
			default:
				// "Bearer x", "Basic x", "Signature t=…,v1=…".
				scheme, cred, ok := strings.Cut(strings.TrimSpace(h.Value), " ")
				if !ok || len(strings.TrimSpace(cred)) < 4 || strings.ContainsAny(strings.TrimSpace(cred), " ,") {
					b.secret(h.Value)
				}
				if ok {
					b.secret(cred)
					if _, sec, ok := decodeBasicPair(h.Value); ok {
						b.secret(sec)
					}
				}
				_ = scheme
			}
		}
	}
	for _, c := range append(slices.Clone(e.Request.Cookies), e.Response.Cookies...) {
		b.secret(c.Value)
	}
	if u != nil {
		b.secretQuery(u.RawQuery)
		b.secretQuery(u.Fragment)
	}
	for _, loc := range []string{e.Response.Header("Location"), e.Response.RedirectURL} {
		if lu, err := url.Parse(loc); err == nil && loc != "" {
			b.secretQuery(lu.RawQuery)
			b.secretQuery(lu.Fragment)
		}
	}
	for k, vs := range body.fields {
		for _, v := range vs {
			b.secretField(k, v)
		}
	}
	if body.json != nil {
		walkJSON(body.json, "", b.secretField)
	}
	if body.unparsed != "" {
		b.secret(body.unparsed)
	}
	if respWhole != nil {
		failed := e.Response.Status >= 400
		walkJSON(respWhole, "", func(k, v string) {
			// "code" in an error body is the error code, not a secret.
			if failed && (k == "code" || k == "error") {
				return
			}
			b.secretField(k, v)
		})
	}
	if !respParsed {
		if t := e.Response.Content.Text; len(t) <= DefaultMaxBody {
			b.secret(t)
		}
	}
}

// secretQuery records the credential-named parameters of a query (any
// name that says credential: access_token, accessToken, sig, x-api-key);
// a query with a bad escape is a secret whole.
func (b *builder) secretQuery(raw string) {
	if raw == "" {
		return
	}
	q, ok := parseQuery(raw)
	if !ok {
		b.secret(raw)
	}
	for k, vs := range q {
		for _, v := range vs {
			b.secretField(k, v)
		}
	}
}

// isContio reports whether a request goes to Contio: a Contio host, a
// host given by --api-url/--auth-url, or a host that served a path only
// Contio serves (it is then Contio for the rest of the capture). The
// partner's own hosts stay the partner's, on loopback too: its callback
// on 127.0.0.1:3000 is not the sandbox on 127.0.0.1:8080.
func (b *builder) isContio(u *url.URL, method string) bool {
	hp := hostPort(u)
	if b.hosts[hp] || strings.HasSuffix(strings.ToLower(u.Hostname()), ".contio.ai") {
		return true
	}
	p := u.Path
	contioPath := false
	switch {
	case strings.HasPrefix(p, "/oauth2/"), strings.HasPrefix(p, "/v1/partner/"):
		contioPath = true
	case strings.HasPrefix(p, "/auth/"):
		// Apps have /auth/ paths of their own (callbacks): only the
		// catalogue's count.
		ep, allowed := contio.Lookup(strings.ToUpper(method), p)
		contioPath = ep != nil || len(allowed) > 0
	}
	if contioPath && len(b.hosts) <= 64 {
		b.hosts[hp] = true
	}
	return contioPath
}

// browserAsset reports whether an entry is a page asset a browser fetched
// on its own (a stylesheet, an image, the favicon): no client code made it.
func browserAsset(e *Entry, u *url.URL) bool {
	switch strings.ToLower(e.ResourceType) {
	case "stylesheet", "image", "font", "media", "script", "manifest", "texttrack", "ping", "csp_violation_report":
		return true
	}
	return u.Path == "/favicon.ico"
}

func (b *builder) add(e *Entry) {
	b.cap.Entries++
	u, err := url.Parse(e.Request.URL)
	if err != nil || e.Request.URL == "" {
		u = nil
	}
	body := readRequestBody(&e.Request)
	var respFields map[string]string
	var respWhole any
	respParsed := true
	if u == nil || b.worthParsing(e, u) {
		respFields, respWhole, respParsed = responseJSON(&e.Response.Content)
	}
	b.harvest(e, u, body, respWhole, respParsed)
	if u == nil {
		return
	}
	src := integration.Source{File: b.opts.File, HAREntry: e.Index, HARTime: e.Started, URL: redactURL(u)}
	contioReq := b.isContio(u, e.Request.Method)
	errCode, errMsg := errorOf(e, respFields)
	if errCode == "" && e.Response.Status == 400 && contioReq && isCodeStep(e, u, body.fields) {
		// The one-time-code page shows its refusal as a sentence: a 400
		// answer to the code step is the code refused.
		errCode = "invalid_code"
	}
	b.flow(e, u, src, contioReq, body.fields, respFields, errCode)
	if !contioReq || len(b.ig.Calls) >= b.opts.MaxCalls || browserAsset(e, u) || pageLoad(e, u) {
		return
	}
	b.call(e, u, src, respFields, errCode, errMsg)
}

// isCodeStep reports whether a request submits a one-time code: the
// sign-in page's code step or /auth/verify.
func isCodeStep(e *Entry, u *url.URL, fields params) bool {
	if !strings.EqualFold(e.Request.Method, "POST") {
		return false
	}
	switch u.Path {
	case "/auth/verify":
		return true
	case "/oauth2/authorize":
		st := fields.get("step")
		return fields.get("client_id") == "" && (st == "otp" || st == "code" || st == "verify")
	}
	return false
}

// errorOf is the error an exchange answered with: the code of a JSON
// error body, of an HTML error page, or of the error parameter of a
// redirect (RFC 6749 §4.1.2.1), with its message.
func errorOf(e *Entry, resp map[string]string) (code, message string) {
	status := e.Response.Status
	switch {
	case status >= 300 && status < 400:
		loc := firstNonEmpty(e.Response.Header("Location"), e.Response.RedirectURL)
		if lu, err := url.Parse(loc); err == nil && loc != "" {
			q, _ := parseQuery(lu.RawQuery)
			if q.get("error") == "" {
				q, _ = parseQuery(lu.Fragment)
			}
			return q.get("error"), q.get("error_description")
		}
		return "", ""
	case status < 400:
		return "", ""
	}
	if c := firstNonEmpty(resp["code"], resp["error"]); c != "" {
		return c, firstNonEmpty(resp["message"], resp["error_description"])
	}
	mt, _, _ := mime.ParseMediaType(e.Response.Content.MimeType)
	if mt == "" {
		mt, _, _ = mime.ParseMediaType(e.Response.Header("Content-Type"))
	}
	if mt == "text/html" || mt == "application/xhtml+xml" {
		if data, ok := e.Response.Content.Bytes(); ok {
			return htmlError(string(data))
		}
	}
	return "", ""
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
		if redact.IsSecretName(k) {
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

func (b *builder) call(e *Entry, u *url.URL, src integration.Source, respJSON map[string]string, errCode, errMsg string) {
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
	c.ErrorCode, c.ErrorMessage = errCode, errMsg
	if e.Response.Status >= 400 || errCode != "" {
		c.RequestID = respJSON["request_id"]
		if c.RequestID == "" {
			c.RequestID = e.Response.Header("X-Request-Id")
		}
	}
	if c.Status >= 200 && c.Status < 300 && errCode == "" {
		key := callShape(&c)
		if of, ok := b.shapes[key]; ok {
			shape := &b.ig.Calls[of]
			r := integration.CallRepeat{Of: of, Entry: int32(e.Index), Status: int32(c.Status),
				Started: c.Started.UnixNano(), Duration: c.Duration, Path: c.Path.Raw, Query: c.Query.Raw, Token: -1}
			if c.Authorization.Raw != shape.Authorization.Raw {
				t, ok := b.tokens[c.Authorization.Raw]
				if !ok {
					t = int32(len(b.cap.Tokens))
					b.tokens[c.Authorization.Raw] = t
					b.cap.Tokens = append(b.cap.Tokens, c.Authorization.Raw)
				}
				r.Token = t
			}
			// Share the shape's strings where they are the same: a
			// repeat then costs its fixed few dozen bytes only.
			if r.Path == shape.Path.Raw {
				r.Path = shape.Path.Raw
			}
			if r.Query == shape.Query.Raw {
				r.Query = shape.Query.Raw
			}
			if len(b.cap.Repeats) == cap(b.cap.Repeats) {
				// Grow by a quarter, not double: the slice is most of the
				// memory a large capture costs.
				grown := make([]integration.CallRepeat, len(b.cap.Repeats), len(b.cap.Repeats)+len(b.cap.Repeats)/4+1024)
				copy(grown, b.cap.Repeats)
				b.cap.Repeats = grown
			}
			b.cap.Repeats = append(b.cap.Repeats, r)
			return
		}
		if len(b.shapes) < maxShapes {
			b.shapes[key] = int32(len(b.ig.Calls))
		}
	}
	b.fillFromCall(&c, u)
	b.ig.Calls = append(b.ig.Calls, c)
}

// perRequestHeader reports the headers that change with every request:
// their values are no part of a call's shape.
func perRequestHeader(name string) bool {
	switch name {
	case "X-Request-Id", "Idempotency-Key", "Traceparent", "Tracestate", "X-Amzn-Trace-Id", "Date",
		"Content-Length", "X-Ratelimit-Remaining", "X-Ratelimit-Reset", "Sentry-Trace", "Baggage",
		"X-Correlation-Id":
		return true
	}
	return false
}

// maxShapes bounds the distinct call shapes remembered; calls past it are
// kept whole.
const maxShapes = 50_000

// callShape is what makes two successful calls the same to every check
// but the rate and retry ones: method, host, path template, credentials,
// header names and values, and the response headers checks read.
func callShape(c *integration.Call) string {
	var b strings.Builder
	path := c.Path.Raw
	if ep, _ := contio.Lookup(strings.ToUpper(c.Method.Raw), path); ep != nil {
		path = ep.Path
	}
	authz := c.Authorization.Raw
	if c.Auth.Raw == integration.AuthBearer {
		// Bearer tokens rotate: a repeat keeps its own (CallRepeat.Token).
		authz = "Bearer"
	}
	b.WriteString(c.Method.Raw + " " + c.Host.Raw + path + "\x00" + authz + "\x00" + c.Auth.Raw)
	for _, h := range c.Headers {
		b.WriteString("\x00" + h.Raw)
		canon := http.CanonicalHeaderKey(h.Raw)
		if !perRequestHeader(canon) {
			b.WriteString(":" + strings.Join(c.HeaderValues[canon], "\x01"))
		}
	}
	for _, name := range keptResponseHeaders {
		if vs := c.ResponseHeaders[name]; len(vs) > 0 && !perRequestHeader(name) {
			b.WriteString("\x00<" + name + ":" + strings.Join(vs, "\x01"))
		}
	}
	return b.String()
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

// worthParsing reports whether a response body may hold what the doctor
// reads (an error, a token, a code, a session, a credential under any
// key): decoding every JSON body of a large capture would cost more than
// reading it, so ordinary bodies are only scanned for their keys.
func (b *builder) worthParsing(e *Entry, u *url.URL) bool {
	if e.Response.Status >= 300 || contio.ClassOf(u.Path) == contio.ClassOAuth {
		return true
	}
	t := e.Response.Content.Text
	if strings.EqualFold(e.Response.Content.Encoding, "base64") {
		return len(t) < 16<<10
	}
	return b.hasSecretKey(t)
}

// isSecretName is redact.IsSecretName, judged once per distinct name:
// the same header and key names recur in every entry.
func (b *builder) isSecretName(name string) bool {
	secret, seen := b.keyVerdicts[name]
	if !seen {
		secret = redact.IsSecretName(name)
		if len(b.keyVerdicts) < 4096 {
			b.keyVerdicts[name] = secret
		}
	}
	return secret
}

// hasSecretKey reports whether JSON text has a key, at any depth, whose
// name says credential. Keys repeat from body to body, so each distinct
// key is judged once.
func (b *builder) hasSecretKey(t string) bool {
	for from := 0; ; {
		i := strings.Index(t[from:], "\":")
		if i < 0 {
			return false
		}
		i += from
		from = i + 2
		start := strings.LastIndexByte(t[:i], '"')
		if start < 0 {
			continue
		}
		key := t[start+1 : i]
		secret := b.isSecretName(key)
		if secret {
			return true
		}
	}
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
