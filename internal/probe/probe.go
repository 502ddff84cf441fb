// Package probe is the HTTP client live checks use. It enforces the probe
// safety rules of DESIGN.md in one place:
//
//   - redirects are never followed (Go would carry X-API-Key across hosts);
//     the redirect is returned for the check to report;
//   - credentials go only over https, except to loopback;
//   - TLS verification is skipped only when asked and only for loopback;
//   - a per-run budget per endpoint class (at most 5 OAuth-class requests),
//     and a class stops being probed after its first 429;
//   - every response's request_id is kept, and every exchange is logged for
//     -v, with secrets masked by the caller's redactor.
package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// DefaultBudget is the number of requests a run may send per class.
var DefaultBudget = map[contio.Class]int{
	contio.ClassOAuth:  5,
	contio.ClassUser:   10,
	contio.ClassAdmin:  5,
	contio.ClassPublic: 10,
}

// maxBody bounds how much of a response is read.
const maxBody = 1 << 20

// Options configure a Client.
type Options struct {
	// Budget per class; nil means DefaultBudget.
	Budget map[contio.Class]int
	// InsecureSkipVerify skips TLS verification for loopback hosts only.
	InsecureSkipVerify bool
	// Transport overrides the HTTP transport (tests); nil means a fresh one.
	Transport http.RoundTripper
	// Clock is the doctor's clock; nil means time.Now.
	Clock func() time.Time
	// UserAgent identifies the doctor to the API.
	UserAgent string
}

// Client sends probes and remembers what happened.
type Client struct {
	http  *http.Client
	opts  Options
	clock func() time.Time

	mu        sync.Mutex
	used      map[contio.Class]int
	limited   map[contio.Class]*RateLimit // set after a 429
	rates     map[contio.Class]RateLimit  // last rate-limit headers seen
	exchanges []*Exchange
	memo      map[string]*memoEntry
}

type memoEntry struct {
	once sync.Once
	val  any
	err  error
}

// New returns a Client.
func New(opts Options) *Client {
	if opts.Budget == nil {
		opts.Budget = DefaultBudget
	}
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "contio-doctor"
	}
	tr := opts.Transport
	if tr == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		if opts.InsecureSkipVerify {
			t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // loopback only, checked per request
		}
		t.ForceAttemptHTTP2 = true
		tr = t
	}
	return &Client{
		http: &http.Client{
			Transport: tr,
			// Never follow: a redirect on a credential-bearing request is a
			// finding, and following could leak the credential.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		opts:    opts,
		clock:   clock,
		used:    map[contio.Class]int{},
		limited: map[contio.Class]*RateLimit{},
		rates:   map[contio.Class]RateLimit{},
		memo:    map[string]*memoEntry{},
	}
}

// Request is one probe to send.
type Request struct {
	Method string
	URL    string
	Class  contio.Class
	Header http.Header
	Body   []byte
	// Credentialed marks requests that carry a secret; they need https
	// (or loopback).
	Credentialed bool
	// Purpose says in a few words why the doctor sent it (for -v).
	Purpose string
}

// Response is what came back.
type Response struct {
	Status    int
	Header    http.Header
	Body      []byte
	RequestID string
	// Code is the error body's `code`, when the body is a Contio error.
	Code    string
	Message string
	Latency time.Duration
	Timing  Timing
	// Redirect is the Location of a 3xx (never followed).
	Redirect string
	TLS      *tls.ConnectionState
}

// Timing breaks a request down by step.
type Timing struct {
	DNS, Connect, TLS, FirstByte time.Duration
	ProxyUsed                    bool
	RemoteAddr                   string
}

// Exchange is one logged request and response (or error).
type Exchange struct {
	Request  Request
	Response *Response
	Err      error
	At       time.Time
	// Started and Finished are wall-clock instants (monotonic), for
	// ordering exchanges: no request of a class starts after its 429.
	Started, Finished time.Time
}

// ErrBudget is returned when a class has used its budget.
var ErrBudget = errors.New("probe budget for this endpoint class is used up")

// RateLimitedError is returned after a 429: the class is no longer probed.
type RateLimitedError struct{ Limit RateLimit }

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("%s endpoints answered 429 earlier in this run; not probing them again (resets %s)", e.Limit.Class, e.Limit.ResetString())
}

// InsecureError refuses to send a credential over plain http.
type InsecureError struct{ URL string }

func (e *InsecureError) Error() string {
	return fmt.Sprintf("refusing to send credentials over plain http to %s (https is required except for loopback)", e.URL)
}

// Do sends r within the budget and returns the response. A network failure
// comes back as an error classified by Classify.
func (c *Client) Do(ctx context.Context, r Request) (*Response, error) {
	u, err := url.Parse(r.URL)
	if err != nil {
		return nil, fmt.Errorf("probe URL: %w", err)
	}
	if r.Credentialed && u.Scheme != "https" && !IsLoopback(u.Hostname()) {
		return nil, &InsecureError{URL: u.Scheme + "://" + u.Host}
	}
	if c.opts.InsecureSkipVerify && !IsLoopback(u.Hostname()) && u.Scheme == "https" {
		return nil, fmt.Errorf("--insecure-skip-verify is allowed for loopback hosts only, not %s", u.Hostname())
	}
	admitted, err := c.take(r.Class)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	for k, vs := range r.Header {
		req.Header[k] = vs
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	if r.Body == nil {
		req.Body = nil
	}

	// The trace callbacks run on the transport's goroutines: guard them.
	var tmu sync.Mutex
	var t Timing
	var dnsStart, connStart, tlsStart time.Time
	start := time.Now()
	at := func(f func()) { tmu.Lock(); f(); tmu.Unlock() }
	trace := &httptrace.ClientTrace{
		DNSStart:          func(httptrace.DNSStartInfo) { at(func() { dnsStart = time.Now() }) },
		DNSDone:           func(httptrace.DNSDoneInfo) { at(func() { t.DNS = time.Since(dnsStart) }) },
		ConnectStart:      func(string, string) { at(func() { connStart = time.Now() }) },
		ConnectDone:       func(string, string, error) { at(func() { t.Connect = time.Since(connStart) }) },
		TLSHandshakeStart: func() { at(func() { tlsStart = time.Now() }) },
		TLSHandshakeDone:  func(tls.ConnectionState, error) { at(func() { t.TLS = time.Since(tlsStart) }) },
		GotConn: func(info httptrace.GotConnInfo) {
			if info.Conn != nil {
				at(func() { t.RemoteAddr = info.Conn.RemoteAddr().String() })
			}
		},
		GotFirstResponseByte: func() { at(func() { t.FirstByte = time.Since(start) }) },
	}
	if tr, ok := c.http.Transport.(*http.Transport); ok && tr.Proxy != nil {
		if p, _ := tr.Proxy(req); p != nil {
			t.ProxyUsed = true
		}
	}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))

	ex := &Exchange{Request: r, At: c.clock(), Started: admitted}
	resp, err := c.http.Do(req)
	if err != nil {
		ex.Finished = time.Now()
		ex.Err = err
		c.log(ex)
		return nil, err
	}
	defer resp.Body.Close()
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if rerr == nil && len(body) > maxBody { // refused, not silently cut: a cut JSON body misleads the checks
		body, rerr = body[:maxBody], fmt.Errorf("the response body is larger than the limit of %d MiB", maxBody>>20)
	}
	tmu.Lock()
	timing := t
	tmu.Unlock()
	out := &Response{
		Status:  resp.StatusCode,
		Header:  resp.Header,
		Body:    body,
		Latency: time.Since(start),
		Timing:  timing,
		TLS:     resp.TLS,
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		out.Redirect = resp.Header.Get("Location")
	}
	out.RequestID, out.Code, out.Message = parseErrorBody(body)
	ex.Response = out
	ex.Finished = c.observe(r.Class, out)
	c.log(ex)
	if rerr != nil {
		return out, fmt.Errorf("read response: %w", rerr)
	}
	return out, nil
}

// take reserves one request of class, or says why not. It returns the
// instant of admission, taken under the same lock as observe's, so the
// log orders admissions and 429s exactly.
func (c *Client) take(class contio.Class) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if rl, ok := c.limited[class]; ok {
		return time.Time{}, &RateLimitedError{Limit: *rl}
	}
	if c.used[class] >= c.opts.Budget[class] {
		return time.Time{}, fmt.Errorf("%w (%s: %d)", ErrBudget, class, c.opts.Budget[class])
	}
	c.used[class]++
	return time.Now(), nil
}

// observe records a response's rate-limit state and returns the instant
// it became known.
func (c *Client) observe(class contio.Class, r *Response) time.Time {
	rl, ok := ParseRateLimit(class, r.Header, c.clock())
	c.mu.Lock()
	defer c.mu.Unlock()
	if ok {
		c.rates[class] = rl
	}
	if r.Status == http.StatusTooManyRequests {
		rl.Class = class
		rl.Hit = true
		rl.RequestID = r.RequestID
		c.limited[class] = &rl
		c.rates[class] = rl
	}
	return time.Now()
}

func (c *Client) log(ex *Exchange) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.exchanges = append(c.exchanges, ex)
}

// Used returns how many requests each class has sent.
func (c *Client) Used() map[contio.Class]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[contio.Class]int{}
	for k, v := range c.used {
		out[k] = v
	}
	return out
}

// RateLimits returns the last rate-limit state seen per class, sorted by class.
func (c *Client) RateLimits() []RateLimit {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []RateLimit
	for _, v := range c.rates {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Class < out[j].Class })
	return out
}

// Exchanges returns the log in the order requests finished.
func (c *Client) Exchanges() []*Exchange {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*Exchange(nil), c.exchanges...)
}

// Once runs fn once per key for the run and returns its memoised result:
// dependent checks share one introspection instead of each sending one.
func (c *Client) Once(key string, fn func() (any, error)) (any, error) {
	c.mu.Lock()
	e, ok := c.memo[key]
	if !ok {
		e = &memoEntry{}
		c.memo[key] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.val, e.err = fn() })
	return e.val, e.err
}

// parseErrorBody reads request_id, code and message from a JSON body.
func parseErrorBody(body []byte) (requestID, code, message string) {
	var v struct {
		RequestID string `json:"request_id"`
		Code      string `json:"code"`
		Error     any    `json:"error"`
		Message   string `json:"message"`
	}
	if json.Unmarshal(body, &v) != nil {
		return "", "", ""
	}
	code = v.Code
	if s, ok := v.Error.(string); ok && code == "" {
		code = s
	}
	message = v.Message
	if s, ok := v.Error.(string); ok && message == "" {
		message = s
	}
	return v.RequestID, code, message
}

// IsLoopback reports whether host is localhost or a loopback IP.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// RateLimit is the quota state of one class as the headers told it.
type RateLimit struct {
	Class     contio.Class
	Limit     int
	Remaining int
	// Reset is when the window resets (zero when unknown).
	Reset time.Time
	// RetryAfter is the wait a 429 asked for (zero when none).
	RetryAfter time.Duration
	// Hit is true when a 429 was received; RequestID is that answer's.
	Hit       bool
	RequestID string
	Known     bool
}

// ResetString says when the quota resets, for messages.
func (r RateLimit) ResetString() string {
	switch {
	case r.RetryAfter > 0:
		return "in " + r.RetryAfter.Round(time.Second).String()
	case !r.Reset.IsZero():
		return "at " + r.Reset.UTC().Format(time.RFC3339)
	}
	return "at an unknown time"
}

// ParseRateLimit reads X-RateLimit-* and Retry-After. Retry-After may be
// seconds or an HTTP-date; X-RateLimit-Reset is epoch seconds.
func ParseRateLimit(class contio.Class, h http.Header, now time.Time) (RateLimit, bool) {
	rl := RateLimit{Class: class, Remaining: -1}
	if v := h.Get("X-RateLimit-Limit"); v != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			rl.Limit, rl.Known = n, true
		}
	}
	if v := h.Get("X-RateLimit-Remaining"); v != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			rl.Remaining, rl.Known = n, true
		}
	}
	if v := h.Get("X-RateLimit-Reset"); v != "" {
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n > 0 {
			rl.Reset, rl.Known = time.Unix(n, 0), true
		}
	}
	if v := h.Get("Retry-After"); v != "" {
		if d, ok := ParseRetryAfter(v, now); ok {
			rl.RetryAfter, rl.Known = d, true
		}
	}
	return rl, rl.Known
}

// ParseRetryAfter reads a Retry-After value: delay-seconds or an HTTP-date.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// Failure names the step at which a request failed.
type Failure string

// Failure steps.
const (
	FailDNS     Failure = "DNS"
	FailRefused Failure = "connection refused"
	FailReset   Failure = "connection reset"
	FailTimeout Failure = "timeout"
	FailTLS     Failure = "TLS"
	FailProxy   Failure = "proxy"
	FailHTTP    Failure = "HTTP"
	FailOther   Failure = "network"
)

// Classify names the step a transport error happened at.
func Classify(err error) Failure {
	if err == nil {
		return ""
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return FailDNS
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return FailTLS
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "proxyconnect"):
		return FailProxy
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(msg, "timeout") || strings.Contains(msg, "deadline exceeded"):
		return FailTimeout
	case strings.Contains(msg, "connection refused"):
		return FailRefused
	case strings.Contains(msg, "connection reset") || strings.Contains(msg, "EOF") || strings.Contains(msg, "broken pipe"):
		return FailReset
	case strings.Contains(msg, "tls:") || strings.Contains(msg, "x509:") || strings.Contains(msg, "certificate"):
		return FailTLS
	case strings.Contains(msg, "malformed HTTP") || strings.Contains(msg, "HTTP/1.x transport"):
		return FailHTTP
	}
	return FailOther
}
