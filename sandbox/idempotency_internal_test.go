package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// keyedCall sends one user API request with an optional Idempotency-Key.
type keyedReply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func keyedCall(t *testing.T, method, url, token, key, body string) keyedReply {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Error(err)
		return keyedReply{}
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("%s %s: %v", method, url, err)
		return keyedReply{}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := keyedReply{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	_ = json.Unmarshal(b, &out.body)
	return out
}

// holdFirstKeyed starts a sandbox whose first keyed request stops inside
// the idempotency wrapper, in flight, until release is closed.
func holdFirstKeyed(t *testing.T) (s *Sandbox, token string, entered <-chan struct{}, release chan struct{}) {
	t.Helper()
	s = New(Options{Seed: 5, Clock: NewFakeClock(TestEpoch), Limits: Limits{Off: true}})
	in, rel := make(chan struct{}), make(chan struct{})
	var n atomic.Int32
	s.inFlightHook = func(*http.Request) {
		if n.Add(1) == 1 {
			close(in)
			<-rel
		}
	}
	_, stop, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	t.Cleanup(func() {
		select {
		case <-rel:
		default:
			close(rel) // never leave the held request hanging, or stop waits for it
		}
	})
	tok, err := s.IssueTokens(TokenSpec{Scopes: []string{"action-items:read", "action-items:write"}})
	if err != nil {
		t.Fatal(err)
	}
	return s, tok.AccessToken, in, rel
}

func TestIdempotencyKeyInFlightAnswers409(t *testing.T) {
	s, tok, entered, release := holdFirstKeyed(t)
	items := s.URL() + contio.UserPrefix + "/action-items"
	const key = "op-7d1e"
	first := make(chan keyedReply, 1)
	go func() { first <- keyedCall(t, "POST", items, tok, key, `{"title":"Once"}`) }()
	<-entered

	dup := keyedCall(t, "POST", items, tok, key, `{"title":"Once"}`)
	if dup.status != http.StatusConflict || dup.body["code"] != "conflict" {
		t.Fatalf("duplicate while in flight: %d %s, want 409 conflict", dup.status, dup.raw)
	}
	if dup.header.Get("Retry-After") == "" {
		t.Errorf("the in-flight 409 has no Retry-After: %v", dup.header)
	}
	if id, _ := dup.body["request_id"].(string); !strings.HasPrefix(id, "req_") {
		t.Errorf("the in-flight 409 has no request_id: %s", dup.raw)
	}
	// Another key, and a GET carrying the same key, are not held up by it.
	if other := keyedCall(t, "POST", items, tok, "op-other", `{"title":"Other"}`); other.status != http.StatusCreated {
		t.Errorf("a different key while the first is in flight: %d %s", other.status, other.raw)
	}
	if get := keyedCall(t, "GET", items, tok, key, ""); get.status != http.StatusOK {
		t.Errorf("a GET with the in-flight key: %d %s, want 200 (GET ignores the key)", get.status, get.raw)
	}

	close(release)
	won := <-first
	if won.status != http.StatusCreated || won.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("the held request: %d %v %s", won.status, won.header, won.raw)
	}
	replay := keyedCall(t, "POST", items, tok, key, `{"title":"Once"}`)
	if replay.status != http.StatusCreated || replay.body["id"] != won.body["id"] || replay.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("after the first finished, the key replays: %d %v %s", replay.status, replay.header, replay.raw)
	}
	// One POST per key ran: 5 seeded, "Once" and "Other".
	if list := keyedCall(t, "GET", items, tok, "", ""); list.body["total"] != float64(7) {
		t.Fatalf("action items after the race: %s", list.raw)
	}
}

func TestIdempotencyKeyReplayWithin24Hours(t *testing.T) {
	s, tok, _, release := holdFirstKeyed(t)
	close(release)
	items := s.URL() + contio.UserPrefix + "/action-items"
	const key = "op-day"
	first := keyedCall(t, "POST", items, tok, key, `{"title":"Daily"}`)
	if first.status != http.StatusCreated {
		t.Fatalf("first: %d %s", first.status, first.raw)
	}
	s.Advance(24*time.Hour - time.Second)
	// The replay is the stored response, even with a different body.
	r := keyedCall(t, "POST", items, tok, key, `{"title":"Changed my mind"}`)
	if r.status != http.StatusCreated || r.raw != first.raw || r.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay at 23h59m59s: %d %v %s", r.status, r.header, r.raw)
	}
	if r.header.Get("Content-Type") != first.header.Get("Content-Type") {
		t.Errorf("replayed Content-Type %q, first %q", r.header.Get("Content-Type"), first.header.Get("Content-Type"))
	}
}

func TestIdempotencyKeyIgnoredOnGET(t *testing.T) {
	s, tok, _, release := holdFirstKeyed(t)
	close(release)
	items := s.URL() + contio.UserPrefix + "/action-items"
	const key = "list-1"
	before := keyedCall(t, "GET", items, tok, key, "")
	if c := keyedCall(t, "POST", items, tok, "", `{"title":"New"}`); c.status != http.StatusCreated {
		t.Fatalf("create: %d %s", c.status, c.raw)
	}
	after := keyedCall(t, "GET", items, tok, key, "")
	if after.header.Get("Idempotent-Replayed") != "" || before.body["total"] == after.body["total"] {
		t.Fatalf("a GET with a key was replayed: before %v, after %v (%v)", before.body["total"], after.body["total"], after.header)
	}
}

// TestIdempotencyKeyFreedAfterPanic: a handler that panics answers 500 and
// does not leave its key in flight: the retry runs.
func TestIdempotencyKeyFreedAfterPanic(t *testing.T) {
	s := New(Options{Seed: 9, Clock: NewFakeClock(TestEpoch), Limits: Limits{Off: true}})
	var calls atomic.Int32
	s.routes = append(s.routes, &route{method: "POST", path: contio.UserPrefix + "/flaky", class: contio.ClassUser,
		h: s.userAuth(func(w http.ResponseWriter, _ *http.Request) *apiError {
			if calls.Add(1) == 1 {
				panic("first attempt fails")
			}
			writeJSON(w, http.StatusCreated, map[string]string{"ok": "yes"})
			return nil
		})})
	_, stop, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	tok, _ := s.IssueTokens(TokenSpec{})
	url := s.URL() + contio.UserPrefix + "/flaky"
	if r := keyedCall(t, "POST", url, tok.AccessToken, "k-1", "{}"); r.status != http.StatusInternalServerError {
		t.Fatalf("first: %d %s", r.status, r.raw)
	}
	if r := keyedCall(t, "POST", url, tok.AccessToken, "k-1", "{}"); r.status != http.StatusCreated || r.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("retry after a panic: %d %s, want the handler to run again", r.status, r.raw)
	}
}
