package webhookdiag

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/webhook"
)

func TestParseRequest(t *testing.T) {
	body := `{"event_type":"meeting.created","event_id":"e1"}`
	cases := []struct {
		name, dump, sig, body string
		notes                 int
	}{
		{"CRLF", "POST /webhooks HTTP/1.1\r\nHost: app.example.com\r\nx-contio-signature: sha256=ab\r\nContent-Length: 48\r\n\r\n" + body, "sha256=ab", body, 0},
		{"LF and editor newline", "POST /webhooks HTTP/1.1\nX-CONTIO-SIGNATURE:   sha256=cd  \nContent-Length: 48\n\n" + body + "\n", "sha256=cd", body, 1},
		{"no content-length keeps bytes", "POST /webhooks HTTP/1.1\nX-Contio-Signature: sha256=ef\n\n" + body + "\r\n", "sha256=ef", body + "\r\n", 0},
		{"chunked", "POST /webhooks HTTP/1.1\r\nTransfer-Encoding: chunked\r\nX-Contio-Signature: x\r\n\r\n5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n", "x", `{"a":1}`, 0},
		{"folded header", "POST / HTTP/1.1\nX-Contio-Signature: sha256=\n ab\n\n{}", "sha256= ab", "{}", 0},
		{"repeated header", "POST / HTTP/1.1\nX-Contio-Signature: a\nx-contio-signature: b\n\n{}", "a", "{}", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := ParseRequest([]byte(c.dump))
			if err != nil {
				t.Fatal(err)
			}
			if sig, ok := d.Header(webhook.Header); !ok || sig != c.sig {
				t.Errorf("signature = %q %v, want %q", sig, ok, c.sig)
			}
			if string(d.Body) != c.body {
				t.Errorf("body = %q, want %q", d.Body, c.body)
			}
			if len(d.Notes) != c.notes {
				t.Errorf("notes = %q, want %d", d.Notes, c.notes)
			}
		})
	}
}

func TestParseRequestErrors(t *testing.T) {
	cases := map[string]string{
		"":                                         "line 1",
		"{\"event_type\":1}":                       "line 1: want a request line",
		"POST /webhooks HTTP/1.1":                  "ends after the request line",
		"POST / HTTP/1.1\nHost: x\n":               "no blank line",
		"POST / HTTP/1.1\nnot a header\n\n{}":      "line 2: want \"Name: value\"",
		"POST / HTTP/1.1\n folded\n\n":             "line 2: a continuation line",
		"POST / HTTP/1.1\nContent-Length: 9\n\n{}": "cut short",
		"POST / HTTP/1.1\nContent-Length: x\n\n{}": "not a byte count",
	}
	for dump, want := range cases {
		if _, err := ParseRequest([]byte(dump)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseRequest(%q) = %v, want %q", dump, err, want)
		}
	}
}

func harWith(t *testing.T, entries ...map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"log": map[string]any{"version": "1.2", "entries": entries}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func harEntry(sig string, postData map[string]any) map[string]any {
	headers := []map[string]string{{"name": "Content-Type", "value": "application/json"}}
	if sig != "" {
		headers = append(headers, map[string]string{"name": "x-contio-signature", "value": sig})
	}
	req := map[string]any{"method": "POST", "url": "https://app.example.com/webhooks", "headers": headers}
	if postData != nil {
		req["postData"] = postData
	}
	return map[string]any{"request": req}
}

func TestParseHAR(t *testing.T) {
	body := `{"event_type":"meeting.created","title":"Zürich"}`
	har := harWith(t,
		harEntry("", map[string]any{"mimeType": "application/json", "text": "{}"}),
		harEntry("sha256=11", map[string]any{"mimeType": "application/json", "text": body}),
		harEntry("sha256=22", map[string]any{"mimeType": "application/json", "text": base64.StdEncoding.EncodeToString([]byte(body)), "encoding": "base64"}),
		harEntry("sha256=33", nil),
	)
	d, n, err := ParseHAR(har, 0)
	if err != nil || n != 2 || string(d.Body) != body {
		t.Fatalf("auto entry: n=%d err=%v body=%q", n, err, d.Body)
	}
	d, _, err = ParseHAR(har, 3)
	if err != nil || string(d.Body) != body {
		t.Fatalf("base64 entry: err=%v body=%q", err, d.Body)
	}
	if sig, _ := d.Header(webhook.Header); sig != "sha256=22" {
		t.Fatalf("signature = %q", sig)
	}
	d, _, err = ParseHAR(har, 4)
	if err != nil || len(d.Body) != 0 || len(d.Notes) != 1 {
		t.Fatalf("no postData: err=%v body=%q notes=%q", err, d.Body, d.Notes)
	}
	for _, c := range []struct {
		data []byte
		n    int
		want string
	}{
		{har, 9, "entries 1 to 4"},
		{harWith(t, harEntry("", nil)), 0, "no entry of the 1 carries"},
		{harWith(t), 0, "no entries"},
		{[]byte("{\"log\":\n{\"entries\": [}"), 0, "line 2, column"},
		{harWith(t, harEntry("x", map[string]any{"text": "%%%", "encoding": "base64"})), 1, "not valid base64"},
		{harWith(t, harEntry("x", map[string]any{"text": "a", "encoding": "gzip"})), 1, "unknown postData.encoding"},
	} {
		if _, _, err := ParseHAR(c.data, c.n); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseHAR(entry %d) = %v, want %q", c.n, err, c.want)
		}
	}
}
