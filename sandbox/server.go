// Package sandbox is a stateful, in-process simulator of the Contio Partner
// API: the OAuth authorization server (OTP sign-in, consent, codes, tokens,
// introspection, revocation, discovery), the user API (Bearer tokens and
// scopes), the admin API (X-API-Key and X-Client-ID), per-class rate
// limits, signed webhook deliveries and the browser sign-in pages.
//
// It exists so that integrations can be tested offline and so that every
// error in Contio's troubleshooting guide can be produced on purpose. Time
// comes from an injected Clock and every ID from a seeded source, so a test
// of a 5-minute code runs in microseconds and repeats exactly.
//
// A control plane under /_sandbox/ (and the same operations as Go methods)
// advances the clock, injects faults, reads the request log and the OTP
// inbox, resets state and triggers webhooks. Sandbox credentials carry an
// "sbx_" prefix so they are never mistaken for real ones.
package sandbox

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// Version is sent in the X-Contio-Sandbox header of every response, so
// nobody mistakes the sandbox for the real API.
const Version = "sandbox-1"

// APIVersion is the X-API-Version (major.minor) every sandbox response
// carries, as Contio's versioning page says every Partner API response
// does: the spec version the sandbox simulates (1.9.0), patch dropped.
const APIVersion = "1.9"

// Options configure a Sandbox. The zero value is a working sandbox on the
// real clock with random IDs and the documented rate limits.
type Options struct {
	// Clock is the time source; nil means the real clock (NewTest uses a
	// FakeClock starting at TestEpoch).
	Clock Clock
	// Seed makes IDs, tokens, OTPs and request_ids repeat from run to run;
	// 0 draws them from crypto/rand.
	Seed uint64
	// Addr is where Start listens; "" means 127.0.0.1:0.
	Addr string
	// Limits are the rate limits: per credential per minute and per
	// client IP per rolling 5 minutes, each per endpoint class.
	Limits Limits
	// Faults are installed at start and after every Reset: a way to make
	// the sandbox answer like a misbehaving server.
	Faults []FaultRule
	// Log receives the sandbox's log lines (issued OTPs, webhook
	// deliveries); nil discards them.
	Log io.Writer
	// WebhookTimeout is how long a delivery may take before it counts as
	// failed; 0 means Contio's 5 seconds.
	WebhookTimeout time.Duration
	// AllowExternalWebhooks lets deliveries go to hosts other than
	// loopback. Off by default so a test cannot send traffic off the machine.
	AllowExternalWebhooks bool
	// RequestLogSize bounds the request log (a ring buffer: the oldest
	// entries go first); 0 means DefaultRequestLogSize.
	RequestLogSize int
}

// Sandbox is one simulated Contio API with its own state. Create it with
// New or NewTest; it is safe for concurrent use.
type Sandbox struct {
	opts  Options
	clock *skewedClock
	ids   *idSource
	keys  *signingKey

	mu    sync.Mutex // guards everything in st
	st    *state
	inbox []InboxMessage

	faults  faultSet
	limiter *limiter
	log     requestLog
	hooks   *dispatcher

	baseURL atomic.Value // string, set by Start
	routes  []*route
	logMu   sync.Mutex
	stopped chan struct{}
	stopMu  sync.Once

	// inFlightHook, set only by tests before Start, runs while a request
	// with an Idempotency-Key is in flight, so a test can hold it there.
	inFlightHook func(r *http.Request)
}

// New returns a sandbox seeded with one active partner app and one user
// (see DefaultApp and DefaultUser).
func New(opts Options) *Sandbox {
	if opts.Clock == nil {
		opts.Clock = realClock{}
	}
	if opts.WebhookTimeout <= 0 {
		opts.WebhookTimeout = contio.WebhookResponseDeadline
	}
	if opts.RequestLogSize <= 0 {
		opts.RequestLogSize = DefaultRequestLogSize
	}
	s := &Sandbox{
		opts:    opts,
		clock:   &skewedClock{base: opts.Clock},
		keys:    newSigningKey(),
		stopped: make(chan struct{}),
		log:     requestLog{capacity: opts.RequestLogSize},
	}
	s.limiter = newLimiter(opts.Limits)
	s.hooks = newDispatcher(s)
	s.routes = s.routeTable()
	s.reset()
	return s
}

// reset puts the state back to what New made: fresh seeded IDs, the
// default app and user, and the configured faults.
func (s *Sandbox) reset() {
	if s.ids == nil {
		s.ids = newIDSource(s.opts.Seed)
	} else {
		s.ids.reseed(s.opts.Seed)
	}
	s.mu.Lock()
	s.st = newState()
	s.inbox = nil
	s.mu.Unlock()
	s.seedDefaults()
	s.faults.clear()
	for _, f := range s.opts.Faults {
		s.faults.add(f, s.ids)
	}
	s.limiter.reset()
	s.log.clear()
	s.hooks.clear()
}

// Reset drops every app, user, token, delivery, fault and log entry and
// seeds the defaults again. The clock keeps its time.
func (s *Sandbox) Reset() { s.reset() }

// Now is the sandbox's current time.
func (s *Sandbox) Now() time.Time { return s.clock.Now() }

// Advance moves the sandbox clock forward by d and sends the webhook
// retries that became due.
func (s *Sandbox) Advance(d time.Duration) {
	s.clock.advance(d)
	s.hooks.dispatchDue()
}

func (s *Sandbox) logf(format string, args ...any) {
	if s.opts.Log == nil {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.opts.Log, "sandbox: "+format+"\n", args...)
}

// Handler serves the whole sandbox: API, OAuth, pages and control plane.
func (s *Sandbox) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// URL is the base URL Start is listening on ("" before Start).
func (s *Sandbox) URL() string {
	u, _ := s.baseURL.Load().(string)
	return u
}

// Start serves on Options.Addr (127.0.0.1:0 by default) and returns the
// base URL and a function that stops the server and its webhook sender.
func (s *Sandbox) Start() (baseURL string, stop func(), err error) {
	addr := s.opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("sandbox listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler: s.Handler(),
		// Plain HTTP/1.1 (no TLS, so no HTTP/2): connection faults need http.Hijacker.
		ReadHeaderTimeout: 10 * time.Second,
	}
	baseURL = "http://" + ln.Addr().String()
	s.baseURL.Store(baseURL)
	go func() { _ = srv.Serve(ln) }()
	go s.hooks.tick(s.stopped)
	stop = func() {
		s.stopMu.Do(func() {
			close(s.stopped)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if err := srv.Shutdown(ctx); err != nil {
				_ = srv.Close()
			}
			s.hooks.wait()
		})
	}
	return baseURL, stop, nil
}

// TB is the part of testing.TB that NewTest uses. Naming it here keeps the
// testing package (and the flags and runtime/trace it brings) out of the
// binary that links the sandbox.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
	Log(args ...any)
}

// NewTest starts a sandbox on 127.0.0.1:0 for the test and stops it at
// cleanup. Without Options.Clock it runs on a FakeClock starting at
// TestEpoch; without Options.Log it logs through t.Log.
func NewTest(t TB, opts Options) *Sandbox {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = NewFakeClock(TestEpoch)
	}
	if opts.Log == nil {
		opts.Log = testLog{t}
	}
	s := New(opts)
	_, stop, err := s.Start()
	if err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(stop)
	return s
}

type testLog struct{ t TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// reqState is what the middleware learns about one request.
type reqState struct {
	requestID string
	class     contio.Class
	route     *route
	params    map[string]string
	page      bool
	// writeEndpoint: the catalogue calls the operation a write.
	writeEndpoint bool
	// wrote: the request actually changed server state.
	wrote   atomic.Bool
	errCode string
	fault   string
	limited bool
	// limitScope names the rate limit that refused the request.
	limitScope string
	body       []byte // buffered body of OAuth-class requests
	tok        *token // the access token of a user API call
	app        *App   // the app of an admin API call
}

type stateKeyT struct{}

func stateOf(r *http.Request) *reqState {
	if st, ok := r.Context().Value(stateKeyT{}).(*reqState); ok {
		return st
	}
	return &reqState{class: contio.ClassOf(r.URL.Path)}
}

// markWrite records that the request changed server state: the request log
// lets a probe test prove that it wrote nothing.
func markWrite(r *http.Request) { stateOf(r).wrote.Store(true) }

func param(r *http.Request, name string) string { return stateOf(r).params[name] }

// statusRecorder remembers the status for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusRecorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *Sandbox) serveHTTP(w http.ResponseWriter, r *http.Request) {
	now := s.Now()
	st := &reqState{requestID: s.ids.requestID(), class: contio.ClassOf(r.URL.Path)}
	r = r.WithContext(context.WithValue(r.Context(), stateKeyT{}, st))
	rec := &statusRecorder{ResponseWriter: w}
	// Probes measure clock skew from Date: it must come from the sandbox clock.
	w.Header().Set("Date", now.Format(http.TimeFormat))
	w.Header().Set("X-Contio-Sandbox", Version)
	w.Header().Set("X-API-Version", APIVersion)
	control := strings.HasPrefix(r.URL.Path, "/_sandbox/") || r.URL.Path == "/_sandbox"
	defer func() {
		if !control {
			s.log.add(LogEntry{
				Time: now, RequestID: st.requestID, Method: r.Method, Path: r.URL.Path,
				Class: string(st.class), Status: rec.status, Code: st.errCode,
				Write: st.wrote.Load(), WriteEndpoint: st.writeEndpoint,
				Fault: st.fault, RateLimited: st.limited, RateLimit: st.limitScope,
			})
		}
	}()
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.logf("recovered panic in %s %s (request_id %s)", r.Method, r.URL.Path, st.requestID)
			if rec.status == 0 {
				s.writeError(rec, r, newErr(http.StatusInternalServerError, CodeInternal, "the sandbox hit an internal error; the request_id identifies it in the sandbox log"))
			}
		}
	}()
	if control {
		s.serveControl(rec, r)
		return
	}
	rt, allowed, ep := s.match(r.Method, r.URL.Path)
	if rt != nil {
		st.route, st.page, st.class, st.writeEndpoint = rt, rt.page, rt.class, rt.write
		st.params = pathParams(rt.path, r.URL.Path)
	}
	if ep != nil {
		st.class, st.writeEndpoint = ep.Class, ep.Write
	}
	if st.class == contio.ClassOAuth && r.Body != nil {
		st.body = bufferBody(r)
	}
	if s.applyFault(w, rec, r) {
		return
	}
	if e := s.limiter.check(rec, r, now); e != nil {
		st.limited = true
		s.writeError(rec, r, e)
		return
	}
	switch {
	case rt != nil:
		if e := rt.h(rec, r); e != nil {
			s.writeError(rec, r, e)
		}
	case len(allowed) > 0:
		s.writeError(rec, r, newErr(http.StatusMethodNotAllowed, CodeMethodNotAllowed,
			fmt.Sprintf("%s is not served on %s; use %s", r.Method, r.URL.Path, strings.Join(allowed, " or "))).
			with("Allow", strings.Join(allowed, ", ")))
	case ep != nil:
		if e := s.authenticateFor(r, ep.Class, ep.Scope); e != nil {
			s.writeError(rec, r, e)
			return
		}
		s.writeError(rec, r, newErr(http.StatusNotImplemented, CodeNotImplemented,
			fmt.Sprintf("the sandbox does not simulate %s %s yet; the real API serves it", r.Method, r.URL.Path)))
	default:
		s.writeError(rec, r, newErr(http.StatusNotFound, CodeNotFound, "no endpoint at "+r.URL.Path))
	}
}

// bufferBody reads a small body so the rate limiter can key OAuth requests
// by client_id, and puts it back for the handler.
func bufferBody(r *http.Request) []byte {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	_ = r.Body.Close()
	r.Body = io.NopCloser(strings.NewReader(string(b)))
	if err != nil {
		return nil
	}
	return b
}
