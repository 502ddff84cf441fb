package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/har"
)

// canaryName is the 22 query parameter names apps put credentials in.
var canaryQueryNames = []string{
	"access_token", "accessToken", "refresh_token", "refreshToken", "client_secret", "clientSecret",
	"x-api-key", "api-key", "api_key", "apiKey", "jwt", "sig", "signature", "token", "id_token",
	"password", "session", "sessionId", "code", "auth", "key", "X-Amz-Signature",
}

// harCanary is a unique secret-looking value; "/" and "+" make its URL and
// base64 forms differ from the raw one.
func harCanary(tag string) string { return "cnry/" + tag + "+7f3a9c1e5b2d4680" }

// harCanaryForms are the forms a secret takes in output and copies.
func harCanaryForms(v string) map[string]string {
	return map[string]string{
		"raw":    v,
		"base64": base64.StdEncoding.EncodeToString([]byte(v)),
		"url":    url.QueryEscape(v),
	}
}

// canaryCapture writes a capture holding a canary in every place the
// issue lists, and returns its path and the canaries.
func canaryCapture(t *testing.T) (string, []string) {
	t.Helper()
	var canaries []string
	add := func(tag string) string {
		c := harCanary(tag)
		canaries = append(canaries, c)
		return c
	}
	entry := func(method, rawURL string, reqHeaders []har.NameValue, reqBody *har.PostData, status int, respType, respBody string) har.Record {
		r := har.Record{StartedDateTime: "2026-01-15T09:00:00.000Z", Time: 5}
		r.Request = har.RecordRequest{Method: method, URL: rawURL, HTTPVersion: "HTTP/1.1", Cookies: []har.NameValue{}, Headers: reqHeaders, QueryString: []har.NameValue{}, PostData: reqBody, HeadersSize: -1, BodySize: -1}
		if r.Request.Headers == nil {
			r.Request.Headers = []har.NameValue{}
		}
		r.Response = har.RecordResponse{Status: status, StatusText: "", HTTPVersion: "HTTP/1.1", Cookies: []har.NameValue{}, Headers: []har.NameValue{{Name: "Content-Type", Value: respType}},
			Content: har.Content{Size: len(respBody), MimeType: respType, Text: respBody}, HeadersSize: -1, BodySize: -1}
		return r
	}
	var entries []har.Record
	// 1. A credential under each of 22 query names, on an unknown path so
	// the report prints the entry's URL.
	q := url.Values{}
	for _, name := range canaryQueryNames {
		q.Set(name, add("q-"+name))
	}
	entries = append(entries, entry("GET", "https://api.contio.ai/v1/partner/user/nope?"+q.Encode(), nil, nil, 404, "application/json", `{"code":"not_found","message":"no such path"}`))
	// 2. Headers named outside any fixed list.
	entries = append(entries, entry("GET", "https://api.contio.ai/v1/partner/user/meetings",
		[]har.NameValue{{Name: "X-Client-Secret", Value: add("h-client-secret")}, {Name: "X-Auth-Signature", Value: add("h-signature")}, {Name: "Authorization", Value: "Bearer " + add("h-bearer")}},
		nil, 401, "application/json", `{"code":"invalid_token"}`))
	// 3. camelCase and nested JSON keys, in a request and a response.
	entries = append(entries, entry("POST", "https://auth.contio.ai/oauth2/token", []har.NameValue{{Name: "Content-Type", Value: "application/json"}},
		&har.PostData{MimeType: "application/json", Text: fmt.Sprintf(`{"grant_type":"refresh_token","refreshToken":%q}`, add("j-refreshToken"))},
		200, "application/json", fmt.Sprintf(`{"data":{"access_token":%q,"nested":[{"clientSecret":%q}]},"accessToken":%q}`, add("j-nested-access"), add("j-deep-secret"), add("j-accessToken"))))
	// 4. A form body with one bad %-escape: masked whole.
	entries = append(entries, entry("POST", "https://auth.contio.ai/oauth2/introspect", []har.NameValue{{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}},
		&har.PostData{MimeType: "application/x-www-form-urlencoded", Text: "note=100%&token=" + url.QueryEscape(add("f-badform"))},
		200, "application/json", `{"active":false}`))
	// 5. Recurrence: a credential seen once as a token recurs raw, base64
	// and URL-encoded in bodies and URLs under innocent names.
	recur := add("r-recurring")
	entries = append(entries, entry("GET", "https://api.contio.ai/v1/partner/user/meetings?access_token="+url.QueryEscape(recur), nil, nil, 200, "application/json", `{"items":[]}`))
	entries = append(entries, entry("GET", "https://partner.example.com/cb?note="+url.QueryEscape(recur), nil, nil, 200, "text/html",
		"<p>"+recur+" "+base64.StdEncoding.EncodeToString([]byte(recur))+"</p>"))
	// 6. A secret straddling the reader's and the copier's 256 KiB
	// windows: the padding puts it across the boundary.
	pad := strings.Repeat("p", 256<<10-900)
	entries = append(entries, entry("GET", "https://partner.example.com/big", nil, nil, 200, "text/plain", pad))
	entries = append(entries, entry("GET", "https://api.contio.ai/v1/partner/user/profile?apiKey="+url.QueryEscape(add("b-boundary")), nil, nil, 200, "application/json", `{"id":"u1"}`))
	doc := har.File{Log: har.Log{Version: "1.2", Creator: har.Creator{Name: "canary", Version: "1"}, Entries: entries}}
	b, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "canary.har")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, canaries
}

// No canary form survives in any report format or in the redacted copy.
func TestHARCanariesNeverSurvive(t *testing.T) {
	src, canaries := canaryCapture(t)
	out := filepath.Join(t.TempDir(), "ticket.har")
	check := func(where, text string) {
		t.Helper()
		for _, c := range canaries {
			for form, v := range harCanaryForms(c) {
				if strings.Contains(text, v) {
					t.Errorf("%s holds the %s form of canary %s", where, form, c[:12])
				}
			}
		}
	}
	for _, format := range []string{"text", "json", "markdown", "sarif", "junit", "github"} {
		r := runCLI(t, nil, "har", "-v", "--format", format, "--fail-on", "never", "--redact-out", out, src)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", format, r.code, r.stderr)
		}
		check(format+" report", r.stdout+r.stderr)
	}
	copyBytes, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	check("the redacted copy", string(copyBytes))
	// The copy is still a capture of the same entries.
	ig, err := har.LoadFile(out, har.Options{})
	if err != nil || ig.Capture.Entries != 8 {
		t.Fatalf("redacted copy: %v, %v entries", err, ig)
	}
}

// --redact-out writes through a symlink and refuses what is not a file.
func TestHARRedactOutSymlinkAndDevice(t *testing.T) {
	inRepoRoot(t)
	src := "testdata/har/healthy.har"
	dir := t.TempDir()
	target := filepath.Join(dir, "target.har")
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.har")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, nil, "har", "--redact-out", link, src); r.code != 0 {
		t.Fatalf("through a symlink: exit %d: %s", r.code, r.stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the symlink was replaced: %v %v", fi, err)
	}
	if b, _ := os.ReadFile(target); !strings.Contains(string(b), `"entries"`) {
		t.Fatalf("the link's target did not get the copy: %q", b)
	}
	for _, bad := range []string{os.DevNull, dir} {
		r := runCLI(t, nil, "har", "--redact-out", bad, src)
		if r.code != 2 || !strings.Contains(r.stderr, "not a regular file") {
			t.Errorf("--redact-out %s: exit %d, stderr %q; want 2 and a clear error", bad, r.code, r.stderr)
		}
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode()&os.ModeDevice == 0 {
		t.Fatalf("%s was replaced: %v", os.DevNull, err)
	}
}

// --timeout bounds reading the capture too: a deadline already passed
// stops the load with exit 3 and says so.
func TestHARTimeoutBoundsLoading(t *testing.T) {
	inRepoRoot(t)
	r := runCLI(t, nil, "har", "--timeout", "1ns", "testdata/har/healthy.har")
	if r.code != 3 || !strings.Contains(r.stderr, "--timeout") {
		t.Fatalf("exit %d, stderr %q; want 3 naming --timeout", r.code, r.stderr)
	}
}

// A HAR run speaks of the capture: no config keys, no --offline that was
// never given, and a healthy Chromium sign-in (the partner's callback on
// its own loopback port) raises nothing.
func TestHARRunSpeaksOfTheCapture(t *testing.T) {
	inRepoRoot(t)
	r := runCLI(t, nil, "har", "--no-color", "testdata/har/chromium-healthy.har")
	if r.code != 0 || !strings.Contains(r.stdout, "0 failed") {
		t.Fatalf("healthy browser capture: exit %d\n%s", r.code, r.stdout)
	}
	if strings.Contains(r.stdout, "offline run") || strings.Contains(r.stdout, "--offline") {
		t.Errorf("a HAR run mentions an offline run:\n%s", r.stdout)
	}
	r = runCLI(t, nil, "har", "--no-color", "testdata/har/admin-missing-client-id.har")
	for _, configSpeak := range []string{"admin.api_key is set", "set oauth.", "in the config", "offline run"} {
		if strings.Contains(r.stdout, configSpeak) {
			t.Errorf("a HAR run says %q:\n%s", configSpeak, r.stdout)
		}
	}
}
