package har_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/har"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// Both error-body shapes Contio uses are read: the spec's {code, message}
// and the docs' {error, error_description}, the description kept.
func TestLoadReadsBothErrorBodyShapes(t *testing.T) {
	bodies := []struct {
		url, body, code, message, rid string
	}{
		{"https://auth.contio.ai/oauth2/token", `{"code":"invalid_grant","message":"code expired","request_id":"req_spec"}`,
			"invalid_grant", "code expired", "req_spec"},
		{"https://api.contio.ai/v1/partner/user/meetings", `{"code":"forbidden","error":"Missing scope","message":"needs meetings:read","request_id":"req_user"}`,
			"forbidden", "needs meetings:read", "req_user"},
		{"https://beta.api.contio.ai/oauth2/token", `{"error":"invalid_grant","error_description":"Authorization code expired","request_id":"req_abc123xyz"}`,
			"invalid_grant", "Authorization code expired", "req_abc123xyz"},
	}
	var entries []any
	for _, b := range bodies {
		method := "POST"
		if strings.Contains(b.url, "/v1/") {
			method = "GET"
		}
		entries = append(entries, map[string]any{
			"startedDateTime": "2026-01-15T09:00:00Z",
			"request":         map[string]any{"method": method, "url": b.url, "headers": []any{}},
			"response": map[string]any{"status": 400, "headers": []any{},
				"content": map[string]any{"mimeType": "application/json", "text": b.body}},
		})
	}
	doc, err := json.Marshal(map[string]any{"log": map[string]any{"version": "1.2", "entries": entries}})
	if err != nil {
		t.Fatal(err)
	}
	ig, err := har.Load(strings.NewReader(string(doc)), har.Options{File: "c.har"})
	if err != nil {
		t.Fatal(err)
	}
	var calls []integration.Call
	for _, c := range ig.Calls {
		if c.Observed {
			calls = append(calls, c)
		}
	}
	if len(calls) != len(bodies) {
		t.Fatalf("%d observed calls, want %d", len(calls), len(bodies))
	}
	for i, b := range bodies {
		c := calls[i]
		if c.ErrorCode != b.code || c.ErrorMessage != b.message || c.RequestID != b.rid {
			t.Errorf("%s %s: code %q message %q request_id %q; want %q %q %q", c.Method.Raw, b.url, c.ErrorCode, c.ErrorMessage, c.RequestID, b.code, b.message, b.rid)
		}
	}
	for _, s := range ig.Capture.Steps {
		if s.Kind == integration.FlowToken && s.ErrorCode != "invalid_grant" {
			t.Errorf("token step at entry %d: error code %q, want invalid_grant", s.At.HAREntry, s.ErrorCode)
		}
	}
}
