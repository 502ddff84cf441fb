package proxy

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/har"
	"github.com/Contio-AI/contio-doctor/sandbox"
)

// startSession serves a session in front of upstream on loopback and
// returns its base URL.
//
// Tests close the returned server before counting entries: Close waits
// for the handlers, and an exchange is recorded when its handler ends.
func startSession(t *testing.T, upstream string, transport http.RoundTripper, announce io.Writer) (*Session, *httptest.Server) {
	t.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSession(SessionOptions{Proxy: Options{Upstream: u, Transport: transport}, Announce: announce, RunID: "test", FailOn: checks.SeverityError})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return s, srv
}

// echo answers with what it received, so a test sees what the upstream saw.
func echo(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/redirect" {
		w.Header().Set("Location", "/elsewhere")
		w.WriteHeader(http.StatusFound)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"method": r.Method, "path": r.URL.Path, "query": r.URL.RawQuery, "host": r.Host,
		"headers": r.Header, "body": string(body), "tls": r.TLS != nil,
	})
}

type seen struct {
	Method, Path, Query, Host, Body string
	Headers                         http.Header
	TLS                             bool
}

func do(t *testing.T, c *http.Client, method, u string, h http.Header, body string) (*http.Response, seen) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s seen
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &s)
	return resp, s
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func TestForwardsRequestsUnchangedOverTLS(t *testing.T) {
	up := httptest.NewTLSServer(http.HandlerFunc(echo))
	defer up.Close()
	s, srv := startSession(t, up.URL, up.Client().Transport, nil)
	base := srv.URL

	h := http.Header{"X-Api-Key": {"key-canary-123456"}, "X-Client-Id": {"client-1"}, "Content-Type": {"application/json"}}
	resp, got := do(t, noRedirect, "PATCH", base+"/v1/partner/admin/app?a=1&b=two%20words", h, `{"name":"x"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	upHost := strings.TrimPrefix(up.URL, "https://")
	if got.Method != "PATCH" || got.Path != "/v1/partner/admin/app" || got.Query != "a=1&b=two%20words" || got.Body != `{"name":"x"}` {
		t.Errorf("upstream saw %+v", got)
	}
	if got.Host != upHost {
		t.Errorf("upstream saw Host %q, want the upstream's %q", got.Host, upHost)
	}
	if !got.TLS {
		t.Error("the upstream was not reached over TLS")
	}
	if got.Headers.Get("X-Api-Key") != "key-canary-123456" || got.Headers.Get("X-Client-Id") != "client-1" {
		t.Errorf("headers not forwarded: %v", got.Headers)
	}
	for _, k := range []string{"X-Forwarded-For", "X-Forwarded-Host", "Forwarded"} {
		if v := got.Headers.Get(k); v != "" {
			t.Errorf("proxy added %s: %q", k, v)
		}
	}
	srv.Close()
	if s.Entries() != 1 {
		t.Errorf("%d entries recorded, want 1", s.Entries())
	}
}

func TestFollowsNoRedirect(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(echo))
	defer up.Close()
	s, srv := startSession(t, up.URL, nil, nil)
	base := srv.URL
	resp, _ := do(t, noRedirect, "GET", base+"/redirect", nil, "")
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/elsewhere" {
		t.Errorf("got %d Location %q, want the upstream's 302 passed through", resp.StatusCode, resp.Header.Get("Location"))
	}
	srv.Close()
	if s.Entries() != 1 {
		t.Errorf("%d entries, want 1 (no redirect followed)", s.Entries())
	}
}

// A large body streams through whole while the record keeps a prefix.
func TestStreamsLargeBodiesKeepingAPrefix(t *testing.T) {
	big := make([]byte, 8<<20)
	_, _ = rand.Read(big)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		w.Header().Set("X-Got", itoa(n))
		_, _ = w.Write(big)
	}))
	defer up.Close()
	s, srv := startSession(t, up.URL, nil, nil)
	base := srv.URL
	resp, err := http.Post(base+"/upload", "application/octet-stream", bytes.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("read the response through the proxy: %v", err)
	}
	if resp.Header.Get("X-Got") != itoa(int64(len(big))) || !bytes.Equal(body, big) {
		t.Fatalf("body not passed through whole: upstream got %s bytes, client got %d", resp.Header.Get("X-Got"), len(body))
	}
	srv.Close()
	recs, _ := s.proxy.snapshot()
	r := recs[0]
	if r.Request.BodySize != len(big) || r.Response.Content.Size != len(big) {
		t.Errorf("sizes %d/%d, want %d", r.Request.BodySize, r.Response.Content.Size, len(big))
	}
	kept, _ := base64.StdEncoding.DecodeString(r.Response.Content.Text)
	if len(kept) != DefaultMaxBody || !bytes.Equal(kept, big[:DefaultMaxBody]) {
		t.Errorf("kept %d bytes of the response, want its first %d", len(kept), DefaultMaxBody)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestConcurrentRequests(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		_, _ = io.WriteString(w, r.URL.Query().Get("i"))
	}))
	defer up.Close()
	s, srv := startSession(t, up.URL, nil, nil)
	base := srv.URL
	var wg sync.WaitGroup
	errs := make(chan string, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			want := itoa(int64(i))
			resp, err := http.Get(base + "/x?i=" + want)
			if err != nil {
				errs <- err.Error()
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(b) != want {
				errs <- "got " + string(b) + " want " + want
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	srv.Close()
	if s.Entries() != 50 {
		t.Errorf("%d entries, want 50", s.Entries())
	}
}

func TestUpstreamDownIsAGatewayError(t *testing.T) {
	// An upstream that takes the connection and closes it unanswered. (A
	// closed port would do as well, but the OS may hand it to the proxy's
	// own listener a moment later, and the proxy would forward to itself.)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	addr := "http://" + ln.Addr().String()
	s, srv := startSession(t, addr, nil, nil)
	base := srv.URL
	resp, _ := do(t, noRedirect, "GET", base+"/v1/partner/user/profile", http.Header{"Authorization": {"Bearer at-canary-0123456789"}}, "")
	if resp.StatusCode != http.StatusBadGateway {
		t.Errorf("status %d, want 502", resp.StatusCode)
	}
	srv.Close()
	recs, _ := s.proxy.snapshot()
	if len(recs) != 1 || recs[0].Response.Status != 0 {
		t.Errorf("want one entry with status 0 (no response), got %+v", recs)
	}
}

func TestRejectsABadUpstream(t *testing.T) {
	for _, raw := range []string{"", "api.contio.ai", "ftp://x", "/v1"} {
		u, _ := url.Parse(raw)
		if _, err := New(Options{Upstream: u}); err == nil {
			t.Errorf("upstream %q accepted", raw)
		}
	}
}

func TestListenSaysWhetherLoopback(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1:0": true, "[::1]:0": true, "localhost:0": true} {
		ln, loop, err := Listen(addr)
		if err != nil {
			t.Logf("%s: %v", addr, err)
			continue
		}
		ln.Close()
		if loop != want {
			t.Errorf("%s: loopback %v, want %v", addr, loop, want)
		}
	}
	ln, loop, err := Listen("0.0.0.0:0")
	if err == nil {
		ln.Close()
		if loop {
			t.Error("0.0.0.0 reported as loopback")
		}
	}
}

// newSandbox starts the embedded sandbox on loopback.
func newSandbox(t *testing.T, opts sandbox.Options) (*sandbox.Sandbox, string) {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 7
	}
	sb := sandbox.New(opts)
	base, stop, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return sb, base
}

// A guide mistake made through the proxy is announced once, the moment it
// is seen, with no secret in the line; the final report carries it.
func TestAnnouncesEachNewFindingOnce(t *testing.T) {
	sb, up := newSandbox(t, sandbox.Options{})
	app := sb.DefaultApp()
	var out syncBuffer
	s, srv := startSession(t, up, nil, &out)
	base := srv.URL
	for range 2 {
		do(t, noRedirect, "GET", base+"/v1/partner/admin/app", http.Header{"X-Api-Key": {app.APIKey}}, "")
	}
	srv.Close()
	if _, _, err := s.Diagnose(context.Background()); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Close(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var missing []string
	for _, l := range lines {
		if strings.Contains(l, " missing_client_id ") {
			missing = append(missing, l)
		}
	}
	// One problem, one line: the checks that show it, its guide entry,
	// the call and the message.
	if len(missing) != 1 || !strings.HasPrefix(missing[0], "CD4201 ") || !strings.Contains(missing[0], " missing_client_id GET /v1/partner/admin/app: ") {
		t.Errorf("announced:\n%s\nwant one CD4201 … missing_client_id GET /v1/partner/admin/app line", out.String())
	}
	if strings.Contains(out.String(), app.APIKey) {
		t.Error("the API key reached the announcement")
	}
	if rep.ExitCode != 1 {
		t.Errorf("exit code %d, want 1", rep.ExitCode)
	}
	var buf bytes.Buffer
	if err := s.WriteHAR(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), app.APIKey) {
		t.Error("the API key reached the written HAR")
	}
	if _, err := har.Load(bytes.NewReader(buf.Bytes()), har.Options{}); err != nil {
		t.Errorf("the written HAR does not load: %v", err)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Past the session's body budget, exchanges are still recorded, without
// their bodies; past MaxEntries, they are only counted.
func TestBoundsWhatASessionKeeps(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, strings.Repeat("x", 1000))
	}))
	defer up.Close()
	u, _ := url.Parse(up.URL)
	p, err := New(Options{Upstream: u, MaxKept: 2500, MaxEntries: 4})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	for range 6 {
		resp, err := http.Get(srv.URL + "/x")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	srv.Close()
	recs, dropped := p.snapshot()
	if len(recs) != 4 || dropped != 2 {
		t.Fatalf("%d recorded, %d dropped; want 4 and 2", len(recs), dropped)
	}
	var withBody int
	for _, r := range recs {
		if r.Response.Content.Text != "" {
			withBody++
		}
		if r.Response.Content.Size != 1000 {
			t.Errorf("size %d, want 1000 even without the body", r.Response.Content.Size)
		}
	}
	if withBody != 2 {
		t.Errorf("%d records kept their body, want 2 (the budget holds 2500 bytes)", withBody)
	}
}

// The proxy's and the server's own error lines go out redacted, one line.
func TestErrorLogIsRedacted(t *testing.T) {
	var out syncBuffer
	u, _ := url.Parse("http://127.0.0.1:9")
	s, err := NewSession(SessionOptions{Proxy: Options{Upstream: u}, Announce: &out})
	if err != nil {
		t.Fatal(err)
	}
	s.Redactor().Add("CANARYlogSECRET12345")
	s.Logger().Printf("read error on https://api.contio.ai/x?access_token=%s\nsecond line", "CANARYlogSECRET12345")
	got := out.String()
	if strings.Contains(got, "CANARYlogSECRET12345") || strings.Count(got, "\n") != 1 || !strings.HasPrefix(got, "contio-doctor proxy: read error") {
		t.Errorf("logged %q", got)
	}
}
