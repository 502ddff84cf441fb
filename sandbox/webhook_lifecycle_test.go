package sandbox_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

// flakyReceiver answers every delivery with the status it is set to.
type flakyReceiver struct {
	status atomic.Int32
	calls  atomic.Int32
}

func (fr *flakyReceiver) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	fr.calls.Add(1)
	w.WriteHeader(int(fr.status.Load()))
}

// lifecycleSandbox is a sandbox whose default app delivers to fr.
func lifecycleSandbox(t *testing.T, fr *flakyReceiver) (*sandbox.Sandbox, sandbox.App, map[string]string) {
	t.Helper()
	sb := sandbox.NewTest(t, sandbox.Options{Seed: 11, Limits: sandbox.Limits{Off: true}, Log: discardLog{}})
	srv := httptest.NewServer(fr)
	t.Cleanup(srv.Close)
	app := sb.DefaultApp()
	if err := sb.UpdateApp(app.ClientID, func(a *sandbox.App) { a.WebhookURL = srv.URL + "/hooks" }); err != nil {
		t.Fatal(err)
	}
	admin := map[string]string{"X-API-Key": app.APIKey, "X-Client-ID": app.ClientID, "Content-Type": "application/json"}
	return sb, app, admin
}

type discardLog struct{}

func (discardLog) Write(p []byte) (int, error) { return len(p), nil }

// runRetries walks the clock through the whole retry schedule.
func runRetries(sb *sandbox.Sandbox) {
	sb.WaitWebhooks()
	for _, d := range []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour} {
		sb.Advance(d)
		sb.WaitWebhooks()
	}
}

func trigger(t *testing.T, sb *sandbox.Sandbox, eventType string) sandbox.Delivery {
	t.Helper()
	d, err := sb.TriggerWebhook("", eventType, map[string]any{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func webhookEnabled(t *testing.T, sb *sandbox.Sandbox, admin map[string]string) any {
	t.Helper()
	r := call(t, "GET", sb.URL()+"/v1/partner/admin/app", admin, "")
	if r.Status != 200 {
		t.Fatalf("GET app: %d %s", r.Status, r.Raw)
	}
	return r.JSON["webhook_enabled"]
}

func deliveryStatus(t *testing.T, sb *sandbox.Sandbox, admin map[string]string, id string) string {
	t.Helper()
	return call(t, "GET", sb.URL()+"/v1/partner/admin/webhook-deliveries/"+id, admin, "").str("delivery_status")
}

// TestWebhookAbandonedAfterRetries: a delivery that keeps failing is
// "failed" while a retry is scheduled and "abandoned" after the last one.
func TestWebhookAbandonedAfterRetries(t *testing.T) {
	fr := &flakyReceiver{}
	fr.status.Store(500)
	sb, _, admin := lifecycleSandbox(t, fr)
	d := trigger(t, sb, "meeting.completed")
	sb.WaitWebhooks()
	if got := deliveryStatus(t, sb, admin, d.ID); got != "failed" {
		t.Fatalf("after the first failure: %q", got)
	}
	runRetries(sb)
	r := call(t, "GET", sb.URL()+"/v1/partner/admin/webhook-deliveries/"+d.ID, admin, "")
	if r.str("delivery_status") != "abandoned" || r.JSON["next_retry_at"] != nil || r.JSON["retry_count"] != float64(5) || fr.calls.Load() != 6 {
		t.Fatalf("after every retry: %s (%d calls)", r.Raw, fr.calls.Load())
	}
	list := call(t, "GET", sb.URL()+"/v1/partner/admin/webhook-deliveries?status=abandoned", admin, "")
	if items, _ := list.JSON["deliveries"].([]any); len(items) != 1 {
		t.Fatalf("status=abandoned: %s", list.Raw)
	}
	sb.Advance(24 * time.Hour)
	sb.WaitWebhooks()
	if fr.calls.Load() != 6 {
		t.Fatalf("an abandoned delivery was tried again: %d calls", fr.calls.Load())
	}
	if webhookEnabled(t, sb, admin) != true {
		t.Fatal("one abandoned delivery turned webhooks off")
	}
}

// TestWebhookAutoDisableAfter50Abandoned: the 50th abandoned delivery
// turns webhooks off (webhook_enabled false); new events are then held
// pending and not sent; re-enabling needs pending_disposition, and
// "deliver" sends the backlog.
func TestWebhookAutoDisableAfter50Abandoned(t *testing.T) {
	fr := &flakyReceiver{}
	fr.status.Store(503)
	sb, app, admin := lifecycleSandbox(t, fr)
	for i := 0; i < 49; i++ {
		trigger(t, sb, "action_item.created")
	}
	runRetries(sb)
	if webhookEnabled(t, sb, admin) != true {
		t.Fatal("49 abandoned deliveries turned webhooks off")
	}
	trigger(t, sb, "action_item.created")
	runRetries(sb)
	if webhookEnabled(t, sb, admin) != false {
		t.Fatal("the 50th abandoned delivery did not turn webhooks off")
	}
	if a, _ := sb.App(app.ClientID); !strings.Contains(a.WebhooksDisabledReason, "50 deliveries were abandoned") {
		t.Fatalf("reason: %q", a.WebhooksDisabledReason)
	}

	// While disabled: events that pass the filter are stored pending, unsent.
	put := func(body string) reply {
		return call(t, "PUT", sb.URL()+"/v1/partner/admin/webhook-filter", admin, body)
	}
	if r := put(`{"type":"include","events":["meeting.created"]}`); r.Status != 200 {
		t.Fatal(r.Raw)
	}
	calls := fr.calls.Load()
	held := trigger(t, sb, "meeting.created")
	if _, err := sb.TriggerWebhook("", "action_item.created", nil); err == nil {
		t.Fatal("a filtered-out event was stored while disabled")
	}
	sb.Advance(time.Hour)
	sb.WaitWebhooks()
	if fr.calls.Load() != calls || deliveryStatus(t, sb, admin, held.ID) != "pending" {
		t.Fatalf("while disabled: %d new calls, status %q", fr.calls.Load()-calls, deliveryStatus(t, sb, admin, held.ID))
	}

	// Re-enabling must say what to do with the backlog.
	status := func(body string) reply {
		return call(t, "PUT", sb.URL()+"/v1/partner/admin/webhook-status", admin, body)
	}
	r := status(`{"enabled":true}`)
	wantError(t, r, 400, "validation_error")
	if !strings.Contains(r.str("message"), "pending_disposition") || !strings.Contains(r.str("message"), "1 deliveries held") {
		t.Fatalf("re-enable without a disposition: %s", r.Raw)
	}
	wantError(t, status(`{"enabled":true,"pending_disposition":"later"}`), 400, "validation_error")
	if webhookEnabled(t, sb, admin) != false {
		t.Fatal("a refused re-enable turned webhooks on")
	}
	fr.status.Store(200)
	if r := status(`{"enabled":true,"pending_disposition":"deliver"}`); r.Status != 200 || r.JSON["webhook_enabled"] != true {
		t.Fatalf("re-enable with deliver: %d %s", r.Status, r.Raw)
	}
	sb.WaitWebhooks()
	if deliveryStatus(t, sb, admin, held.ID) != "delivered" || fr.calls.Load() != calls+1 {
		t.Fatalf("the held delivery after deliver: %q, %d calls", deliveryStatus(t, sb, admin, held.ID), fr.calls.Load()-calls)
	}
	if a, _ := sb.App(app.ClientID); a.WebhooksDisabledReason != "" {
		t.Fatalf("reason kept after re-enable: %q", a.WebhooksDisabledReason)
	}
}

// TestWebhookAutoDisableAfter72HoursWithoutSuccess: a quiet app stays on
// however long nothing happens; once a failure is recorded more than 72
// hours after its last success, the rule (read as the docs word it)
// turns webhooks off at once.
func TestWebhookAutoDisableAfter72HoursWithoutSuccess(t *testing.T) {
	fr := &flakyReceiver{}
	fr.status.Store(200)
	sb, app, admin := lifecycleSandbox(t, fr)
	trigger(t, sb, "meeting.created")
	sb.WaitWebhooks()
	sb.Advance(100 * time.Hour) // no failures: no reason to turn off
	sb.WaitWebhooks()
	if webhookEnabled(t, sb, admin) != true {
		t.Fatal("a quiet app was turned off")
	}
	fr.status.Store(500)
	trigger(t, sb, "meeting.created")
	sb.WaitWebhooks()
	if webhookEnabled(t, sb, admin) != false {
		t.Fatal("a failure 100 h after the last success left webhooks on")
	}
	if a, _ := sb.App(app.ClientID); !strings.Contains(a.WebhooksDisabledReason, "72 hours") {
		t.Fatalf("reason: %q", a.WebhooksDisabledReason)
	}
}

// TestWebhookAutoDisableClockRunsFromLastSuccess: with a success and then
// failures, webhooks stay on up to 72 hours after that success and go off
// just after; "abandon" on re-enable drops what was held.
func TestWebhookAutoDisableClockRunsFromLastSuccess(t *testing.T) {
	fr := &flakyReceiver{}
	fr.status.Store(200)
	sb, _, admin := lifecycleSandbox(t, fr)
	trigger(t, sb, "meeting.created")
	sb.WaitWebhooks()
	fr.status.Store(500)
	sb.Advance(time.Hour)
	trigger(t, sb, "meeting.updated")
	runRetries(sb) // abandoned about 9.6 h after the success
	sb.Advance(72*time.Hour - sb.Now().Sub(sandbox.TestEpoch))
	sb.WaitWebhooks()
	if webhookEnabled(t, sb, admin) != true {
		t.Fatal("turned off at exactly 72 h; the rule says more than 72 h")
	}
	sb.Advance(time.Second)
	sb.WaitWebhooks()
	if webhookEnabled(t, sb, admin) != false {
		t.Fatal("still on just after 72 h without a success while failing")
	}
	calls := fr.calls.Load()
	held := trigger(t, sb, "meeting.updated")
	r := call(t, "PUT", sb.URL()+"/v1/partner/admin/app/webhook-status", admin, `{"enabled":true,"pending_disposition":"abandon"}`)
	if r.Status != 200 || r.JSON["webhook_enabled"] != true {
		t.Fatalf("re-enable with abandon: %d %s", r.Status, r.Raw)
	}
	sb.WaitWebhooks()
	if deliveryStatus(t, sb, admin, held.ID) != "abandoned" || fr.calls.Load() != calls {
		t.Fatalf("abandon sent or kept the backlog: %q, %d calls", deliveryStatus(t, sb, admin, held.ID), fr.calls.Load()-calls)
	}
	// Re-enabled, the count starts again: the next event is sent.
	fr.status.Store(200)
	next := trigger(t, sb, "meeting.updated")
	sb.WaitWebhooks()
	if deliveryStatus(t, sb, admin, next.ID) != "delivered" {
		t.Fatalf("after re-enable: %q", deliveryStatus(t, sb, admin, next.ID))
	}
}

// TestWebhookStatusByHand: turning webhooks off by hand holds retries too,
// and turning them on when they are on needs no disposition.
func TestWebhookStatusByHand(t *testing.T) {
	fr := &flakyReceiver{}
	fr.status.Store(500)
	sb, app, admin := lifecycleSandbox(t, fr)
	d := trigger(t, sb, "participant.added")
	sb.WaitWebhooks()
	status := func(body string) reply {
		return call(t, "PUT", sb.URL()+"/v1/partner/admin/webhook-status", admin, body)
	}
	if r := status(`{"enabled":true}`); r.Status != 200 || r.JSON["webhook_enabled"] != true {
		t.Fatalf("enable while enabled: %d %s", r.Status, r.Raw)
	}
	if r := status(`{"enabled":false}`); r.Status != 200 || r.JSON["webhook_enabled"] != false {
		t.Fatalf("disable: %d %s", r.Status, r.Raw)
	}
	sb.Advance(time.Hour)
	sb.WaitWebhooks()
	if fr.calls.Load() != 1 {
		t.Fatalf("a retry went out while disabled: %d calls", fr.calls.Load())
	}
	if a, _ := sb.App(app.ClientID); a.WebhooksDisabledReason != "" {
		t.Fatalf("a hand-made disable has an auto-disable reason: %q", a.WebhooksDisabledReason)
	}
	fr.status.Store(200)
	if err := sb.SetWebhooksEnabled(app.ClientID, true, ""); err == nil || !strings.Contains(err.Error(), "pending_disposition") {
		t.Fatalf("Go re-enable without a disposition: %v", err)
	}
	if err := sb.SetWebhooksEnabled(app.ClientID, true, sandbox.PendingDeliver); err != nil {
		t.Fatal(err)
	}
	sb.WaitWebhooks()
	if got := deliveryStatus(t, sb, admin, d.ID); got != "delivered" {
		t.Fatalf("the held retry after deliver: %q", got)
	}
}
