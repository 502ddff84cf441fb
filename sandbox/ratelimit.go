package sandbox

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// Limits are the per-class rate limits, counted per credential in fixed
// windows on the sandbox clock. Zero values mean the documented limits:
// 100 a minute for the user API, 50 for admin, 20 for OAuth.
type Limits struct {
	// Off disables rate limiting, for tests that make many calls.
	Off   bool
	User  int
	Admin int
	OAuth int
	// Window is the counting window; 0 means one minute.
	Window time.Duration
}

func (l Limits) forClass(c contio.Class) int {
	pick := func(v int) int {
		if v > 0 {
			return v
		}
		return contio.LimitFor(c)
	}
	switch c {
	case contio.ClassUser:
		return pick(l.User)
	case contio.ClassAdmin:
		return pick(l.Admin)
	case contio.ClassOAuth:
		return pick(l.OAuth)
	}
	return 0
}

type window struct {
	start time.Time
	count int
}

type limiter struct {
	mu      sync.Mutex
	limits  Limits
	windows map[string]*window
}

func newLimiter(l Limits) *limiter { return &limiter{limits: l, windows: map[string]*window{}} }

func (l *limiter) reset() {
	l.mu.Lock()
	l.windows = map[string]*window{}
	l.mu.Unlock()
}

// SetLimits replaces the rate limits and starts every window afresh.
func (s *Sandbox) SetLimits(limits Limits) {
	s.limiter.mu.Lock()
	s.limiter.limits = limits
	s.limiter.windows = map[string]*window{}
	s.limiter.mu.Unlock()
}

// check counts the request against its class and credential, sets the
// X-RateLimit-* headers on every response of a limited class, and returns
// a 429 once the window's budget is spent.
func (l *limiter) check(w http.ResponseWriter, r *http.Request, now time.Time) *apiError {
	class := stateOf(r).class
	l.mu.Lock()
	limits := l.limits
	limit := limits.forClass(class)
	if limits.Off || limit <= 0 {
		l.mu.Unlock()
		return nil
	}
	per := limits.Window
	if per <= 0 {
		per = time.Minute
	}
	key := string(class) + "|" + credentialKey(r, class)
	win, ok := l.windows[key]
	if !ok || !now.Before(win.start.Add(per)) {
		win = &window{start: now}
		l.windows[key] = win
	}
	win.count++
	count, reset := win.count, win.start.Add(per)
	l.mu.Unlock()

	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(0, limit-count)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	if count <= limit {
		return nil
	}
	wait := int((reset.Sub(now) + time.Second - 1) / time.Second)
	return newErr(http.StatusTooManyRequests, CodeRateLimitExceeded,
		fmt.Sprintf("more than %d %s requests in %s; retry after %d seconds", limit, class, per, wait)).
		with("Retry-After", strconv.Itoa(max(1, wait)))
}

// credentialKey says whose budget a request spends: the access token, the
// API key's client, the OAuth client, or else the caller's address.
func credentialKey(r *http.Request, class contio.Class) string {
	switch class {
	case contio.ClassUser:
		if v, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			return "token:" + v
		}
	case contio.ClassAdmin:
		if id := r.Header.Get("X-Client-ID"); id != "" {
			return "client:" + id
		}
	case contio.ClassOAuth:
		if pairs, ok, _ := basicCredentials(r.Header.Get("Authorization")); ok && len(pairs) > 0 {
			return "client:" + pairs[0][0]
		}
		if vals, e := requestValues(r); e == nil && vals.Get("client_id") != "" {
			return "client:" + vals.Get("client_id")
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "addr:" + host
}
