package sandbox_test

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

func TestFaults(t *testing.T) {
	sb, _ := newSB(t)
	tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile", "meetings:read"}})
	get := func(path string) (*http.Response, error) {
		req, _ := http.NewRequest("GET", sb.URL()+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		// A fresh transport: on a reused idle connection Go silently retries a reset GET.
		client := &http.Client{Transport: &http.Transport{}, Timeout: 2 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		return client.Do(req)
	}
	add := func(f sandbox.FaultRule) {
		t.Helper()
		if _, err := sb.AddFault(f); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("status 503 once, then normal", func(t *testing.T) {
		add(sandbox.FaultRule{Path: "/v1/partner/user/profile", Kind: sandbox.FaultStatus, Status: 503, Times: 1})
		wantError(t, call(t, "GET", sb.URL()+"/v1/partner/user/profile", bearerH(tok.AccessToken), ""), 503, "service_unavailable")
		if r := call(t, "GET", sb.URL()+"/v1/partner/user/profile", bearerH(tok.AccessToken), ""); r.Status != 200 {
			t.Fatalf("after the one fault: %d", r.Status)
		}
	})
	t.Run("429 with an HTTP-date Retry-After", func(t *testing.T) {
		add(sandbox.FaultRule{Class: "user", Kind: sandbox.FaultStatus, Status: 429, RetryAfter: "Thu, 15 Jan 2026 09:01:00 GMT", Times: 1})
		r := call(t, "GET", sb.URL()+"/v1/partner/user/meetings", bearerH(tok.AccessToken), "")
		wantError(t, r, 429, "rate_limit_exceeded")
		if r.Header.Get("Retry-After") != "Thu, 15 Jan 2026 09:01:00 GMT" {
			t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
		}
	})
	t.Run("connection reset", func(t *testing.T) {
		add(sandbox.FaultRule{Path: "/v1/partner/user/*", Kind: sandbox.FaultReset, Times: 1})
		_, err := get("/v1/partner/user/profile")
		if !errors.Is(err, syscall.ECONNRESET) {
			t.Fatalf("want ECONNRESET, got %v", err)
		}
	})
	t.Run("truncated body", func(t *testing.T) {
		add(sandbox.FaultRule{Method: "GET", Path: "/v1/partner/user/meetings", Kind: sandbox.FaultTruncate, Times: 1})
		resp, err := get("/v1/partner/user/meetings")
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("want unexpected EOF, got %v", err)
		}
	})
	t.Run("malformed JSON", func(t *testing.T) {
		add(sandbox.FaultRule{Path: "/v1/partner/user/meetings", Kind: sandbox.FaultMalformed, Times: 1})
		r := call(t, "GET", sb.URL()+"/v1/partner/user/meetings", bearerH(tok.AccessToken), "")
		if r.Status != 200 || r.JSON != nil {
			t.Fatalf("want 200 with broken JSON, got %d %s", r.Status, r.Raw)
		}
	})
	t.Run("hang until the client gives up", func(t *testing.T) {
		add(sandbox.FaultRule{Path: "/v1/partner/user/profile", Kind: sandbox.FaultHang, Times: 1})
		req, _ := http.NewRequest("GET", sb.URL()+"/v1/partner/user/profile", nil)
		_, err := (&http.Client{Timeout: 50 * time.Millisecond}).Do(req)
		var ne interface{ Timeout() bool }
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("want a client timeout, got %v", err)
		}
	})
	t.Run("redirect", func(t *testing.T) {
		add(sandbox.FaultRule{Path: "/v1/partner/user/profile", Kind: sandbox.FaultRedirect, Location: "http://127.0.0.1:9/elsewhere", Times: 1})
		resp, err := get("/v1/partner/user/profile")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 307 || resp.Header.Get("Location") != "http://127.0.0.1:9/elsewhere" {
			t.Fatalf("redirect: %d %v", resp.StatusCode, resp.Header)
		}
	})
	t.Run("bad rules are refused", func(t *testing.T) {
		for _, f := range []sandbox.FaultRule{{Kind: "explode"}, {Kind: sandbox.FaultStatus, Status: 200}, {Kind: sandbox.FaultLatency}} {
			if _, err := sb.AddFault(f); err == nil {
				t.Errorf("AddFault(%+v) accepted", f)
			}
		}
	})
	var faulted []string
	for _, e := range sb.Requests() {
		if e.Fault != "" {
			faulted = append(faulted, e.Fault)
		}
	}
	// Entries are logged when a request ends, so a cut connection may land after the next request.
	slices.Sort(faulted)
	if got := strings.Join(faulted, ","); got != "hang,malformed,redirect,reset,status,status,truncate" {
		t.Errorf("request log faults = %s", got)
	}
}

// TestOptionsFaultsMisbehavingServer: a sandbox built to misbehave from
// the start, and again after Reset, as probe tests need.
func TestOptionsFaultsMisbehavingServer(t *testing.T) {
	sb := sandbox.NewTest(t, sandbox.Options{Faults: []sandbox.FaultRule{{Class: "oauth", Kind: sandbox.FaultStatus, Status: 502}}})
	wantError(t, call(t, "GET", sb.URL()+"/oauth2/scopes", nil, ""), 502, "internal_server_error")
	sb.Reset()
	wantError(t, call(t, "GET", sb.URL()+"/oauth2/health", nil, ""), 502, "internal_server_error")
	sb.ClearFaults()
	if r := call(t, "GET", sb.URL()+"/oauth2/health", nil, ""); r.Status != 200 {
		t.Fatal(r.Raw)
	}
}
