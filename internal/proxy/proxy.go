// Package proxy is the capture proxy behind `contio-doctor proxy`: a local
// reverse proxy an app points its Contio base URL at. It forwards every
// request to the upstream (the real API or the sandbox) as it came, keeps a
// bounded record of each exchange, and diagnoses the traffic with the same
// checks as `contio-doctor har` while it passes.
//
// Bodies stream through in both directions: the proxy keeps only a prefix
// of each (DefaultMaxBody) for diagnosis, whatever the body's size. Nothing
// it records is printed or written except through internal/redact, with
// every secret the traffic shows (Authorization values, API keys, tokens in
// token responses, client secrets in Basic headers) registered first.
package proxy

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/Contio-AI/contio-doctor/internal/har"
)

// DefaultMaxBody is the prefix of each request and response body kept for
// diagnosis: token, introspection and error bodies are far smaller.
const DefaultMaxBody = 64 << 10

// DefaultMaxEntries bounds the exchanges a session keeps; later ones are
// forwarded and counted but not recorded.
const DefaultMaxEntries = 50_000

// DefaultMaxKept bounds the body bytes a session keeps in all; past it,
// exchanges are recorded without their bodies.
const DefaultMaxKept = 256 << 20

// Options configure a Proxy.
type Options struct {
	// Upstream is the base URL requests are forwarded to (scheme and
	// host; a path prefix is joined in front of each request's path).
	Upstream *url.URL
	// Transport sends the forwarded requests (nil: a clone of
	// http.DefaultTransport). It must not follow redirects (no
	// RoundTripper does).
	Transport http.RoundTripper
	// Clock dates the exchanges (nil: time.Now).
	Clock func() time.Time
	// MaxBody is the body prefix kept (0: DefaultMaxBody).
	MaxBody int
	// MaxEntries bounds the recorded exchanges (0: DefaultMaxEntries).
	MaxEntries int
	// MaxKept bounds the body bytes kept over the session (0:
	// DefaultMaxKept).
	MaxKept int
	// ErrorLog receives the reverse proxy's own errors (a body cut while
	// streaming); nil discards them. It must redact what it prints.
	ErrorLog *log.Logger
	// OnExchange is called after each recorded exchange, outside any lock
	// (the Session's diagnosis hooks in here).
	OnExchange func()
}

// Proxy is an http.Handler that forwards to the upstream and records.
type Proxy struct {
	opts  Options
	rp    *httputil.ReverseProxy
	clock func() time.Time

	mu      sync.Mutex
	records []har.Record
	starts  []time.Time // records[i] started at starts[i]
	dropped int         // exchanges past MaxEntries
	kept    int         // body bytes kept, against MaxKept
}

// New returns a Proxy for opts; Upstream must be an absolute http(s) URL.
func New(opts Options) (*Proxy, error) {
	u := opts.Upstream
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("upstream must be an absolute http:// or https:// URL, e.g. https://api.contio.ai")
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.MaxEntries <= 0 {
		opts.MaxEntries = DefaultMaxEntries
	}
	if opts.MaxKept <= 0 {
		opts.MaxKept = DefaultMaxKept
	}
	if opts.Transport == nil {
		opts.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	p := &Proxy{opts: opts, clock: opts.Clock}
	if p.clock == nil {
		p.clock = time.Now
	}
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			// SetURL also sets the outbound Host to the upstream's, as a
			// reverse proxy must (a virtual-hosted API routes on it).
			r.SetURL(u)
			// ReverseProxy adds a Go User-Agent only when none was sent;
			// an empty one keeps "no User-Agent" as the app sent it.
			if _, ok := r.In.Header["User-Agent"]; !ok {
				r.Out.Header["User-Agent"] = nil
			}
		},
		Transport:      opts.Transport,
		FlushInterval:  -1, // stream: never hold a chunk back
		ModifyResponse: p.modifyResponse,
		ErrorHandler:   p.errorHandler,
		ErrorLog:       opts.ErrorLog,
	}
	if p.rp.ErrorLog == nil {
		p.rp.ErrorLog = log.New(io.Discard, "", 0)
	}
	return p, nil
}

// exchange is one request in flight.
type exchange struct {
	started  time.Time
	headerAt time.Time // response headers arrived
	req      *prefixBody
	resp     *prefixBody
	response *http.Response
	err      error
	outURL   string
}

type ctxKey struct{}

// ServeHTTP forwards r and records the exchange once the response body
// has been copied to the client.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{started: p.clock()}
	in := r.Clone(context.WithValue(r.Context(), ctxKey{}, x))
	if r.Body != nil && r.Body != http.NoBody {
		x.req = newPrefixBody(r.Body, p.opts.MaxBody)
		x.req.length = r.ContentLength
		in.Body = x.req
	}
	out := *p.opts.Upstream
	out.Path, out.RawPath = joinPath(p.opts.Upstream, r.URL)
	out.RawQuery = r.URL.RawQuery
	x.outURL = out.String()
	p.rp.ServeHTTP(w, in)
	p.record(r, x)
}

// joinPath is the upstream's path prefix joined with the request's path,
// as ReverseProxy's SetURL joins them.
func joinPath(base, req *url.URL) (path, rawPath string) {
	if base.Path == "" || base.Path == "/" {
		return req.Path, req.RawPath
	}
	u := *base
	u.Path = strings.TrimSuffix(base.Path, "/") + req.Path
	if req.RawPath != "" {
		u.RawPath = strings.TrimSuffix(base.EscapedPath(), "/") + req.RawPath
	}
	return u.Path, u.RawPath
}

func (p *Proxy) modifyResponse(resp *http.Response) error {
	x, _ := resp.Request.Context().Value(ctxKey{}).(*exchange)
	if x == nil {
		return nil
	}
	x.headerAt = p.clock()
	x.response = resp
	x.resp = newPrefixBody(resp.Body, p.opts.MaxBody)
	resp.Body = x.resp
	return nil
}

func (p *Proxy) errorHandler(w http.ResponseWriter, r *http.Request, err error) {
	if x, _ := r.Context().Value(ctxKey{}).(*exchange); x != nil {
		x.err = err
	}
	// The app sees a gateway error with no detail: the error text may
	// quote a URL with a credential in it.
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusBadGateway)
	_, _ = io.WriteString(w, "contio-doctor proxy: the upstream did not answer\n")
}

// record turns a finished exchange into a HAR entry.
func (p *Proxy) record(in *http.Request, x *exchange) {
	end := p.clock()
	rec := har.Record{
		StartedDateTime: x.started.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		Request:         recordRequest(in, x),
		Response:        har.RecordResponse{HTTPVersion: "HTTP/1.1", Cookies: []har.NameValue{}, Headers: []har.NameValue{}, HeadersSize: -1, BodySize: -1},
	}
	total := ms(end.Sub(x.started))
	if x.response != nil && x.err == nil {
		rec.Response = recordResponse(x.response, x.resp)
		wait := ms(x.headerAt.Sub(x.started))
		rec.Timings = har.Timings{Send: 0, Wait: wait, Receive: max(0, total-wait)}
	} else {
		// HAR writes an exchange without a response as status 0.
		rec.Timings = har.Timings{Wait: total}
	}
	rec.Time = total
	p.mu.Lock()
	size := len(rec.Response.Content.Text)
	if rec.Request.PostData != nil {
		size += len(rec.Request.PostData.Text)
	}
	if p.kept+size > p.opts.MaxKept {
		// Out of body budget: keep the exchange, not its bodies.
		rec.Response.Content.Text, rec.Response.Content.Encoding = "", ""
		if rec.Request.PostData != nil {
			rec.Request.PostData.Text = ""
		}
		size = 0
	}
	if len(p.records) < p.opts.MaxEntries {
		p.kept += size
		p.records = append(p.records, rec)
		p.starts = append(p.starts, x.started)
	} else {
		p.dropped++
	}
	p.mu.Unlock()
	if p.opts.OnExchange != nil {
		p.opts.OnExchange()
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// snapshot returns the exchanges recorded so far, oldest first, and how
// many were dropped past MaxEntries. They hold secrets.
//
// Exchanges finish in any order; a HAR lists them in the order they
// started, as browsers and the ordering checks expect.
func (p *Proxy) snapshot() ([]har.Record, int) {
	p.mu.Lock()
	recs := append([]har.Record(nil), p.records...)
	starts := append([]time.Time(nil), p.starts...)
	dropped := p.dropped
	p.mu.Unlock()
	idx := make([]int, len(recs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return starts[idx[a]].Before(starts[idx[b]]) })
	out := make([]har.Record, len(recs))
	for i, j := range idx {
		out[i] = recs[j]
	}
	return out, dropped
}

func recordRequest(in *http.Request, x *exchange) har.RecordRequest {
	u, _ := url.Parse(x.outURL)
	out := har.RecordRequest{
		Method: in.Method, URL: x.outURL, HTTPVersion: in.Proto,
		Cookies: []har.NameValue{}, Headers: headerList(in.Header, in.Host, u), QueryString: []har.NameValue{},
		HeadersSize: -1, BodySize: 0,
	}
	if out.HTTPVersion == "" {
		out.HTTPVersion = "HTTP/1.1"
	}
	for _, c := range in.Cookies() {
		out.Cookies = append(out.Cookies, har.NameValue{Name: c.Name, Value: c.Value})
	}
	if u != nil {
		for _, kv := range strings.Split(u.RawQuery, "&") {
			if kv == "" {
				continue
			}
			k, v, _ := strings.Cut(kv, "=")
			k, _ = url.QueryUnescape(k)
			v, _ = url.QueryUnescape(v)
			out.QueryString = append(out.QueryString, har.NameValue{Name: k, Value: v})
		}
	}
	if x.req != nil {
		out.BodySize = int(x.req.n)
		if x.req.n > 0 {
			out.PostData = &har.PostData{MimeType: in.Header.Get("Content-Type"), Text: x.req.text()}
		}
	}
	return out
}

func recordResponse(resp *http.Response, body *prefixBody) har.RecordResponse {
	out := har.RecordResponse{
		Status:      resp.StatusCode,
		StatusText:  strings.TrimSpace(strings.TrimPrefix(resp.Status, fmt.Sprint(resp.StatusCode))),
		HTTPVersion: resp.Proto, Cookies: []har.NameValue{}, Headers: headerList(resp.Header, "", nil),
		RedirectURL: resp.Header.Get("Location"), HeadersSize: -1, BodySize: int(body.n),
	}
	if out.StatusText == "" {
		out.StatusText = http.StatusText(resp.StatusCode)
	}
	if out.HTTPVersion == "" {
		out.HTTPVersion = "HTTP/1.1"
	}
	for _, c := range resp.Cookies() {
		out.Cookies = append(out.Cookies, har.NameValue{Name: c.Name, Value: c.Value})
	}
	out.Content = har.Content{Size: int(body.n), MimeType: resp.Header.Get("Content-Type")}
	out.Content.Text, out.Content.Encoding = body.content()
	if ce := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); ce != "" && ce != "identity" {
		// HAR keeps the decoded body. A compressed body that cannot be
		// decoded here (cut at the prefix, or an unknown coding) is left
		// out: its secrets could not be found, so it must not be stored.
		out.Content.Text, out.Content.Encoding = "", ""
		if data, ok := body.decoded(ce); ok {
			out.Content.Text, out.Content.Encoding = harText(data)
		}
	}
	return out
}

// decoded is the kept body decompressed, when it is whole and its coding
// is gzip or deflate; at most max bytes of output.
func (b *prefixBody) decoded(coding string) ([]byte, bool) {
	b.mu.Lock()
	whole := b.n == int64(b.prefix.Len())
	raw := bytes.Clone(b.prefix.Bytes())
	b.mu.Unlock()
	if !whole {
		return nil, false
	}
	var r io.Reader
	switch coding {
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, false
		}
		r = zr
	case "deflate":
		// HTTP's deflate is zlib-wrapped; some servers send it raw.
		if zr, err := zlib.NewReader(bytes.NewReader(raw)); err == nil {
			r = zr
		} else {
			r = flate.NewReader(bytes.NewReader(raw))
		}
	default:
		return nil, false
	}
	data, err := io.ReadAll(io.LimitReader(r, int64(b.max)+1))
	if err != nil || len(data) > b.max {
		return nil, false
	}
	return data, true
}

// headerList is h as HAR pairs in the order sent, with the Host header
// the upstream received first (Go keeps it apart from the map).
func headerList(h http.Header, inHost string, out *url.URL) []har.NameValue {
	list := []har.NameValue{}
	if out != nil && inHost != "" {
		list = append(list, har.NameValue{Name: "Host", Value: out.Host})
	}
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			list = append(list, har.NameValue{Name: k, Value: v})
		}
	}
	return list
}

// prefixBody passes a body through, keeping its first max bytes and
// counting the rest.
type prefixBody struct {
	rc     io.ReadCloser
	max    int
	mu     sync.Mutex
	prefix bytes.Buffer
	n      int64
	// length is the declared Content-Length (0 or -1: unknown).
	length int64
}

func newPrefixBody(rc io.ReadCloser, max int) *prefixBody {
	return &prefixBody{rc: rc, max: max}
}

func (b *prefixBody) Read(p []byte) (int, error) {
	if b.length > 0 && b.n >= b.length {
		// The declared length is in: answer the transport's check for
		// more with EOF ourselves. The server closes the inbound body
		// once the answer's headers are written, and that check landing
		// after the close would fail the request write and cut the
		// upstream connection mid-answer (golang/go#40747).
		return 0, io.EOF
	}
	n, err := b.rc.Read(p)
	if n > 0 {
		b.mu.Lock()
		if room := b.max - b.prefix.Len(); room > 0 {
			b.prefix.Write(p[:min(n, room)])
		}
		b.n += int64(n)
		b.mu.Unlock()
	}
	return n, err
}

func (b *prefixBody) Close() error { return b.rc.Close() }

func (b *prefixBody) text() string {
	t, _ := b.content()
	return t
}

// content is the kept prefix as HAR content text: UTF-8 as is, anything
// else base64-encoded.
func (b *prefixBody) content() (text, encoding string) {
	if b == nil {
		return "", ""
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return harText(b.prefix.Bytes())
}

// Listen opens addr; loopback reports whether every address it listens on
// is a loopback one (the caller warns loudly otherwise).
func Listen(addr string) (ln net.Listener, loopback bool, err error) {
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		return nil, false, err
	}
	host, _, _ := net.SplitHostPort(addr)
	ip := net.ParseIP(host)
	return ln, host == "localhost" || (ip != nil && ip.IsLoopback()), nil
}

func harText(b []byte) (text, encoding string) {
	if utf8.Valid(b) {
		return string(b), ""
	}
	return base64.StdEncoding.EncodeToString(b), "base64"
}
