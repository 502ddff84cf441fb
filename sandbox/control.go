package sandbox

import (
	"encoding/json"
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
}

type requestLog struct {
	mu      sync.Mutex
	entries []LogEntry
}

func (l *requestLog) add(e LogEntry) {
	l.mu.Lock()
	l.entries = append(l.entries, e)
	l.mu.Unlock()
}

func (l *requestLog) clear() {
	l.mu.Lock()
	l.entries = nil
	l.mu.Unlock()
}

// Requests returns the request log, oldest first.
func (s *Sandbox) Requests() []LogEntry {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return slices.Clone(s.log.entries)
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
	case route == "GET /_sandbox/requests":
		writeJSON(w, http.StatusOK, map[string]any{"requests": s.Requests()})
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
