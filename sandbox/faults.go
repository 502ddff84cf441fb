package sandbox

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// FaultKind is how a fault rule makes the sandbox misbehave.
type FaultKind string

// Fault kinds. The connection-level ones (reset, empty, truncate) hijack
// the HTTP/1.1 connection, so they only work on a server from Start.
const (
	// FaultLatency delays the response by Latency, then answers normally.
	FaultLatency FaultKind = "latency"
	// FaultStatus answers with Status and the matching error body.
	FaultStatus FaultKind = "status"
	// FaultReset resets the TCP connection (the client sees ECONNRESET).
	FaultReset FaultKind = "reset"
	// FaultEmpty closes the connection without a response (EOF).
	FaultEmpty FaultKind = "empty"
	// FaultTruncate promises a longer body than it sends, then closes.
	FaultTruncate FaultKind = "truncate"
	// FaultMalformed answers 200 with a body that is not valid JSON.
	FaultMalformed FaultKind = "malformed"
	// FaultHang never answers; the request ends when the client gives up.
	FaultHang FaultKind = "hang"
	// FaultRedirect answers with a redirect (307 unless Status is 3xx) to Location.
	FaultRedirect FaultKind = "redirect"
)

// FaultRule matches requests and makes them fail. Empty match fields match
// everything.
type FaultRule struct {
	ID string `json:"id,omitempty"`
	// Method matches the HTTP method.
	Method string `json:"method,omitempty"`
	// Path matches a path template ("/v1/partner/user/meetings/{id}") or,
	// ending in "*", a prefix.
	Path string `json:"path,omitempty"`
	// Class matches an endpoint class (user, admin, oauth, public).
	Class contio.Class `json:"class,omitempty"`
	Kind  FaultKind    `json:"kind"`
	// Latency is the delay of FaultLatency.
	Latency time.Duration `json:"-"`
	// Status is the status of FaultStatus (and of FaultRedirect if 3xx).
	Status int `json:"status,omitempty"`
	// RetryAfter is sent as Retry-After with FaultStatus (seconds or an
	// HTTP date); a 429 without one gets "30".
	RetryAfter string `json:"retry_after,omitempty"`
	// Location is the target of FaultRedirect.
	Location string `json:"location,omitempty"`
	// Times limits the rule to the next N matching requests (0: all).
	Times int `json:"times,omitempty"`
	// Hits counts the requests the rule has failed.
	Hits int `json:"hits"`
}

// faultRuleJSON is the control plane's form: latency as a Go duration string.
type faultRuleJSON struct {
	FaultRule
	Latency string `json:"latency,omitempty"`
}

func (f FaultRule) MarshalJSON() ([]byte, error) {
	type plain FaultRule
	out := struct {
		plain
		Latency string `json:"latency,omitempty"`
	}{plain: plain(f)}
	if f.Latency > 0 {
		out.Latency = f.Latency.String()
	}
	return json.Marshal(out)
}

func (f *FaultRule) validate() error {
	switch f.Kind {
	case FaultLatency:
		if f.Latency <= 0 {
			return fmt.Errorf("fault %s needs a positive latency", f.Kind)
		}
	case FaultStatus:
		if f.Status < 400 || f.Status > 599 {
			return fmt.Errorf("fault %s needs a status from 400 to 599, got %d", f.Kind, f.Status)
		}
	case FaultReset, FaultEmpty, FaultTruncate, FaultMalformed, FaultHang, FaultRedirect:
	default:
		return fmt.Errorf("unknown fault kind %q (want latency, status, reset, empty, truncate, malformed, hang or redirect)", f.Kind)
	}
	return nil
}

func (f *FaultRule) matches(r *http.Request, class contio.Class) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
		return false
	}
	if f.Class != "" && f.Class != class {
		return false
	}
	if f.Path != "" {
		if prefix, ok := strings.CutSuffix(f.Path, "*"); ok {
			return strings.HasPrefix(r.URL.Path, prefix)
		}
		return contio.PathMatches(f.Path, r.URL.Path)
	}
	return true
}

type faultSet struct {
	mu    sync.Mutex
	rules []*FaultRule
}

func (fs *faultSet) add(f FaultRule, ids *idSource) string {
	if f.ID == "" {
		f.ID = "fault_" + ids.hex(4)
	}
	fs.mu.Lock()
	fs.rules = append(fs.rules, &f)
	fs.mu.Unlock()
	return f.ID
}

func (fs *faultSet) clear() {
	fs.mu.Lock()
	fs.rules = nil
	fs.mu.Unlock()
}

// take returns the first rule matching r and counts the hit; a rule whose
// Times are used up is removed.
func (fs *faultSet) take(r *http.Request, class contio.Class) *FaultRule {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.rules {
		if !f.matches(r, class) {
			continue
		}
		f.Hits++
		c := *f
		if f.Times > 0 && f.Hits >= f.Times {
			fs.rules = slices.Delete(fs.rules, i, i+1)
		}
		return &c
	}
	return nil
}

// AddFault installs a fault rule and returns its ID.
func (s *Sandbox) AddFault(f FaultRule) (string, error) {
	if err := f.validate(); err != nil {
		return "", fmt.Errorf("sandbox: %w", err)
	}
	return s.faults.add(f, s.ids), nil
}

// RemoveFault removes the rule with id, reporting whether it existed.
func (s *Sandbox) RemoveFault(id string) bool {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	n := len(s.faults.rules)
	s.faults.rules = slices.DeleteFunc(s.faults.rules, func(f *FaultRule) bool { return f.ID == id })
	return len(s.faults.rules) < n
}

// ClearFaults removes every fault rule.
func (s *Sandbox) ClearFaults() { s.faults.clear() }

// Faults lists the installed rules.
func (s *Sandbox) Faults() []FaultRule {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	out := make([]FaultRule, len(s.faults.rules))
	for i, f := range s.faults.rules {
		out[i] = *f
	}
	return out
}

// applyFault runs the first matching rule. It reports whether the request
// is finished (true) or should go on to its handler (latency).
func (s *Sandbox) applyFault(raw http.ResponseWriter, w *statusRecorder, r *http.Request) bool {
	st := stateOf(r)
	f := s.faults.take(r, st.class)
	if f == nil {
		return false
	}
	st.fault = string(f.Kind)
	s.logf("fault %s (%s) on %s %s, request_id %s", f.ID, f.Kind, r.Method, r.URL.Path, st.requestID)
	switch f.Kind {
	case FaultLatency:
		t := time.NewTimer(f.Latency)
		defer t.Stop()
		select {
		case <-t.C:
			return false
		case <-r.Context().Done():
			return true
		case <-s.stopped:
			return true
		}
	case FaultStatus:
		e := newErr(f.Status, codeForStatus(f.Status), fmt.Sprintf("injected fault: the sandbox answers %d on purpose", f.Status))
		if f.RetryAfter != "" {
			e = e.with("Retry-After", f.RetryAfter)
		} else if f.Status == http.StatusTooManyRequests {
			e = e.with("Retry-After", "30")
		}
		s.writeError(w, r, e)
	case FaultMalformed:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"items": [{"id": "`))
	case FaultHang:
		select {
		case <-r.Context().Done():
		case <-s.stopped:
		}
	case FaultRedirect:
		status := http.StatusTemporaryRedirect
		if f.Status >= 300 && f.Status < 400 {
			status = f.Status
		}
		loc := f.Location
		if loc == "" {
			loc = "http://127.0.0.1:9/redirected" + r.URL.Path
		}
		w.Header().Set("Location", loc)
		w.WriteHeader(status)
	case FaultReset, FaultEmpty, FaultTruncate:
		conn, buf, err := http.NewResponseController(raw).Hijack()
		if err != nil {
			s.writeError(w, r, newErr(http.StatusInternalServerError, CodeInternal, "the connection fault needs an HTTP/1.1 server (Sandbox.Start)"))
			return true
		}
		switch f.Kind {
		case FaultReset:
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // close sends RST instead of FIN
			}
		case FaultTruncate:
			_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{\"items\":[{\"id\":")
			_ = buf.Flush()
		}
		_ = conn.Close()
	}
	return true
}
