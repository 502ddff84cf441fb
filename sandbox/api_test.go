package sandbox_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

func TestUserAPIPaginationHonoursLimit100(t *testing.T) {
	sb, _ := newSB(t)
	if err := sb.AddMeetings("ada@example.com", 150); err != nil {
		t.Fatal(err)
	}
	tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"meetings:read"}})
	// What the SDK's getAllMeetings does: limit=100, offset += 100 until offset >= total.
	seen := map[string]bool{}
	total := -1
	for offset := 0; total < 0 || offset < total; offset += 100 {
		r := call(t, "GET", fmt.Sprintf("%s/v1/partner/user/meetings?limit=100&offset=%d", sb.URL(), offset), bearerH(tok.AccessToken), "")
		if r.Status != 200 || r.JSON["limit"] != float64(100) {
			t.Fatalf("page at %d: %d %s", offset, r.Status, r.Raw)
		}
		total = int(r.JSON["total"].(float64))
		for _, it := range r.JSON["items"].([]any) {
			seen[it.(map[string]any)["id"].(string)] = true
		}
	}
	if total != 153 || len(seen) != 153 {
		t.Fatalf("total %d, distinct items %d; want 153 each", total, len(seen))
	}
	r := call(t, "GET", sb.URL()+"/v1/partner/user/meetings", bearerH(tok.AccessToken), "")
	if r.JSON["limit"] != float64(25) || len(r.JSON["items"].([]any)) != 25 {
		t.Fatalf("default page: %s", r.Raw)
	}
	wantError(t, call(t, "GET", sb.URL()+"/v1/partner/user/meetings?limit=abc", bearerH(tok.AccessToken), ""), 400, "invalid_query_parameters")
}

func TestUserAPIWritesPerFamily(t *testing.T) {
	sb, _ := newSB(t)
	tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"meetings:read", "meetings:write", "action-items:read",
		"action-items:write", "calendar:read", "calendar:write"}})
	h := bearerH(tok.AccessToken)
	u := sb.URL() + "/v1/partner/user"
	m := call(t, "POST", u+"/meetings", h, `{"title":"Kick-off"}`)
	if m.Status != 201 || m.str("title") != "Kick-off" {
		t.Fatalf("create meeting: %d %s", m.Status, m.Raw)
	}
	id := m.str("id")
	if r := call(t, "PATCH", u+"/meetings/"+id, h, `{"title":"Kick-off (moved)"}`); r.Status != 200 || r.str("title") != "Kick-off (moved)" {
		t.Fatalf("update meeting: %s", r.Raw)
	}
	p := call(t, "POST", u+"/meetings/"+id+"/participants", h, `{"email":"bob@example.com","name":"Bob","role":"EDITOR"}`)
	if p.Status != 201 {
		t.Fatalf("add participant: %s", p.Raw)
	}
	wantError(t, call(t, "POST", u+"/meetings/"+id+"/participants", h, `{"email":"bob@example.com"}`), 409, "conflict")
	if r := call(t, "GET", u+"/meetings/"+id+"/participants", h, ""); r.JSON["total"] != float64(1) {
		t.Fatalf("participants: %s", r.Raw)
	}
	if r := call(t, "DELETE", u+"/meetings/"+id+"/participants/"+p.str("id"), h, ""); r.Status != 204 {
		t.Fatalf("remove participant: %d", r.Status)
	}
	wantError(t, call(t, "POST", u+"/meetings/"+id+"/agenda-items", h, `{"title":"Intro"}`), 400, "validation_error")
	wantError(t, call(t, "POST", u+"/meetings/"+id+"/agenda-items", h, `{"title":"Intro","item_type":"chat"}`), 400, "validation_error")
	ag := call(t, "POST", u+"/meetings/"+id+"/agenda-items", h, `{"title":"Intro","item_type":"DISCUSSION"}`)
	if ag.Status != 201 || ag.str("sequence") != "1" {
		t.Fatalf("agenda (sequence is a string in the spec): %s", ag.Raw)
	}
	wantError(t, call(t, "PUT", u+"/meetings/"+id+"/agenda-items/"+ag.str("id"), h, `{"status":"done"}`), 400, "validation_error")
	if r := call(t, "PUT", u+"/meetings/"+id+"/agenda-items/"+ag.str("id"), h, `{"status":"completed"}`); r.str("status") != "completed" {
		t.Fatalf("update agenda: %s", r.Raw)
	}
	ai := call(t, "POST", u+"/action-items", h, `{"title":"Follow up","due_date":"2026-02-01"}`)
	if ai.Status != 201 {
		t.Fatalf("action item: %s", ai.Raw)
	}
	wantError(t, call(t, "POST", u+"/action-items", h, `{"title":"x","due_date":"tomorrow"}`), 400, "invalid_due_date")
	if r := call(t, "PUT", u+"/action-items/"+ai.str("id"), h, `{"is_completed":true}`); r.JSON["is_completed"] != true || r.str("status") != "completed" {
		t.Fatalf("complete action item: %s", r.Raw)
	}
	wantError(t, call(t, "GET", u+"/calendar/events", h, ""), 400, "missing_start_date")
	ev := call(t, "GET", u+"/calendar/events?start=2026-01-01&end=2026-03-01&limit=1", h, "")
	if ev.Status != 200 || ev.JSON["total"] != float64(4) {
		t.Fatalf("calendar: %s", ev.Raw)
	}
	evID := ev.JSON["items"].([]any)[0].(map[string]any)["id"].(string)
	if r := call(t, "POST", u+"/calendar/events/"+evID+"/meeting", h, ""); r.Status != 201 {
		t.Fatalf("meeting from event: %s", r.Raw)
	}
	wantError(t, call(t, "POST", u+"/calendar/events/"+evID+"/meeting", h, ""), 400, "calendar_event_already_linked")
	wantError(t, call(t, "GET", u+"/meetings/nope", h, ""), 404, "not_found")
	// An endpoint the catalogue lists but the sandbox does not simulate still checks auth, then says so.
	wantError(t, call(t, "GET", u+"/workflow-runs", h, ""), 403, "insufficient_scope")
}

func TestAdminAPI(t *testing.T) {
	sb, app := newSB(t)
	h := map[string]string{"X-API-Key": app.APIKey, "X-Client-ID": app.ClientID}
	a := sb.URL() + "/v1/partner/admin"
	if r := call(t, "GET", a+"/app", h, ""); r.Status != 200 || r.str("client_id") != app.ClientID || r.str("status") != "active" {
		t.Fatalf("app: %d %s", r.Status, r.Raw)
	}
	wantError(t, call(t, "GET", a+"/app", map[string]string{"X-API-Key": "sbx_key_wrong", "X-Client-ID": app.ClientID}, ""), 401, "unauthorized")
	tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile"}})
	c := call(t, "GET", a+"/connections", h, "")
	if c.Status != 200 || c.JSON["total"] != float64(1) {
		t.Fatalf("connections: %s", c.Raw)
	}
	conn := c.JSON["items"].([]any)[0].(map[string]any)
	if conn["status"] != "active" || conn["user_email"] != "ada@example.com" {
		t.Fatalf("connection: %v", conn)
	}
	if r := call(t, "DELETE", a+"/connections/"+conn["id"].(string), h, ""); r.Status != http.StatusNoContent {
		t.Fatalf("revoke connection: %d %s", r.Status, r.Raw)
	}
	wantError(t, call(t, "GET", sb.URL()+"/v1/partner/user/profile", bearerH(tok.AccessToken), ""), 401, "invalid_token")
	cr := call(t, "GET", a+"/credentials", h, "")
	for _, k := range []string{"api_key", "webhook_secret", "client_secret"} {
		if _, ok := cr.JSON[k].(map[string]any); !ok {
			t.Fatalf("credentials lack %s: %s", k, cr.Raw)
		}
	}
	for _, p := range []string{"/app/webhook-status", "/webhook-status"} {
		if r := call(t, "PUT", a+p, h, `{"enabled":false}`); r.Status != 200 || r.JSON["webhook_enabled"] != false {
			t.Fatalf("PUT %s: %d %s", p, r.Status, r.Raw)
		}
	}
	if r := call(t, "GET", a+"/webhook-deliveries?limit=10", h, ""); r.Status != 200 || r.JSON["deliveries"] == nil {
		t.Fatalf("deliveries: %s", r.Raw)
	}
}

func TestIdempotencyKeyReplaysWrites(t *testing.T) {
	sb, _ := newSB(t)
	tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"action-items:read", "action-items:write"}})
	h := bearerH(tok.AccessToken)
	h["Idempotency-Key"] = "3f0c2a8e-op-1"
	first := call(t, "POST", sb.URL()+"/v1/partner/user/action-items", h, `{"title":"Once"}`)
	again := call(t, "POST", sb.URL()+"/v1/partner/user/action-items", h, `{"title":"Once"}`)
	if first.Status != 201 || again.Status != 201 || first.str("id") != again.str("id") {
		t.Fatalf("replay: %d %s / %d %s", first.Status, first.Raw, again.Status, again.Raw)
	}
	if first.Header.Get("Idempotent-Replayed") != "" || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("Idempotent-Replayed: first %q, again %q", first.Header.Get("Idempotent-Replayed"), again.Header.Get("Idempotent-Replayed"))
	}
	list := call(t, "GET", sb.URL()+"/v1/partner/user/action-items", bearerH(tok.AccessToken), "")
	if list.JSON["total"] != float64(6) {
		t.Fatalf("the write ran twice: total %v", list.JSON["total"])
	}
	sb.Advance(24 * time.Hour)
	// The key belongs to the user and app, not to one token.
	tok2, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"action-items:write"}})
	h2 := bearerH(tok2.AccessToken)
	h2["Idempotency-Key"] = h["Idempotency-Key"]
	if late := call(t, "POST", sb.URL()+"/v1/partner/user/action-items", h2, `{"title":"Once"}`); late.Status != 201 || late.str("id") == first.str("id") {
		t.Fatalf("a key older than 24 hours: %d %s", late.Status, late.Raw)
	}
}
