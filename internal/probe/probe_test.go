package probe

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

func TestRedirectIsNotFollowed(t *testing.T) {
	var followed atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { followed.Add(1) }))
	defer target.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	c := New(Options{})
	resp, err := c.Do(context.Background(), Request{Method: "GET", URL: srv.URL + "/v1/partner/admin/app", Class: contio.ClassAdmin,
		Header: http.Header{"X-Api-Key": {"key-canary-123456"}}, Credentialed: true})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusFound || !strings.HasSuffix(resp.Redirect, "/elsewhere") {
		t.Fatalf("status %d redirect %q, want 302 with Location", resp.Status, resp.Redirect)
	}
	if followed.Load() != 0 {
		t.Fatal("the redirect was followed with the API key")
	}
}

func TestBudgetAndStopAfter429(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "17")
		w.Header().Set("X-RateLimit-Limit", "20")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"code":"rate_limit_exceeded","message":"slow down","request_id":"req_429"}`))
	}))
	defer srv.Close()
	c := New(Options{})
	resp, err := c.Do(context.Background(), Request{Method: "POST", URL: srv.URL + "/oauth2/token", Class: contio.ClassOAuth})
	if err != nil {
		t.Fatal(err)
	}
	if resp.RequestID != "req_429" || resp.Code != "rate_limit_exceeded" {
		t.Fatalf("request_id %q code %q", resp.RequestID, resp.Code)
	}
	_, err = c.Do(context.Background(), Request{Method: "GET", URL: srv.URL + "/oauth2/scopes", Class: contio.ClassOAuth})
	var rl *RateLimitedError
	if !errors.As(err, &rl) || rl.Limit.RetryAfter != 17*time.Second {
		t.Fatalf("second OAuth probe after a 429: err %v, want RateLimitedError with Retry-After 17s", err)
	}
	if hits.Load() != 1 {
		t.Fatalf("server saw %d requests, want 1 (never retry into a 429)", hits.Load())
	}
}

func TestOAuthBudgetIsFive(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	c := New(Options{})
	for i := 0; i < 5; i++ {
		if _, err := c.Do(context.Background(), Request{Method: "GET", URL: srv.URL + "/oauth2/scopes", Class: contio.ClassOAuth}); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	if _, err := c.Do(context.Background(), Request{Method: "GET", URL: srv.URL + "/oauth2/scopes", Class: contio.ClassOAuth}); !errors.Is(err, ErrBudget) {
		t.Fatalf("sixth OAuth request: %v, want ErrBudget", err)
	}
}

func TestCredentialsNeedHTTPSExceptLoopback(t *testing.T) {
	c := New(Options{})
	_, err := c.Do(context.Background(), Request{Method: "GET", URL: "http://api.example.invalid/v1/partner/admin/app", Class: contio.ClassAdmin, Credentialed: true})
	var ie *InsecureError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want InsecureError", err)
	}
	if c.Used()[contio.ClassAdmin] != 0 {
		t.Fatal("a refused request used budget")
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30", 30 * time.Second, true},
		{"Sat, 28 Nov 2026 12:01:00 GMT", time.Minute, true},
		{"Sat, 28 Nov 2026 11:00:00 GMT", 0, true},
		{"soon", 0, false},
	}
	for _, c := range cases {
		got, ok := ParseRetryAfter(c.in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestTranscriptMasksCredentials(t *testing.T) {
	ex := &Exchange{Request: Request{Method: "GET", URL: "https://api.contio.ai/v1/partner/user/profile",
		Header: http.Header{"Authorization": {"Bearer cto_at_v1_canarycanarycanary"}, "X-Api-Key": {"apikey-canary-0001"}}}}
	out := Transcript(ex)
	for _, canary := range []string{"cto_at_v1_canarycanarycanary", "apikey-canary-0001"} {
		if strings.Contains(out, canary) {
			t.Fatalf("transcript shows %q:\n%s", canary, out)
		}
	}
	if !strings.Contains(out, "> Authorization: Bearer ") {
		t.Fatalf("transcript lost the scheme:\n%s", out)
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{"127.0.0.1": true, "localhost": true, "[::1]": true, "::1": true, "api.contio.ai": false, "10.0.0.1": false} {
		if IsLoopback(host) != want {
			t.Errorf("IsLoopback(%q) != %v", host, want)
		}
	}
}

// TestQuotaMemoryLeavesTheReserve: a run that follows another within the
// window remembers what was left and sends nothing that would spend the
// partner's last requests; it skips (QuotaLowError), it never meets a 429.
func TestQuotaMemoryLeavesTheReserve(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	left := 8
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		left--
		w.Header().Set("X-RateLimit-Limit", "20")
		w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(left))
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(time.Minute).Unix(), 10))
		w.WriteHeader(http.StatusBadRequest)
	}))
	defer srv.Close()
	mem := &QuotaMemory{Path: filepath.Join(t.TempDir(), "cache", "quota.json")}
	opts := Options{Clock: func() time.Time { return now }, Memory: mem}
	first := New(opts)
	if _, err := first.Do(context.Background(), Request{Method: "POST", URL: srv.URL + "/oauth2/token", Class: contio.ClassOAuth}); err != nil {
		t.Fatal(err)
	}
	first.SaveQuotas()

	second := New(opts) // the next run, seconds later: 7 left, reserve 4
	var sent, skipped int
	for range 4 {
		_, err := second.Do(context.Background(), Request{Method: "POST", URL: srv.URL + "/oauth2/token", Class: contio.ClassOAuth})
		var low *QuotaLowError
		switch {
		case err == nil:
			sent++
		case errors.As(err, &low):
			skipped++
			if !strings.Contains(low.Error(), "left until 12:01:00 UTC") {
				t.Errorf("skip reason %q", low.Error())
			}
		default:
			t.Fatal(err)
		}
	}
	if sent != 3 || skipped != 1 || left != 4 {
		t.Errorf("sent %d, skipped %d, %d left at the server; want 3, 1, 4", sent, skipped, left)
	}
	// After the reset the memory is forgotten.
	later := New(Options{Clock: func() time.Time { return now.Add(2 * time.Minute) }, Memory: mem})
	if len(later.remembered) != 0 {
		t.Errorf("expired quota remembered: %+v", later.remembered)
	}
}

func TestQuotaMemorySurvivesADamagedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quota.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := New(Options{Memory: &QuotaMemory{Path: path}})
	if len(c.remembered) != 0 {
		t.Fatal("a damaged file gave a memory")
	}
}

func TestParseErrorBodyBothShapes(t *testing.T) {
	cases := []struct {
		name, body         string
		rid, code, message string
	}{
		{"spec oauth", `{"code":"invalid_grant","message":"the code has expired","request_id":"req_1"}`, "req_1", "invalid_grant", "the code has expired"},
		{"spec user/admin", `{"code":"forbidden","error":"Token lacks scope","message":"needs meetings:read","request_id":"req_2"}`, "req_2", "forbidden", "needs meetings:read"},
		{"spec, sentence in error only", `{"code":"not_found","error":"No such meeting","request_id":"req_3"}`, "req_3", "not_found", "No such meeting"},
		{"docs shape", `{"error":"invalid_grant","error_description":"Authorization code expired","request_id":"req_abc123xyz"}`, "req_abc123xyz", "invalid_grant", "Authorization code expired"},
		{"docs shape without description", `{"error":"rate_limit_exceeded"}`, "", "rate_limit_exceeded", ""},
		{"error object", `{"error":{"reason":"x"},"message":"m"}`, "", "", "m"},
		{"not json", `<html>busy</html>`, "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rid, code, msg := parseErrorBody([]byte(tc.body))
			if rid != tc.rid || code != tc.code || msg != tc.message {
				t.Errorf("parseErrorBody = %q, %q, %q; want %q, %q, %q", rid, code, msg, tc.rid, tc.code, tc.message)
			}
		})
	}
}

func TestAPIVersionIsKept(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/versioned" {
			w.Header().Set("X-API-Version", "1.9")
		}
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"bad credentials","request_id":"req_9"}`))
	}))
	defer srv.Close()
	c := New(Options{})
	if v := c.APIVersion(); v != "" {
		t.Fatalf("APIVersion before any request = %q", v)
	}
	first, err := c.Do(context.Background(), Request{Method: "GET", URL: srv.URL + "/plain", Class: contio.ClassUser})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(context.Background(), Request{Method: "GET", URL: srv.URL + "/versioned", Class: contio.ClassUser})
	if err != nil {
		t.Fatal(err)
	}
	if first.APIVersion != "" || resp.APIVersion != "1.9" {
		t.Errorf("per-response APIVersion %q, %q; want \"\", \"1.9\"", first.APIVersion, resp.APIVersion)
	}
	if resp.Code != "invalid_client" || resp.Message != "bad credentials" || resp.RequestID != "req_9" {
		t.Errorf("docs-shaped error read as code %q message %q request_id %q", resp.Code, resp.Message, resp.RequestID)
	}
	if v := c.APIVersion(); v != "1.9" {
		t.Errorf("APIVersion = %q, want the first one seen, 1.9", v)
	}
}

// FuzzParseErrorBody: any bytes give strings, never a panic, and a code is
// only ever taken from the body's code or error field (any case).
func FuzzParseErrorBody(f *testing.F) {
	for _, s := range []string{
		`{"code":"invalid_grant","message":"m","request_id":"r"}`,
		`{"error":"invalid_client","error_description":"d"}`,
		`{"error":{"nested":true}}`, `[]`, `null`, `{"code":7}`, "\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, code, _ := parseErrorBody(body)
		// encoding/json matches field names case-insensitively.
		lower := strings.ToLower(string(body))
		if code != "" && !strings.Contains(lower, "code") && !strings.Contains(lower, "error") && !strings.Contains(lower, `\u`) {
			t.Errorf("code %q from a body with neither field: %q", code, body)
		}
	})
}
