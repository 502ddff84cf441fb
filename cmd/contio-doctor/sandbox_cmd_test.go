package main

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer the command and the test may share.
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

// TestSandboxCommand starts "contio-doctor sandbox", uses the credentials
// it prints against the server it runs, and stops it with an interrupt.
func TestSandboxCommand(t *testing.T) {
	var out, errb syncBuffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		lookupEnv: func(string) (string, bool) { return "", false }, getwd: os.Getwd}
	done := make(chan int, 1)
	go func() {
		done <- e.run([]string{"sandbox", "--addr", "127.0.0.1:0", "--seed", "9", "--webhook-url", "http://127.0.0.1:9/hooks"})
	}()

	var banner string
	for i := 0; i < 500 && !strings.Contains(banner, "Serving until interrupted"); i++ {
		select {
		case code := <-done:
			t.Fatalf("sandbox exited early with %d: %s", code, errb.String())
		case <-time.After(10 * time.Millisecond):
		}
		banner = out.String()
	}
	field := func(name string) string {
		m := regexp.MustCompile(`(?m)^  ` + name + `\s+(\S+)`).FindStringSubmatch(banner)
		if m == nil {
			t.Fatalf("banner lacks %s:\n%s", name, banner)
		}
		return m[1]
	}
	base := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`).FindStringSubmatch(banner)
	if base == nil {
		t.Fatalf("no base URL in:\n%s", banner)
	}
	clientID, secret := field("client_id"), field("client_secret")
	for _, want := range []string{"api_url: " + base[1], "client_secret: ${CONTIO_CLIENT_SECRET}", "export CONTIO_API_KEY=" + field("API key"),
		"url: http://127.0.0.1:9/hooks", "sbx_whsec_"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q", want)
		}
	}
	req, _ := http.NewRequest("POST", base[1]+"/oauth2/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(clientID+":"+secret)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("the printed credentials do not work: %d", resp.StatusCode)
	}
	tok := regexp.MustCompile(`CONTIO_ACCESS_TOKEN=(\S+)`).FindStringSubmatch(banner)
	req, _ = http.NewRequest("GET", base[1]+"/v1/partner/user/profile", nil)
	req.Header.Set("Authorization", "Bearer "+tok[1])
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("the printed access token does not work: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d after an interrupt: %s", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the sandbox did not stop on an interrupt")
	}
}

func TestSandboxCommandBusyAddress(t *testing.T) {
	var out, errb syncBuffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		lookupEnv: func(string) (string, bool) { return "", false }, getwd: os.Getwd}
	if code := e.run([]string{"sandbox", "--addr", "127.0.0.1:99999"}); code != 2 || !strings.Contains(errb.String(), "--addr") {
		t.Fatalf("bad address: exit %d, stderr %q", code, errb.String())
	}
}

// TestSandboxWarnsBeyondLoopback: asked to listen on every interface, the
// sandbox says loudly on stderr that its control plane hands out secrets.
// The port is invalid, so nothing ever listens beyond loopback here.
func TestSandboxWarnsBeyondLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:99999", ":99999", "[::]:99999", "192.0.2.10:99999", "sandbox.example.com:99999"} {
		var out, errb syncBuffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
			lookupEnv: func(string) (string, bool) { return "", false }, getwd: os.Getwd}
		code := e.run([]string{"sandbox", "--addr", addr})
		msg := errb.String()
		if code != 2 || !strings.Contains(msg, "WARNING contio-doctor sandbox will listen on "+addr+", beyond loopback") ||
			!strings.Contains(msg, "/_sandbox/app") || strings.Contains(msg, "\x1b[") {
			t.Errorf("--addr %s: exit %d, stderr %q", addr, code, msg)
		}
	}
	for _, addr := range []string{"127.0.0.1:99999", "localhost:99999", "[::1]:99999", "127.0.0.2:99999"} {
		var out, errb syncBuffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
			lookupEnv: func(string) (string, bool) { return "", false }, getwd: os.Getwd}
		if e.run([]string{"sandbox", "--addr", addr}); strings.Contains(errb.String(), "WARNING") {
			t.Errorf("--addr %s (loopback) warned: %q", addr, errb.String())
		}
	}
	if w := exposureWarning("0.0.0.0:8080", true); !strings.Contains(w, "\x1b[1;37;41m WARNING \x1b[0m") || !strings.HasSuffix(w, "yours alone.\n") {
		t.Errorf("coloured warning: %q", w)
	}
}
