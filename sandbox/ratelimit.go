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

// Contio documents two rate limits that disagree, and the sandbox enforces
// both at once, each in a rolling window:
//
//   - the troubleshooting guide: 100 user, 50 admin, 20 OAuth requests a
//     minute, which the sandbox counts per credential (access token, the
//     admin X-Client-ID, the OAuth client);
//   - the API guide: AWS WAF at the edge, 1,000 user, 500 admin, 100 OAuth
//     requests per rolling 5 minutes, counted per client IP address, so
//     every user behind one server shares one budget.
//
// A request refused with 429 is not counted, so the Retry-After the
// sandbox sends is exact: after that many seconds one more request fits.
const (
	// DefaultIPWindow is the API guide's rolling window.
	DefaultIPWindow = 5 * time.Minute
	// Per-IP limits per DefaultIPWindow, from the API guide.
	DefaultIPUserLimit  = 1000
	DefaultIPAdminLimit = 500
	DefaultIPOAuthLimit = 100
)

// Limits configure the sandbox's rate limits. Zero values mean the
// documented limits; a negative value turns that one limit off.
type Limits struct {
	// Off disables rate limiting, for tests that make many calls.
	Off bool `json:"off"`
	// User, Admin and OAuth are the per-credential limits per Window: the
	// troubleshooting guide's 100, 50 and 20.
	User  int `json:"user"`
	Admin int `json:"admin"`
	OAuth int `json:"oauth"`
	// Window is the rolling per-credential window; 0 means one minute.
	Window time.Duration `json:"-"`
	// IPUser, IPAdmin and IPOAuth are the per-client-IP limits per
	// IPWindow: the API guide's 1,000, 500 and 100.
	IPUser  int `json:"ip_user"`
	IPAdmin int `json:"ip_admin"`
	IPOAuth int `json:"ip_oauth"`
	// IPWindow is the rolling per-IP window; 0 means 5 minutes.
	IPWindow time.Duration `json:"-"`
}

// Rate-limit scopes, as the X-RateLimit-Scope header of a 429 names them.
const (
	LimitScopeCredential = "credential"
	LimitScopeIP         = "ip"
)

// effective fills in the documented defaults.
func (l Limits) effective() Limits {
	def := func(v, d int) int {
		if v == 0 {
			return d
		}
		return v
	}
	l.User = def(l.User, contio.LimitFor(contio.ClassUser))
	l.Admin = def(l.Admin, contio.LimitFor(contio.ClassAdmin))
	l.OAuth = def(l.OAuth, contio.LimitFor(contio.ClassOAuth))
	l.IPUser = def(l.IPUser, DefaultIPUserLimit)
	l.IPAdmin = def(l.IPAdmin, DefaultIPAdminLimit)
	l.IPOAuth = def(l.IPOAuth, DefaultIPOAuthLimit)
	if l.Window <= 0 {
		l.Window = time.Minute
	}
	if l.IPWindow <= 0 {
		l.IPWindow = DefaultIPWindow
	}
	return l
}

// rule is one limit that applies to a request.
type rule struct {
	scope  string // LimitScopeCredential or LimitScopeIP
	key    string
	limit  int
	window time.Duration
	source string // where Contio documents it
}

func (l Limits) rules(r *http.Request, class contio.Class) []rule {
	var cred, ip int
	switch class {
	case contio.ClassUser:
		cred, ip = l.User, l.IPUser
	case contio.ClassAdmin:
		cred, ip = l.Admin, l.IPAdmin
	case contio.ClassOAuth:
		cred, ip = l.OAuth, l.IPOAuth
	default:
		return nil
	}
	var out []rule
	if cred > 0 {
		out = append(out, rule{LimitScopeCredential, string(class) + "|" + credentialKey(r, class), cred, l.Window, "the troubleshooting guide"})
	}
	if ip > 0 {
		out = append(out, rule{LimitScopeIP, string(class) + "|ip:" + clientIP(r), ip, l.IPWindow, "the API guide (AWS WAF)"})
	}
	return out
}

type limiter struct {
	mu     sync.Mutex
	limits Limits
	// logs hold the times of the admitted requests of each key, oldest
	// first, for the rolling windows.
	logs   map[string][]time.Time
	checks int
}

func newLimiter(l Limits) *limiter { return &limiter{limits: l, logs: map[string][]time.Time{}} }

func (l *limiter) reset() {
	l.mu.Lock()
	l.logs = map[string][]time.Time{}
	l.mu.Unlock()
}

// SetLimits replaces the rate limits and starts every window afresh.
func (s *Sandbox) SetLimits(limits Limits) {
	s.limiter.mu.Lock()
	s.limiter.limits = limits
	s.limiter.logs = map[string][]time.Time{}
	s.limiter.mu.Unlock()
}

// RateLimits returns the limits in force, documented defaults filled in.
func (s *Sandbox) RateLimits() Limits {
	s.limiter.mu.Lock()
	defer s.limiter.mu.Unlock()
	return s.limiter.limits.effective()
}

// prune drops the times that left the window ending at now.
func prune(times []time.Time, now time.Time, window time.Duration) []time.Time {
	i := 0
	for i < len(times) && !times[i].After(now.Add(-window)) {
		i++
	}
	return times[i:]
}

// check counts the request against every limit of its class, sets the
// X-RateLimit-* headers (for the limit closest to running out) on every
// response of a limited class, and returns a 429 naming the limit that
// fired once one is spent.
func (l *limiter) check(w http.ResponseWriter, r *http.Request, now time.Time) *apiError {
	st := stateOf(r)
	l.mu.Lock()
	limits := l.limits.effective()
	if limits.Off {
		l.mu.Unlock()
		return nil
	}
	rules := limits.rules(r, st.class)
	if len(rules) == 0 {
		l.mu.Unlock()
		return nil
	}
	l.sweepLocked(now, limits)
	var fired *rule
	var wait time.Duration
	tightest, tightRemaining, tightReset := rules[0], -1, now
	for i := range rules {
		ru := &rules[i]
		times := prune(l.logs[ru.key], now, ru.window)
		l.logs[ru.key] = times
		if len(times) >= ru.limit {
			// One more fits once the request that holds the first
			// over-limit slot leaves the window.
			if d := times[len(times)-ru.limit].Add(ru.window).Sub(now); fired == nil || d > wait {
				fired, wait = ru, d
			}
		}
	}
	if fired == nil {
		for i := range rules {
			l.logs[rules[i].key] = append(l.logs[rules[i].key], now)
		}
	}
	for _, ru := range rules {
		times := l.logs[ru.key]
		remaining := max(0, ru.limit-len(times))
		reset := now.Add(ru.window)
		if len(times) > 0 {
			reset = times[0].Add(ru.window)
		}
		if tightRemaining < 0 || remaining < tightRemaining {
			tightest, tightRemaining, tightReset = ru, remaining, reset
		}
	}
	l.mu.Unlock()

	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(tightest.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(tightRemaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(ceilUnix(tightReset), 10))
	if fired == nil {
		return nil
	}
	st.limitScope = fired.scope
	secs := max(1, int((wait+time.Second-1)/time.Second))
	who := "this credential"
	if fired.scope == LimitScopeIP {
		who = "client IP " + clientIP(r)
	}
	return newErr(http.StatusTooManyRequests, CodeRateLimitExceeded,
		fmt.Sprintf("more than %d %s requests in a rolling %s from %s (the %s limit of %s); retry after %d seconds",
			fired.limit, st.class, windowText(fired.window), who, fired.scope, fired.source, secs)).
		with("Retry-After", strconv.Itoa(secs)).
		with("X-RateLimit-Scope", fired.scope)
}

// sweepLocked forgets idle keys now and then, so a sandbox that sees many
// tokens keeps a bounded table.
func (l *limiter) sweepLocked(now time.Time, limits Limits) {
	l.checks++
	if l.checks%1024 != 0 {
		return
	}
	longest := max(limits.Window, limits.IPWindow)
	for k, times := range l.logs {
		if len(prune(times, now, longest)) == 0 {
			delete(l.logs, k)
		}
	}
}

func ceilUnix(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}

func windowText(d time.Duration) string {
	switch {
	case d == time.Minute:
		return "minute"
	case d%time.Minute == 0:
		return fmt.Sprintf("%d minutes", int(d/time.Minute))
	}
	return d.String()
}

// clientIP is the address the request came from, as the edge sees it.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
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
	return "addr:" + clientIP(r)
}
