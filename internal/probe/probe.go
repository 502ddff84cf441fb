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
	"os"
	"path/filepath"
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
	// Timeout bounds each request, connection to last body byte; 0 means
	// none beyond the caller's context. The run gives probes a deadline
	// shorter than its checks', so a hung host is reported with the step
	// that hung rather than as a check that did not finish.
	Timeout time.Duration
	// Memory carries the quota the last answers reported from one run to
	// the next; nil remembers nothing.
	Memory *QuotaMemory
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
	hosts     map[contio.Class]string     // the host each class's requests went to
	inflight  map[contio.Class]int        // admitted, not yet answered
	exchanges []*Exchange
	// remembered is what earlier runs learned, by class@host.
	remembered map[string]quotaEntry
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
		opts:       opts,
		clock:      clock,
		used:       map[contio.Class]int{},
		limited:    map[contio.Class]*RateLimit{},
		rates:      map[contio.Class]RateLimit{},
		hosts:      map[contio.Class]string{},
		inflight:   map[contio.Class]int{},
		remembered: opts.Memory.load(clock()),
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
	// Code is the error body's code: `code`, or the docs' `error` when
	// there is no `code`. Message is its text: `message`, else
	// `error_description`, else a sentence in `error`.
	Code    string
	Message string
	// APIVersion is the X-API-Version header (major.minor), which Contio
	// asks partners to quote to support.
	APIVersion string
	Latency    time.Duration
	Timing     Timing
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
	admitted, err := c.take(r.Class, u.Host)
	if err != nil {
		return nil, err
	}
	if c.opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.opts.Timeout)
		defer cancel()
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
	var steps stepTrace
	start := time.Now()
	at := func(f func()) { tmu.Lock(); f(); tmu.Unlock() }
	trace := &httptrace.ClientTrace{
		DNSStart: func(httptrace.DNSStartInfo) { at(func() { dnsStart = time.Now(); steps.dns = true }) },
		DNSDone: func(httptrace.DNSDoneInfo) {
			at(func() { t.DNS = time.Since(dnsStart); steps.dnsDone = true })
		},
		ConnectStart: func(string, string) { at(func() { connStart = time.Now(); steps.connect = true }) },
		ConnectDone: func(string, string, error) {
			at(func() { t.Connect = time.Since(connStart); steps.connectDone = true })
		},
		TLSHandshakeStart: func() { at(func() { tlsStart = time.Now(); steps.tls = true }) },
		TLSHandshakeDone: func(tls.ConnectionState, error) {
			at(func() { t.TLS = time.Since(tlsStart); steps.tlsDone = true })
		},
		GotConn: func(info httptrace.GotConnInfo) {
			at(func() {
				steps.conn = true
				if info.Conn != nil {
					t.RemoteAddr = info.Conn.RemoteAddr().String()
				}
			})
		},
		GotFirstResponseByte: func() { at(func() { t.FirstByte = time.Since(start); steps.firstByte = true }) },
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
		tmu.Lock()
		step := steps.failed()
		tmu.Unlock()
		fail := Classify(err)
		switch fail {
		case FailDNS:
			step = StepDNS
		case FailTLS, FailTLSToPlain:
			step = StepTLS
		}
		err = &TransportError{Host: u.Host, Path: u.Path, Step: step, Failure: fail, Err: err}
		ex.Finished = time.Now()
		ex.Err = err
		c.mu.Lock()
		c.inflight[r.Class]--
		c.mu.Unlock()
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
	if rerr != nil {
		rerr = &TransportError{Host: u.Host, Path: u.Path, Step: StepBody, Failure: Classify(rerr), Err: rerr}
	}
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
	out.APIVersion = strings.TrimSpace(resp.Header.Get("X-API-Version"))
	ex.Response = out
	ex.Finished = c.observe(r.Class, out)
	c.log(ex)
	if rerr != nil {
		ex.Err = rerr
		return nil, rerr
	}
	return out, nil
}

// Steps of an HTTP exchange, as a transport failure names where it stopped.
const (
	StepDNS       = "DNS lookup"
	StepConnect   = "TCP connect"
	StepTLS       = "TLS handshake"
	StepFirstByte = "first response byte"
	StepBody      = "response body"
)

// stepTrace records which steps of one exchange began and ended.
type stepTrace struct {
	dns, dnsDone, connect, connectDone, tls, tlsDone, conn, firstByte bool
}

// failed names the step an exchange was in when it failed.
func (s stepTrace) failed() string {
	switch {
	case s.dns && !s.dnsDone:
		return StepDNS
	case s.connect && !s.connectDone:
		return StepConnect
	case s.tls && !s.tlsDone:
		return StepTLS
	case !s.conn && !s.dns && !s.connect:
		return StepConnect // failed before any step began: the dial itself
	case !s.conn:
		return StepConnect
	case !s.firstByte:
		return StepFirstByte
	}
	return StepBody
}

// TransportError is a request that got no (complete) answer: the host,
// the step it stopped at, and the kind of failure.
type TransportError struct {
	Host    string
	Path    string
	Step    string
	Failure Failure
	Err     error
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("%s%s: %s failed (%s): %v", e.Host, e.Path, e.Step, e.Failure, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// Summary is the failure and the step: "connection refused failed at the
// TCP connect", "timeout at the first response byte".
func (e *TransportError) Summary() string {
	if e.Failure == FailTimeout {
		return "timeout at the " + e.Step
	}
	return string(e.Failure) + " failed at the " + e.Step
}

// Describe says what happened in words a partner recognises.
func (e *TransportError) Describe() string {
	switch e.Failure {
	case FailDNS:
		return "the host name " + hostOnly(e.Host) + " does not resolve"
	case FailRefused:
		return e.Host + " refused the connection"
	case FailTimeout:
		return e.Host + " did not answer in time (stuck at the " + e.Step + ")"
	case FailTLS:
		return "the TLS handshake with " + e.Host + " failed"
	case FailTLSToPlain:
		return e.Host + " speaks plain HTTP, but the URL says https"
	case FailPlainToTLS:
		return e.Host + " speaks HTTPS, but the URL says http"
	case FailProxy:
		return "the proxy refused or failed the connection to " + e.Host
	case FailReset:
		return e.Host + " closed the connection during the " + e.Step
	case FailHTTP:
		return e.Host + " answered with something that is not HTTP"
	}
	return "the request to " + e.Host + " failed during the " + e.Step
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

// take reserves one request of class, or says why not. It returns the
// instant of admission, taken under the same lock as observe's, so the
// log orders admissions and 429s exactly.
func (c *Client) take(class contio.Class, host string) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hosts[class] = host
	if rl, ok := c.limited[class]; ok {
		return time.Time{}, &RateLimitedError{Limit: *rl}
	}
	if c.used[class] >= c.opts.Budget[class] {
		return time.Time{}, fmt.Errorf("%w (%s: %d)", ErrBudget, class, c.opts.Budget[class])
	}
	// What the last answer said is left, less the requests still on their
	// way: those will spend it too.
	if rl, ok := c.rates[class]; ok && rl.Limit > 0 && rl.Remaining >= 0 && rl.Remaining-c.inflight[class] <= QuotaReserve(rl.Limit) &&
		(rl.Reset.IsZero() || rl.Reset.After(c.clock())) {
		rl.Remaining -= c.inflight[class]
		return time.Time{}, &QuotaLowError{Limit: rl}
	}
	if e, ok := c.remembered[string(class)+"@"+host]; ok && e.Reset.After(c.clock()) {
		// An earlier run, minutes ago, left this much: keep the reserve.
		if _, seen := c.rates[class]; !seen && e.Remaining-c.used[class] <= QuotaReserve(e.Limit) {
			return time.Time{}, &QuotaLowError{Limit: RateLimit{Class: class, Limit: e.Limit, Remaining: e.Remaining - c.used[class], Reset: e.Reset}}
		}
	}
	c.used[class]++
	c.inflight[class]++
	return time.Now(), nil
}

// QuotaReserve is how many requests of a class's quota the doctor leaves
// to the partner's app: a probe is not sent when the last answer said no
// more than this many were left. A tenth of the limit and two more, so
// that what the doctor leaves never reads as a quota running out (CD5501
// warns below a tenth), even when answers arrive out of order.
func QuotaReserve(limit int) int { return limit/10 + 2 }

// QuotaLowError is returned instead of sending a probe that would spend
// the last requests of the class's quota: the run skips, it does not fail.
type QuotaLowError struct{ Limit RateLimit }

func (e *QuotaLowError) Error() string {
	s := fmt.Sprintf("%d %s requests left", e.Limit.Remaining, e.Limit.Class)
	if !e.Limit.Reset.IsZero() {
		s += " until " + e.Limit.Reset.UTC().Format("15:04:05") + " UTC"
	}
	return s + "; the doctor leaves them to the app"
}

// observe records a response's rate-limit state and returns the instant
// it became known.
func (c *Client) observe(class contio.Class, r *Response) time.Time {
	rl, ok := ParseRateLimit(class, r.Header, c.clock())
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inflight[class]--
	if prev, seen := c.rates[class]; ok && seen && prev.Reset.Equal(rl.Reset) && prev.Remaining >= 0 && rl.Remaining > prev.Remaining {
		// An answer that left the server before a later one: in one
		// window the count only goes down.
		rl.Remaining = prev.Remaining
	}
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

// APIVersion returns the X-API-Version of the first response that carried
// one, in the order responses arrived, or "" when none did.
func (c *Client) APIVersion() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ex := range c.exchanges {
		if ex.Response != nil && ex.Response.APIVersion != "" {
			return ex.Response.APIVersion
		}
	}
	return ""
}

// Exchanges returns the log in the order requests finished.
func (c *Client) Exchanges() []*Exchange {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*Exchange(nil), c.exchanges...)
}

// parseErrorBody reads request_id, code and message from a JSON error body
// in either shape Contio uses: the spec's and SDK's {code, message,
// request_id} (user and admin answers add "error", a sentence), and the
// docs' OAuth-style {error, error_description, request_id}, where "error"
// is the code and the description is the text.
func parseErrorBody(body []byte) (requestID, code, message string) {
	var v struct {
		RequestID        string `json:"request_id"`
		Code             string `json:"code"`
		Error            any    `json:"error"`
		ErrorDescription string `json:"error_description"`
		Message          string `json:"message"`
	}
	if json.Unmarshal(body, &v) != nil {
		return "", "", ""
	}
	errText, _ := v.Error.(string)
	code = v.Code
	if code == "" {
		code = errText
	}
	message = v.Message
	if message == "" {
		message = v.ErrorDescription
	}
	if message == "" && errText != code {
		message = errText
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
	// FailTLSToPlain: https spoken to a plain-HTTP port.
	FailTLSToPlain Failure = "TLS to a plain-HTTP port"
	// FailPlainToTLS: plain http spoken to a TLS port.
	FailPlainToTLS Failure = "plain HTTP to a TLS port"
	FailOther      Failure = "network"
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
	case strings.Contains(msg, "first record does not look like a TLS handshake"):
		return FailTLSToPlain
	case strings.Contains(msg, "server gave HTTP response to HTTPS client"):
		return FailTLSToPlain
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(msg, "timeout") || strings.Contains(msg, "deadline exceeded"):
		return FailTimeout
	case strings.Contains(msg, "connection refused"):
		return FailRefused
	case strings.Contains(msg, "connection reset") || strings.Contains(msg, "EOF") || strings.Contains(msg, "broken pipe"):
		return FailReset
	case strings.Contains(msg, "tls:") || strings.Contains(msg, "x509:") || strings.Contains(msg, "certificate"):
		return FailTLS
	case strings.Contains(msg, `malformed HTTP response "\x15\x03`):
		return FailPlainToTLS
	case strings.Contains(msg, "malformed HTTP") || strings.Contains(msg, "HTTP/1.x transport"):
		return FailHTTP
	}
	return FailOther
}

// QuotaMemory keeps, between runs, how much of each class's quota the
// last answers said was left (a small JSON file in the user's cache). A
// run started soon after another then leaves the partner's last requests
// alone, and skips, instead of spending them and meeting a 429 that would
// turn its verdicts.
type QuotaMemory struct {
	// Path is the file; the directory is created when needed.
	Path string
}

type quotaEntry struct {
	Limit     int       `json:"limit"`
	Remaining int       `json:"remaining"`
	Reset     time.Time `json:"reset"`
}

// quotaFileMax bounds the memory file: it holds a few entries per host.
const quotaFileMax = 64 << 10

func (m *QuotaMemory) load(now time.Time) map[string]quotaEntry {
	out := map[string]quotaEntry{}
	if m == nil || m.Path == "" {
		return out
	}
	f, err := os.Open(m.Path)
	if err != nil {
		return out
	}
	defer f.Close()
	var all map[string]quotaEntry
	if json.NewDecoder(io.LimitReader(f, quotaFileMax)).Decode(&all) != nil {
		return out // a damaged memory is no memory
	}
	for k, e := range all {
		if e.Reset.After(now) && e.Limit > 0 {
			out[k] = e
		}
	}
	return out
}

// SaveQuotas writes what this run learned of the quotas, with what earlier
// runs learned that has not reset yet. It never fails the run: a memory
// that cannot be written is only a memory lost.
func (c *Client) SaveQuotas() {
	m := c.opts.Memory
	if m == nil || m.Path == "" {
		return
	}
	now := c.clock()
	c.mu.Lock()
	all := map[string]quotaEntry{}
	for k, e := range m.load(now) {
		all[k] = e
	}
	for class, rl := range c.rates {
		if rl.Limit > 0 && rl.Remaining >= 0 && rl.Reset.After(now) {
			all[string(class)+"@"+c.hosts[class]] = quotaEntry{Limit: rl.Limit, Remaining: rl.Remaining, Reset: rl.Reset}
		}
	}
	c.mu.Unlock()
	b, err := json.Marshal(all)
	if err != nil || len(b) > quotaFileMax {
		return
	}
	if os.MkdirAll(filepath.Dir(m.Path), 0o700) != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(m.Path), ".quota-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	if cerr := tmp.Close(); werr != nil || cerr != nil || os.Rename(tmp.Name(), m.Path) != nil {
		_ = os.Remove(tmp.Name())
	}
}
