package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/har"
	"github.com/Contio-AI/contio-doctor/sandbox"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var forwardingLine = regexp.MustCompile(`forwarding http://(\S+) to `)

// The whole command: it announces a mistake on stderr as it passes, and
// on SIGINT writes the report to stdout and the redacted HAR, exit 1.
func TestProxyCommandReportsOnSIGINT(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Seed: 3})
	up, stop, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	app := sb.DefaultApp()
	harPath := filepath.Join(t.TempDir(), "session.har")

	var out, errb lockedBuffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		lookupEnv: func(string) (string, bool) { return "", false }, getwd: os.Getwd, runID: "run-test"}
	done := make(chan int, 1)
	go func() {
		done <- e.run([]string{"proxy", "--upstream", up, "--listen", "127.0.0.1:0", "--har", harPath, "--format", "json"})
	}()
	var addr string
	for deadline := time.Now().Add(10 * time.Second); addr == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := forwardingLine.FindStringSubmatch(errb.String()); m != nil {
			addr = m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("proxy exited %d early: %s", code, errb.String())
		default:
		}
	}
	if addr == "" {
		t.Fatalf("proxy never said where it listens: %s", errb.String())
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/v1/partner/admin/app", nil)
	req.Header.Set("X-API-Key", app.APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 && resp.StatusCode != 401 && resp.StatusCode != 403 {
		t.Errorf("sandbox answered %d through the proxy, want its missing X-Client-ID error", resp.StatusCode)
	}
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(errb.String(), "CD4201 ") && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(errb.String(), " missing_client_id GET /v1/partner/admin/app: ") || !strings.Contains(errb.String(), "CD4201 ") {
		t.Errorf("no announcement on stderr:\n%s", errb.String())
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var code int
	select {
	case code = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("proxy did not stop on SIGINT")
	}
	if code != 1 {
		t.Errorf("exit %d, want 1\nstderr: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), `"check": "CD4201"`) || strings.Contains(out.String(), "CD4201 missing") {
		t.Errorf("stdout is not the JSON report alone:\n%s", out.String())
	}
	doc, err := os.ReadFile(harPath)
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"stdout": out.String(), "stderr": errb.String(), "HAR": string(doc)} {
		if strings.Contains(text, app.APIKey) {
			t.Errorf("the API key reached %s", name)
		}
	}
	ig, err := har.Load(bytes.NewReader(doc), har.Options{APIURL: up})
	if err != nil || len(ig.Calls) != 1 {
		t.Errorf("the session HAR: %v, %d calls", err, len(ig.Calls))
	}
}

func TestProxyCommandRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"proxy"},
		{"proxy", "--upstream", "api.contio.ai"},
		{"proxy", "--upstream", "http://127.0.0.1:1", "--format", "yaml"},
		{"proxy", "--upstream", "http://127.0.0.1:1", "--listen", "not-an-address"},
	} {
		if r := runCLI(t, nil, args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
}

// An upstream that is the proxy's own address would send every request
// back into the proxy until it runs out of files: refused, with why.
func TestProxyRefusesToForwardToItself(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // free for the proxy to take
	_, port, _ := net.SplitHostPort(addr)
	for _, up := range []string{"http://" + addr, "http://localhost:" + port} {
		r := runCLI(t, nil, "proxy", "--upstream", up, "--listen", addr)
		if r.code != 2 || !strings.Contains(r.stderr, "is the proxy's own --listen address") {
			t.Errorf("--upstream %s --listen %s: exit %d, stderr %s", up, addr, r.code, r.stderr)
		}
	}
}

// Listening beyond loopback works but says loudly what it exposes; a
// session with no traffic still reports, clean, exit 0.
func TestProxyWarnsOffLoopback(t *testing.T) {
	var out, errb lockedBuffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		lookupEnv: func(string) (string, bool) { return "", false }, getwd: os.Getwd, runID: "run-test"}
	o := &proxyOptions{upstream: "http://127.0.0.1:9", listen: "0.0.0.0:0"}
	o.failOn, o.format, o.timeout = "error", "text", 10*time.Second
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as if interrupted at once
	if err := e.runProxy(ctx, o); err != nil {
		t.Fatalf("runProxy: %v", err)
	}
	if !strings.Contains(errb.String(), "WARNING: listening on ") || !strings.Contains(errb.String(), "not loopback") {
		t.Errorf("no warning for a non-loopback listen address:\n%s", errb.String())
	}
	if !strings.Contains(out.String(), "0 failed") {
		t.Errorf("no report on stdout:\n%s", out.String())
	}
	errb = lockedBuffer{}
	o.listen = "127.0.0.1:0"
	if err := e.runProxy(ctx, o); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(errb.String(), "WARNING") {
		t.Errorf("warned on loopback:\n%s", errb.String())
	}
}

// The har command on the sessions the official SDK recorded through the
// proxy (internal/proxy TestSDKThroughProxy -update).
func TestHAROnSDKSessions(t *testing.T) {
	inRepoRoot(t)
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"testdata/har/sdk-healthy.har"}, 0, "0 failed"},
		{[]string{"testdata/har/sdk-admin-missing-client-id.har"}, 1, "CD4201"},
		{[]string{"testdata/har/sdk-code-reused.har"}, 1, "CD2402"},
		{[]string{"--fail-on", "warning", "testdata/har/sdk-burst-no-retries.har"}, 1, "CD5450"},
	} {
		r := runCLI(t, nil, append([]string{"har", "--no-color"}, tc.args...)...)
		if r.code != tc.code || !strings.Contains(r.stdout, tc.out) {
			t.Errorf("har %v: exit %d, want %d with %q\n%s%s", tc.args, r.code, tc.code, tc.out, r.stdout, r.stderr)
		}
	}
}
