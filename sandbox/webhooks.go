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
	Status       string     `json:"delivery_status"` // pending, delivered, failed
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

func (d *Delivery) json() map[string]any {
	return map[string]any{
		"id": d.ID, "event_id": d.EventID, "event_type": d.EventType, "partner_app_id": d.PartnerAppID,
		"delivery_status": d.Status, "http_status_code": d.HTTPStatus, "retry_count": d.RetryCount,
		"next_retry_at": d.NextRetryAt, "delivered_at": d.DeliveredAt, "error_message": d.ErrorMessage,
		"created_at": d.CreatedAt,
	}
}

// webhookBackoff is the wait before each retry; after the last one the
// delivery is marked failed.
var webhookBackoff = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour}

type dispatcher struct {
	s          *Sandbox
	mu         sync.Mutex
	cond       *sync.Cond
	deliveries []*Delivery
	inFlight   int
	client     *http.Client
}

func newDispatcher(s *Sandbox) *dispatcher {
	d := &dispatcher{s: s, client: &http.Client{
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
	d.mu.Unlock()
}

// emitFor sends an event about the user behind the request's access token.
func (s *Sandbox) emitFor(r *http.Request, eventType string, data map[string]any) {
	t := stateOf(r).tok
	s.emit(t.clientID, eventType, t.userID, data)
}

// emit builds, signs and sends an event to the app's webhook URL. Apps
// without a URL, or with webhooks disabled, get nothing.
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
	if a.WebhookURL == "" || a.WebhooksDisabled || !a.WebhookFilter.allows(eventType) {
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
		ClientID: a.ClientID, URL: a.WebhookURL, Status: "pending", CreatedAt: now, Body: body,
		Signature: webhook.Sign(a.WebhookSecret, body), secret: a.WebhookSecret, NextRetryAt: &now}
	s.hooks.mu.Lock()
	s.hooks.deliveries = append(s.hooks.deliveries, del)
	s.hooks.mu.Unlock()
	s.hooks.dispatchDue()
	return del, nil
}

// TriggerWebhook sends an event of any type to the app's webhook URL, as
// POST /_sandbox/webhooks/trigger does. An empty clientID means the
// default app. It returns an error when the app has no webhook URL.
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
		return Delivery{}, fmt.Errorf("sandbox: app %s has no webhook URL, has webhooks disabled, or filters out %s", clientID, eventType)
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
			x.Status, x.NextRetryAt = "pending", &now
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

// dispatchDue starts an attempt for every pending delivery whose time has come.
func (d *dispatcher) dispatchDue() {
	now := d.s.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, x := range d.deliveries {
		if x.Status != "pending" || x.inFlight || x.NextRetryAt == nil || x.NextRetryAt.After(now) {
			continue
		}
		x.inFlight = true
		d.inFlight++
		go d.attempt(x)
	}
}

func (d *dispatcher) attempt(x *Delivery) {
	status, err := d.send(x)
	now := d.s.Now()
	d.mu.Lock()
	defer func() {
		x.inFlight = false
		d.inFlight--
		d.cond.Broadcast()
		d.mu.Unlock()
	}()
	a := Attempt{At: now, Status: status}
	x.HTTPStatus = status
	if err == nil && status >= 200 && status < 300 {
		x.Status, x.DeliveredAt, x.NextRetryAt, x.ErrorMessage = "delivered", &now, nil, ""
		x.Attempts = append(x.Attempts, a)
		d.s.logf("webhook %s %s delivered to %s (%d)", x.EventType, x.EventID, x.URL, status)
		return
	}
	if err != nil {
		a.Error = err.Error()
	} else {
		a.Error = fmt.Sprintf("the receiver answered %d; only 2xx counts as delivered", status)
	}
	x.Attempts = append(x.Attempts, a)
	x.ErrorMessage = a.Error
	if x.RetryCount >= len(webhookBackoff) {
		x.Status, x.NextRetryAt = "failed", nil
		d.s.logf("webhook %s %s failed for good: %s", x.EventType, x.EventID, a.Error)
		return
	}
	next := now.Add(webhookBackoff[x.RetryCount])
	x.RetryCount++
	x.NextRetryAt = &next
	d.s.logf("webhook %s %s failed (%s); retry %d at %s", x.EventType, x.EventID, a.Error, x.RetryCount, next.Format(time.RFC3339))
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
