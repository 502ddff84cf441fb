package sandbox_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/sandbox"
	"github.com/Contio-AI/contio-doctor/webhook"
)

// receiver is a partner's webhook endpoint on loopback that records what
// arrives and answers with the statuses it is told to.
type receiver struct {
	mu       sync.Mutex
	bodies   [][]byte
	headers  []http.Header
	statuses []int // answer for each call in turn; 200 after
	block    chan struct{}
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	n := len(rc.bodies)
	rc.bodies = append(rc.bodies, b)
	rc.headers = append(rc.headers, r.Header.Clone())
	status := 200
	if n < len(rc.statuses) {
		status = rc.statuses[n]
	}
	block := rc.block
	rc.mu.Unlock()
	if block != nil && n == 0 {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}
	w.WriteHeader(status)
}

func startReceiver(t *testing.T, rc *receiver) string {
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return srv.URL + "/webhooks"
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestWebhookSignedDeliveryFromAnAPIWrite(t *testing.T) {
	sb, app := newSB(t)
	rc := &receiver{}
	if err := sb.UpdateApp(app.ClientID, func(a *sandbox.App) { a.WebhookURL = startReceiver(t, rc) }); err != nil {
		t.Fatal(err)
	}
	tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"meetings:write"}})
	if r := call(t, "POST", sb.URL()+"/v1/partner/user/meetings", bearerH(tok.AccessToken), `{"title":"Board <review> & plan"}`); r.Status != 201 {
		t.Fatal(r.Raw)
	}
	sb.WaitWebhooks()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.bodies) != 1 {
		t.Fatalf("want 1 delivery, got %d", len(rc.bodies))
	}
	sig := rc.headers[0].Get("X-Contio-Signature")
	if !regexp.MustCompile(`^sha256=[0-9a-f]{64}$`).MatchString(sig) {
		t.Fatalf("signature header %q", sig)
	}
	if err := webhook.Verify(app.WebhookSecret, rc.bodies[0], sig); err != nil {
		t.Fatalf("signature does not verify over the raw body: %v", err)
	}
	var env map[string]any
	if err := json.Unmarshal(rc.bodies[0], &env); err != nil {
		t.Fatal(err)
	}
	ts, _ := env["timestamp"].(string)
	if _, err := time.Parse(time.RFC3339, ts); err != nil || env["event_type"] != "meeting.created" ||
		!uuidRE.MatchString(env["event_id"].(string)) || env["partner_app_id"] != app.ID || env["data"] == nil {
		t.Fatalf("envelope: %s", rc.bodies[0])
	}
}

func TestWebhookRetriesKeepTheEventID(t *testing.T) {
	sb := sandbox.NewTest(t, sandbox.Options{Seed: 3, WebhookTimeout: 200 * time.Millisecond, Limits: sandbox.Limits{Off: true}})
	app := sb.DefaultApp()
	// First attempt: too slow; second: 500; third: 200.
	rc := &receiver{statuses: []int{200, 500, 200}, block: make(chan struct{})}
	defer close(rc.block)
	_ = sb.UpdateApp(app.ClientID, func(a *sandbox.App) { a.WebhookURL = startReceiver(t, rc) })
	trig := call(t, "POST", sb.URL()+"/_sandbox/webhooks/trigger", nil, `{"event_type":"action_item.created","data":{"action_item_id":"a1"}}`)
	if trig.Status != 202 {
		t.Fatalf("trigger: %d %s", trig.Status, trig.Raw)
	}
	sb.WaitWebhooks()
	d := sb.Deliveries()[0]
	if d.Status != "failed" || d.RetryCount != 1 || d.NextRetryAt == nil || !d.NextRetryAt.Equal(sandbox.TestEpoch.Add(time.Minute)) {
		t.Fatalf("after a slow receiver: %+v", d)
	}
	sb.Advance(59 * time.Second)
	sb.WaitWebhooks()
	if n := len(sb.Deliveries()[0].Attempts); n != 1 {
		t.Fatalf("retried before it was due: %d attempts", n)
	}
	sb.Advance(time.Second)
	sb.WaitWebhooks()
	if d := sb.Deliveries()[0]; d.HTTPStatus != 500 || d.RetryCount != 2 {
		t.Fatalf("second attempt: %+v", d)
	}
	sb.Advance(5 * time.Minute)
	sb.WaitWebhooks()
	d = sb.Deliveries()[0]
	if d.Status != "delivered" || len(d.Attempts) != 3 {
		t.Fatalf("third attempt: %+v", d)
	}
	rc.mu.Lock()
	ids := map[string]bool{}
	for _, b := range rc.bodies {
		var env map[string]any
		_ = json.Unmarshal(b, &env)
		ids[env["event_id"].(string)] = true
	}
	n := len(rc.bodies)
	rc.mu.Unlock()
	if n != 3 || len(ids) != 1 {
		t.Fatalf("%d deliveries with %d distinct event_ids; want 3 with 1", n, len(ids))
	}
	// The delivery log is visible to the partner through the admin API.
	adm := call(t, "GET", sb.URL()+"/v1/partner/admin/webhook-deliveries", map[string]string{"X-API-Key": app.APIKey, "X-Client-ID": app.ClientID}, "")
	list, _ := adm.JSON["deliveries"].([]any)
	if adm.Status != 200 || len(list) != 1 || list[0].(map[string]any)["delivery_status"] != "delivered" ||
		list[0].(map[string]any)["retry_count"] != float64(2) {
		t.Fatalf("admin deliveries: %s", adm.Raw)
	}
}

func TestWebhooksStayOnLoopback(t *testing.T) {
	sb, app := newSB(t)
	_ = sb.UpdateApp(app.ClientID, func(a *sandbox.App) { a.WebhookURL = "https://partner.example.com/webhooks" })
	if _, err := sb.TriggerWebhook("", "meeting.completed", nil); err != nil {
		t.Fatal(err)
	}
	sb.WaitWebhooks()
	d := sb.Deliveries()[0]
	if d.Status != "failed" || d.HTTPStatus != 0 || d.ErrorMessage == "" {
		t.Fatalf("a non-loopback delivery was attempted: %+v", d)
	}
}

func TestWebhookFilterAndManualRetry(t *testing.T) {
	sb, app := newSB(t)
	rc := &receiver{statuses: []int{503}}
	_ = sb.UpdateApp(app.ClientID, func(a *sandbox.App) { a.WebhookURL = startReceiver(t, rc) })
	admin := map[string]string{"X-API-Key": app.APIKey, "X-Client-ID": app.ClientID, "Content-Type": "application/json"}
	a := sb.URL() + "/v1/partner/admin"
	bad := call(t, "PUT", a+"/webhook-filter", admin, `{"type":"include","events":["meeting.exploded"]}`)
	wantError(t, bad, 400, "validation_error")
	if v, _ := bad.JSON["valid_event_types"].([]any); len(v) != 35 {
		t.Fatalf("valid_event_types: %s", bad.Raw)
	}
	if r := call(t, "PUT", a+"/app/webhook-filter", admin, `{"type":"include","events":["meeting.created"]}`); r.Status != 200 {
		t.Fatal(r.Raw)
	}
	if _, err := sb.TriggerWebhook("", "action_item.created", nil); err == nil {
		t.Fatal("a filtered-out event was sent")
	}
	d, err := sb.TriggerWebhook("", "meeting.created", map[string]any{"meeting_id": "m1"})
	if err != nil {
		t.Fatal(err)
	}
	sb.WaitWebhooks()
	if got := sb.Deliveries()[0]; got.HTTPStatus != 503 || got.Status != "failed" {
		t.Fatalf("first attempt: %+v", got)
	}
	// The partner asks for a retry now instead of waiting for the schedule.
	if r := call(t, "POST", a+"/webhook-deliveries/"+d.ID+"/retry", admin, ""); r.Status != 200 {
		t.Fatalf("retry: %d %s", r.Status, r.Raw)
	}
	sb.WaitWebhooks()
	got := call(t, "GET", a+"/webhook-deliveries/"+d.ID, admin, "")
	if got.str("delivery_status") != "delivered" || got.str("event_id") != d.EventID {
		t.Fatalf("after a manual retry: %s", got.Raw)
	}
	if r := call(t, "DELETE", a+"/webhook-filter", admin, ""); r.Status != 200 || r.str("client_id") == "" || r.JSON["webhook_filter"] != nil {
		t.Fatalf("DELETE webhook-filter answers 200 with the app, filter gone: %d %s", r.Status, r.Raw)
	}
	if _, err := sb.TriggerWebhook("", "action_item.created", nil); err != nil {
		t.Fatalf("after removing the filter: %v", err)
	}
}

func TestHeadIsServedLikeGet(t *testing.T) {
	sb, _ := newSB(t)
	if r := call(t, "HEAD", sb.URL()+"/oauth2/health", nil, ""); r.Status != 200 || r.Raw != "" {
		t.Fatalf("HEAD: %d %q", r.Status, r.Raw)
	}
}
