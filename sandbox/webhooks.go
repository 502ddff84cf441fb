package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/Contio-AI/contio-doctor/webhook"
)

// Delivery is one webhook event on its way to the app, with every attempt.
type Delivery struct {
	ID           string     `json:"id"`
	EventID      string     `json:"event_id"`
	EventType    string     `json:"event_type"`
	PartnerAppID string     `json:"partner_app_id"`
	ClientID     string     `json:"client_id"`
	URL          string     `json:"url"`
	Status       string     `json:"delivery_status"` // one of the Delivery* statuses
	HTTPStatus   int        `json:"http_status_code"`
	RetryCount   int        `json:"retry_count"`
	NextRetryAt  *time.Time `json:"next_retry_at"`
	DeliveredAt  *time.Time `json:"delivered_at"`
	ErrorMessage string     `json:"error_message"`
	CreatedAt    time.Time  `json:"created_at"`
	// Body is the exact bytes sent and signed; Signature the header value.
	Body      []byte    `json:"-"`
	Signature string    `json:"signature"`
	Attempts  []Attempt `json:"attempts"`

	secret   string
	inFlight bool
}

// Attempt is one try at a delivery.
type Attempt struct {
	At     time.Time `json:"at"`
	Status int       `json:"status"`
	Error  string    `json:"error,omitempty"`
}

// json is the delivery as the admin API shows it. The timestamps that are
// not known yet are left out: the spec types them as strings and cannot
// say null.
func (d *Delivery) json() map[string]any {
	out := map[string]any{
		"id": d.ID, "event_id": d.EventID, "event_type": d.EventType, "partner_app_id": d.PartnerAppID,
		"delivery_status": d.Status, "http_status_code": d.HTTPStatus, "retry_count": d.RetryCount,
		"error_message": d.ErrorMessage, "created_at": d.CreatedAt,
	}
	if d.NextRetryAt != nil {
		out["next_retry_at"] = d.NextRetryAt
	}
	if d.DeliveredAt != nil {
		out["delivered_at"] = d.DeliveredAt
	}
	return out
}

// Webhook delivery statuses, as the admin API reports them.
const (
	// DeliveryPending: not tried yet, or held while the app's webhooks are disabled.
	DeliveryPending = "pending"
	// DeliveryDelivered: the receiver answered 2xx.
	DeliveryDelivered = "delivered"
	// DeliveryFailed: the last attempt failed and a retry is scheduled.
	DeliveryFailed = "failed"
	// DeliveryAbandoned: every retry failed, or the backlog was dropped
	// when webhooks were re-enabled with pending_disposition "abandon".
	DeliveryAbandoned = "abandoned"
)

// Contio's auto-disable rule (the webhook management guide): webhooks are
// turned off when this many deliveries were abandoned, or when more than
// AutoDisableWithoutSuccess passed without a success while failures are
// recorded. The sandbox counts both from the last success (or the last
// re-enable), so one good delivery starts the count again.
const (
	AutoDisableAbandoned      = 50
	AutoDisableWithoutSuccess = 72 * time.Hour
)

// webhookBackoff is the wait before each retry; after the last one the
// delivery is abandoned. Contio does not document its schedule; this one
// is the sandbox's own.
var webhookBackoff = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour}

// webhookHealth is what the auto-disable rule looks at, per app.
type webhookHealth struct {
	since     time.Time // the last success or re-enable; else the first failure
	failing   bool      // failures recorded since then
	abandoned int       // deliveries abandoned since then
}

// disableReason says why the rule turns webhooks off now, or "".
func (h *webhookHealth) disableReason(now time.Time) string {
	switch {
	case h == nil:
		return ""
	case h.abandoned >= AutoDisableAbandoned:
		return fmt.Sprintf("%d deliveries were abandoned after exhausting their retries", h.abandoned)
	case h.failing && now.Sub(h.since) > AutoDisableWithoutSuccess:
		return fmt.Sprintf("no delivery succeeded for more than %d hours while deliveries kept failing", int(AutoDisableWithoutSuccess.Hours()))
	}
	return ""
}

type dispatcher struct {
	s          *Sandbox
	mu         sync.Mutex
	cond       *sync.Cond
	deliveries []*Delivery
	health     map[string]*webhookHealth // by client_id
	inFlight   int
	client     *http.Client
}

func newDispatcher(s *Sandbox) *dispatcher {
	d := &dispatcher{s: s, health: map[string]*webhookHealth{}, client: &http.Client{
		Timeout: s.opts.WebhookTimeout,
		// A receiver's redirect is a failed delivery, not something to follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	d.cond = sync.NewCond(&d.mu)
	return d
}

func (d *dispatcher) clear() {
	d.mu.Lock()
	d.deliveries = nil
	d.health = map[string]*webhookHealth{}
	d.mu.Unlock()
}

func (d *dispatcher) healthOf(clientID string) *webhookHealth {
	h := d.health[clientID]
	if h == nil {
		h = &webhookHealth{}
		d.health[clientID] = h
	}
	return h
}

// emitFor sends an event about the user behind the request's access token.
func (s *Sandbox) emitFor(r *http.Request, eventType string, data map[string]any) {
	t := stateOf(r).tok
	s.emit(t.clientID, eventType, t.userID, data)
}

// emit builds, signs and sends an event to the app's webhook URL. Apps
// without a URL get nothing; while an app's webhooks are disabled, events
// that pass its filter are stored pending, to be delivered or abandoned
// when it re-enables them.
func (s *Sandbox) emit(clientID, eventType, userID string, data map[string]any) (*Delivery, error) {
	s.mu.Lock()
	app, ok := s.st.apps[clientID]
	if !ok {
		s.mu.Unlock()
		return nil, fmt.Errorf("sandbox: no app with client_id %q", clientID)
	}
	a := cloneApp(app)
	var forUser map[string]string
	if u, ok := s.st.users[userID]; ok {
		forUser = map[string]string{"id": u.ID, "email": u.Email}
	}
	s.mu.Unlock()
	if a.WebhookURL == "" || !a.WebhookFilter.allows(eventType) {
		return nil, nil
	}
	now := s.Now()
	env := map[string]any{
		"event_type": eventType, "event_id": s.ids.uuid(), "timestamp": now.Format(time.RFC3339),
		"partner_app_id": a.ID, "data": data,
	}
	if forUser != nil {
		env["actor_user_id"], env["for_user"] = forUser["id"], forUser
	}
	// Marshal once: the bytes signed are the bytes sent.
	body, err := json.Marshal(env)
	if err != nil {
		return nil, fmt.Errorf("sandbox: encode webhook: %w", err)
	}
	del := &Delivery{ID: s.ids.uuid(), EventID: env["event_id"].(string), EventType: eventType, PartnerAppID: a.ID,
		ClientID: a.ClientID, URL: a.WebhookURL, Status: DeliveryPending, CreatedAt: now, Body: body,
		Signature: webhook.Sign(a.WebhookSecret, body), secret: a.WebhookSecret, NextRetryAt: &now}
	if a.WebhooksDisabled {
		del.NextRetryAt = nil // held until the app re-enables webhooks
		s.logf("webhook %s %s held as pending: the app's webhooks are disabled", eventType, del.EventID)
	}
	s.hooks.mu.Lock()
	s.hooks.deliveries = append(s.hooks.deliveries, del)
	s.hooks.mu.Unlock()
	s.hooks.dispatchDue()
	return del, nil
}

// TriggerWebhook sends an event of any type to the app's webhook URL, as
// POST /_sandbox/webhooks/trigger does. An empty clientID means the
// default app. It returns an error when the app has no webhook URL or its
// filter drops the event; while the app's webhooks are disabled the
// delivery is stored pending and not sent.
func (s *Sandbox) TriggerWebhook(clientID, eventType string, data map[string]any) (Delivery, error) {
	if clientID == "" {
		clientID = s.DefaultApp().ClientID
	}
	if eventType == "" {
		return Delivery{}, errors.New("sandbox: event_type is empty")
	}
	if data == nil {
		data = map[string]any{}
	}
	d, err := s.emit(clientID, eventType, "", data)
	if err != nil {
		return Delivery{}, err
	}
	if d == nil {
		return Delivery{}, fmt.Errorf("sandbox: app %s has no webhook URL, or filters out %s", clientID, eventType)
	}
	return s.hooks.snapshot(d), nil
}

// WaitWebhooks blocks until no delivery attempt is in flight.
func (s *Sandbox) WaitWebhooks() { s.hooks.wait() }

// Deliveries lists every webhook delivery, oldest first, after waiting for
// attempts in flight.
func (s *Sandbox) Deliveries() []Delivery {
	s.hooks.wait()
	return s.hooks.list("")
}

func (d *dispatcher) snapshot(x *Delivery) Delivery {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := *x
	c.Attempts = slices.Clone(x.Attempts)
	return c
}

func (d *dispatcher) list(clientID string) []Delivery {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []Delivery
	for _, x := range d.deliveries {
		if clientID == "" || x.ClientID == clientID {
			c := *x
			c.Attempts = slices.Clone(x.Attempts)
			out = append(out, c)
		}
	}
	return out
}

func (d *dispatcher) get(clientID, id string) (Delivery, bool) {
	for _, x := range d.list(clientID) {
		if x.ID == id {
			return x, true
		}
	}
	return Delivery{}, false
}

// retryNow schedules a delivery for an immediate attempt (admin retry).
func (d *dispatcher) retryNow(clientID, id string) (Delivery, bool) {
	now := d.s.Now()
	d.mu.Lock()
	var found *Delivery
	for _, x := range d.deliveries {
		if x.ID == id && x.ClientID == clientID {
			found = x
			x.Status, x.NextRetryAt = DeliveryPending, &now
		}
	}
	d.mu.Unlock()
	if found == nil {
		return Delivery{}, false
	}
	d.dispatchDue()
	return d.snapshot(found), true
}

func (d *dispatcher) wait() {
	d.mu.Lock()
	for d.inFlight > 0 {
		d.cond.Wait()
	}
	d.mu.Unlock()
}

// tick sends due retries while the server runs on a real clock.
func (d *dispatcher) tick(stop <-chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			d.dispatchDue()
		}
	}
}

// open reports whether a delivery may still be attempted.
func (x *Delivery) open() bool { return x.Status == DeliveryPending || x.Status == DeliveryFailed }

// dispatchDue starts an attempt for every open delivery whose time has
// come, except those of apps whose webhooks are disabled, and applies the
// time side of the auto-disable rule.
func (d *dispatcher) dispatchDue() {
	now := d.s.Now()
	disabled := d.s.webhooksDisabled()
	var turnOff map[string]string
	d.mu.Lock()
	for clientID, h := range d.health {
		if reason := h.disableReason(now); reason != "" && !disabled[clientID] {
			if turnOff == nil {
				turnOff = map[string]string{}
			}
			turnOff[clientID] = reason
		}
	}
	for _, x := range d.deliveries {
		if !x.open() || x.inFlight || x.NextRetryAt == nil || x.NextRetryAt.After(now) || disabled[x.ClientID] || turnOff[x.ClientID] != "" {
			continue
		}
		x.inFlight = true
		d.inFlight++
		go d.attempt(x)
	}
	d.mu.Unlock()
	for clientID, reason := range turnOff {
		d.s.autoDisableWebhooks(clientID, reason)
	}
}

func (d *dispatcher) attempt(x *Delivery) {
	status, err := d.send(x)
	now := d.s.Now()
	d.mu.Lock()
	reason := d.recordLocked(x, status, err, now)
	x.inFlight = false
	d.inFlight--
	d.cond.Broadcast()
	d.mu.Unlock()
	if reason != "" {
		d.s.autoDisableWebhooks(x.ClientID, reason)
	}
}

// recordLocked books one attempt and returns why the app's webhooks must
// now be turned off, if they must.
func (d *dispatcher) recordLocked(x *Delivery, status int, err error, now time.Time) string {
	a := Attempt{At: now, Status: status}
	x.HTTPStatus = status
	h := d.healthOf(x.ClientID)
	if err == nil && status >= 200 && status < 300 {
		x.Status, x.DeliveredAt, x.NextRetryAt, x.ErrorMessage = DeliveryDelivered, &now, nil, ""
		x.Attempts = append(x.Attempts, a)
		*h = webhookHealth{since: now}
		d.s.logf("webhook %s %s delivered to %s (%d)", x.EventType, x.EventID, x.URL, status)
		return ""
	}
	if err != nil {
		a.Error = err.Error()
	} else {
		a.Error = fmt.Sprintf("the receiver answered %d; only 2xx counts as delivered", status)
	}
	x.Attempts = append(x.Attempts, a)
	x.ErrorMessage = a.Error
	if !h.failing {
		h.failing = true
		if h.since.IsZero() {
			h.since = now
		}
	}
	if x.RetryCount >= len(webhookBackoff) {
		x.Status, x.NextRetryAt = DeliveryAbandoned, nil
		h.abandoned++
		d.s.logf("webhook %s %s abandoned after %d attempts: %s", x.EventType, x.EventID, len(x.Attempts), a.Error)
		return h.disableReason(now)
	}
	next := now.Add(webhookBackoff[x.RetryCount])
	x.Status = DeliveryFailed
	x.RetryCount++
	x.NextRetryAt = &next
	d.s.logf("webhook %s %s failed (%s); retry %d at %s", x.EventType, x.EventID, a.Error, x.RetryCount, next.Format(time.RFC3339))
	return h.disableReason(now)
}

// openCount is how many of the app's deliveries are pending or awaiting a retry.
func (d *dispatcher) openCount(clientID string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for _, x := range d.deliveries {
		if x.ClientID == clientID && x.open() {
			n++
		}
	}
	return n
}

// resume acts on the backlog when an app re-enables webhooks: "deliver"
// sends it in the next cycle, "abandon" drops it. Either way the
// auto-disable count starts again.
func (d *dispatcher) resume(clientID, disposition string) {
	now := d.s.Now()
	d.mu.Lock()
	d.health[clientID] = &webhookHealth{since: now}
	for _, x := range d.deliveries {
		if x.ClientID != clientID || !x.open() || x.inFlight {
			continue
		}
		if disposition == PendingAbandon {
			x.Status, x.NextRetryAt = DeliveryAbandoned, nil
			x.ErrorMessage = "abandoned: webhooks were re-enabled with pending_disposition abandon"
			continue
		}
		if x.NextRetryAt == nil || x.NextRetryAt.After(now) {
			x.NextRetryAt = &now
		}
	}
	d.mu.Unlock()
	d.dispatchDue()
}

func (d *dispatcher) send(x *Delivery) (int, error) {
	if !d.s.opts.AllowExternalWebhooks && !isLoopbackURL(x.URL) {
		return 0, errors.New("the sandbox only delivers to loopback addresses (Options.AllowExternalWebhooks lifts this)")
	}
	req, err := http.NewRequest(http.MethodPost, x.URL, bytes.NewReader(x.Body))
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "contio-sandbox-webhooks/"+Version)
	req.Header.Set(webhook.Header, x.Signature)
	resp, err := d.client.Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return 0, fmt.Errorf("no answer within %s", d.client.Timeout)
		}
		return 0, fmt.Errorf("send: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	return resp.StatusCode, nil
}

func isLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// The two answers Contio accepts for the backlog when webhooks are
// re-enabled (pending_disposition).
const (
	PendingDeliver = "deliver"
	PendingAbandon = "abandon"
)

// webhooksDisabled lists the apps whose webhooks are off.
func (s *Sandbox) webhooksDisabled() map[string]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]bool{}
	for id, a := range s.st.apps {
		if a.WebhooksDisabled {
			out[id] = true
		}
	}
	return out
}

// autoDisableWebhooks turns an app's webhooks off as Contio's rule does:
// webhook_enabled becomes false and new events are held pending.
func (s *Sandbox) autoDisableWebhooks(clientID, reason string) {
	s.mu.Lock()
	a := s.st.apps[clientID]
	if a == nil || a.WebhooksDisabled {
		s.mu.Unlock()
		return
	}
	a.WebhooksDisabled, a.WebhooksDisabledReason = true, reason
	s.mu.Unlock()
	s.logf("webhooks of app %s auto-disabled: %s (Contio e-mails the app's primary contact); new events are held pending until "+
		`PUT /v1/partner/admin/webhook-status {"enabled":true,"pending_disposition":"deliver" or "abandon"}`, clientID, reason)
}

// SetWebhooksEnabled turns an app's webhook delivery on or off, as PUT
// /v1/partner/admin/webhook-status does. Re-enabling must say what to do
// with the deliveries held meanwhile: PendingDeliver or PendingAbandon.
func (s *Sandbox) SetWebhooksEnabled(clientID string, enabled bool, disposition string) error {
	if e := s.setWebhooksEnabled(clientID, enabled, disposition); e != nil {
		return fmt.Errorf("sandbox: %s", e.Message)
	}
	return nil
}

func (s *Sandbox) setWebhooksEnabled(clientID string, enabled bool, disposition string) *apiError {
	if disposition != "" && disposition != PendingDeliver && disposition != PendingAbandon {
		return newErr(http.StatusBadRequest, CodeValidation, "pending_disposition must be deliver or abandon")
	}
	s.mu.Lock()
	a := s.st.apps[clientID]
	if a == nil {
		s.mu.Unlock()
		return notFound("partner app")
	}
	reenable := enabled && a.WebhooksDisabled
	if reenable && disposition == "" {
		s.mu.Unlock() // openCount takes the dispatcher's lock: never under s.mu
		return newErr(http.StatusBadRequest, CodeValidation, fmt.Sprintf("re-enabling webhooks needs pending_disposition: "+
			"deliver (send the %d deliveries held while disabled) or abandon (drop them)", s.hooks.openCount(clientID)))
	}
	a.WebhooksDisabled = !enabled
	if enabled {
		a.WebhooksDisabledReason = ""
	}
	s.mu.Unlock()
	if reenable {
		s.hooks.resume(clientID, disposition)
	}
	return nil
}
