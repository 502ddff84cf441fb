package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// LogEntry is one request the sandbox served (control-plane calls aside).
type LogEntry struct {
	Time      time.Time `json:"time"`
	RequestID string    `json:"request_id"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	Class     string    `json:"class"`
	Status    int       `json:"status"` // 0: the connection was cut by a fault
	Code      string    `json:"code,omitempty"`
	// Write is true when the request changed server state.
	Write bool `json:"write"`
	// WriteEndpoint is true when the operation is a write by its nature,
	// whether or not this call succeeded.
	WriteEndpoint bool   `json:"write_endpoint"`
	Fault         string `json:"fault,omitempty"`
	RateLimited   bool   `json:"rate_limited,omitempty"`
	// RateLimit names the limit that refused the request: "credential" or "ip".
	RateLimit string `json:"rate_limit,omitempty"`
}

// DefaultRequestLogSize is how many requests the log keeps when
// Options.RequestLogSize is 0.
const DefaultRequestLogSize = 1000

// requestLog is a ring buffer of the newest capacity entries: a sandbox
// left running for days keeps a bounded log.
type requestLog struct {
	mu       sync.Mutex
	capacity int
	entries  []LogEntry // len ≤ capacity; next is the oldest once full
	next     int
	dropped  int
}

func (l *requestLog) add(e LogEntry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.entries) < l.capacity {
		l.entries = append(l.entries, e)
		return
	}
	l.entries[l.next] = e
	l.next = (l.next + 1) % l.capacity
	l.dropped++
}

func (l *requestLog) clear() {
	l.mu.Lock()
	l.entries, l.next, l.dropped = nil, 0, 0
	l.mu.Unlock()
}

// snapshot returns the entries oldest first and how many were dropped.
func (l *requestLog) snapshot() ([]LogEntry, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]LogEntry, 0, len(l.entries))
	out = append(out, l.entries[l.next:]...)
	out = append(out, l.entries[:l.next]...)
	return out, l.dropped
}

// Requests returns the request log, oldest first: the newest
// Options.RequestLogSize requests.
func (s *Sandbox) Requests() []LogEntry {
	out, _ := s.log.snapshot()
	return out
}

// DroppedRequests is how many old entries the bounded request log has
// let go since the last Reset or ClearRequests.
func (s *Sandbox) DroppedRequests() int {
	_, n := s.log.snapshot()
	return n
}

// ClearRequests empties the request log.
func (s *Sandbox) ClearRequests() { s.log.clear() }

func (s *Sandbox) serveControl(w http.ResponseWriter, r *http.Request) {
	st := stateOf(r)
	st.class = contio.ClassPublic
	path := strings.TrimSuffix(r.URL.Path, "/")
	fail := func(status int, code, msg string) { s.writeError(w, r, newErr(status, code, msg)) }
	route := r.Method + " " + path
	switch {
	case route == "GET /_sandbox/health":
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "version": Version, "now": s.Now()})
	case route == "GET /_sandbox/clock":
		writeJSON(w, http.StatusOK, map[string]any{"now": s.Now()})
	case route == "POST /_sandbox/clock/advance":
		var in struct {
			By string `json:"by"`
		}
		_ = json.NewDecoder(r.Body).Decode(&in)
		if in.By == "" {
			in.By = r.URL.Query().Get("by")
		}
		d, err := time.ParseDuration(in.By)
		if err != nil || d < 0 {
			fail(http.StatusBadRequest, CodeInvalidRequest, `"by" must be a non-negative Go duration such as "5m" or "30m1s"`)
			return
		}
		s.Advance(d)
		writeJSON(w, http.StatusOK, map[string]any{"now": s.Now()})
	case route == "POST /_sandbox/dns":
		var in struct{ Name, Value string }
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&in); err != nil || in.Name == "" {
			fail(http.StatusBadRequest, CodeInvalidRequest, `the body must be {"name": "...", "value": "..."}`)
			return
		}
		s.SetDNSRecord(in.Name, in.Value)
		writeJSON(w, http.StatusOK, map[string]any{"name": in.Name, "value": in.Value})
	case route == "POST /_sandbox/reset":
		s.Reset()
		writeJSON(w, http.StatusOK, map[string]any{"reset": true})
	case route == "GET /_sandbox/app":
		a := s.DefaultApp()
		u := s.DefaultUser()
		writeJSON(w, http.StatusOK, map[string]any{
			"client_id": a.ClientID, "client_secret": a.ClientSecret, "redirect_uris": a.RedirectURIs, "scopes": a.Scopes,
			"api_key": a.APIKey, "webhook_url": a.WebhookURL, "webhook_secret": a.WebhookSecret, "partner_app_id": a.ID,
			"user_email": u.Email,
		})
	case route == "GET /_sandbox/faults":
		writeJSON(w, http.StatusOK, map[string]any{"faults": s.Faults()})
	case route == "POST /_sandbox/faults":
		var in faultRuleJSON
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			fail(http.StatusBadRequest, CodeInvalidRequest, "the fault rule is not valid JSON: "+err.Error())
			return
		}
		rule := in.FaultRule
		if in.Latency != "" {
			d, err := time.ParseDuration(in.Latency)
			if err != nil {
				fail(http.StatusBadRequest, CodeInvalidRequest, `"latency" must be a Go duration such as "2s"`)
				return
			}
			rule.Latency = d
		}
		id, err := s.AddFault(rule)
		if err != nil {
			fail(http.StatusBadRequest, CodeInvalidRequest, err.Error())
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{"id": id})
	case route == "DELETE /_sandbox/faults":
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodDelete && strings.HasPrefix(path, "/_sandbox/faults/"):
		if !s.RemoveFault(strings.TrimPrefix(path, "/_sandbox/faults/")) {
			fail(http.StatusNotFound, CodeNotFound, "no fault rule with this id")
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case route == "GET /_sandbox/limits":
		writeJSON(w, http.StatusOK, limitsJSON(s.RateLimits()))
	case route == "PUT /_sandbox/limits":
		var in limitsBody
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			fail(http.StatusBadRequest, CodeInvalidRequest, "the limits are not valid JSON: "+err.Error())
			return
		}
		l, err := in.limits()
		if err != nil {
			fail(http.StatusBadRequest, CodeInvalidRequest, err.Error())
			return
		}
		s.SetLimits(l)
		writeJSON(w, http.StatusOK, limitsJSON(s.RateLimits()))
	case route == "GET /_sandbox/requests":
		entries, dropped := s.log.snapshot()
		writeJSON(w, http.StatusOK, map[string]any{"requests": entries, "dropped": dropped, "capacity": s.opts.RequestLogSize})
	case route == "DELETE /_sandbox/requests":
		s.ClearRequests()
		w.WriteHeader(http.StatusNoContent)
	case route == "GET /_sandbox/inbox":
		msgs := s.Inbox()
		slices.Reverse(msgs)
		if strings.Contains(r.Header.Get("Accept"), "text/html") {
			s.renderPage(w, http.StatusOK, "inbox.html", pageData{Title: "Sandbox inbox", Messages: msgs})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"messages": msgs})
	case route == "POST /_sandbox/tokens":
		var in struct {
			ClientID string   `json:"client_id"`
			Email    string   `json:"email"`
			Scopes   []string `json:"scopes"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			fail(http.StatusBadRequest, CodeInvalidRequest, "the body is not valid JSON: "+err.Error())
			return
		}
		tok, err := s.IssueTokens(TokenSpec{ClientID: in.ClientID, UserEmail: in.Email, Scopes: in.Scopes})
		if err != nil {
			fail(http.StatusBadRequest, CodeInvalidRequest, err.Error())
			return
		}
		writeJSON(w, http.StatusCreated, tok)
	case route == "GET /_sandbox/webhooks":
		writeJSON(w, http.StatusOK, map[string]any{"deliveries": s.Deliveries()})
	case route == "POST /_sandbox/webhooks/trigger":
		var in struct {
			ClientID  string         `json:"client_id"`
			EventType string         `json:"event_type"`
			Data      map[string]any `json:"data"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			fail(http.StatusBadRequest, CodeInvalidRequest, "the body is not valid JSON: "+err.Error())
			return
		}
		d, err := s.TriggerWebhook(in.ClientID, in.EventType, in.Data)
		if err != nil {
			fail(http.StatusBadRequest, CodeInvalidRequest, err.Error())
			return
		}
		writeJSON(w, http.StatusAccepted, d)
	default:
		fail(http.StatusNotFound, CodeNotFound, "no control endpoint "+r.Method+" "+r.URL.Path)
	}
}

// limitsBody is Limits on the control plane, windows as Go durations.
type limitsBody struct {
	Limits
	Window   string `json:"window"`
	IPWindow string `json:"ip_window"`
}

func (b limitsBody) limits() (Limits, error) {
	l := b.Limits
	for _, d := range []struct {
		name string
		raw  string
		into *time.Duration
	}{{"window", b.Window, &l.Window}, {"ip_window", b.IPWindow, &l.IPWindow}} {
		if d.raw == "" {
			continue
		}
		v, err := time.ParseDuration(d.raw)
		if err != nil || v < 0 {
			return Limits{}, fmt.Errorf("%q must be a non-negative Go duration such as \"1m\" or \"5m\"", d.name)
		}
		*d.into = v
	}
	return l, nil
}

func limitsJSON(l Limits) limitsBody {
	return limitsBody{Limits: l, Window: l.Window.String(), IPWindow: l.IPWindow.String()}
}
