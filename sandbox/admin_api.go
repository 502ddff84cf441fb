package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// apiKey authenticates an admin API call: X-API-Key and X-Client-ID, both.
func (s *Sandbox) apiKey(r *http.Request) (*App, *apiError) {
	key, clientID := r.Header.Get("X-API-Key"), r.Header.Get("X-Client-ID")
	if key == "" && strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		return nil, newErr(http.StatusUnauthorized, CodeUnauthorized,
			"admin endpoints take X-API-Key and X-Client-ID headers; OAuth access tokens only work on /v1/partner/user")
	}
	if key == "" {
		return nil, newErr(http.StatusUnauthorized, CodeUnauthorized, "the X-API-Key header is missing")
	}
	if clientID == "" {
		return nil, newErr(http.StatusUnauthorized, CodeMissingClientID, "the X-Client-ID header is missing; admin endpoints need it beside X-API-Key")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	app, ok := s.st.apps[clientID]
	if !ok || !s.credentialMatchesLocked(app, credAPIKey, key) {
		return nil, newErr(http.StatusUnauthorized, CodeUnauthorized, "the API key is not valid for this client ID")
	}
	if app.Deactivated {
		return nil, newErr(http.StatusUnauthorized, CodeInvalidClient, "the partner app is deactivated")
	}
	c := cloneApp(app)
	return &c, nil
}

func (s *Sandbox) adminAuth(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) *apiError {
		app, e := s.apiKey(r)
		if e != nil {
			return e
		}
		stateOf(r).app = app
		return h(w, r)
	}
}

func appJSON(a *App) map[string]any {
	status := "active"
	if a.Deactivated {
		status = "inactive"
	}
	out := map[string]any{
		"id": a.ID, "client_id": a.ClientID, "name": a.Name, "company_name": a.CompanyName, "status": status,
		"webhook_url": a.WebhookURL, "webhook_enabled": !a.WebhooksDisabled && a.WebhookURL != "",
		"slug":       strings.ToLower(strings.ReplaceAll(a.Name, " ", "-")),
		"created_at": TestEpoch, "updated_at": TestEpoch,
	}
	if a.WebhookFilter != nil { // the spec's object cannot be null: no filter, no field
		out["webhook_filter"] = a.WebhookFilter
	}
	return out
}

// changeApp applies f to the caller's app under the lock and answers with it.
func (s *Sandbox) changeApp(w http.ResponseWriter, r *http.Request, f func(*App) *apiError) *apiError {
	s.mu.Lock()
	app := s.st.apps[stateOf(r).app.ClientID]
	if e := f(app); e != nil {
		s.mu.Unlock()
		return e
	}
	body := appJSON(app)
	s.mu.Unlock()
	markWrite(r)
	writeJSON(w, http.StatusOK, body)
	return nil
}

func (s *Sandbox) getApp(w http.ResponseWriter, r *http.Request) *apiError {
	writeJSON(w, http.StatusOK, appJSON(stateOf(r).app))
	return nil
}

func (s *Sandbox) updateApp(w http.ResponseWriter, r *http.Request) *apiError {
	var in struct {
		Name       *string `json:"name"`
		WebhookURL *string `json:"webhook_url"`
	}
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	return s.changeApp(w, r, func(a *App) *apiError {
		if in.Name != nil {
			a.Name = *in.Name
		}
		if in.WebhookURL != nil {
			a.WebhookURL = *in.WebhookURL
		}
		return nil
	})
}

func (s *Sandbox) updateAppStatus(w http.ResponseWriter, r *http.Request) *apiError {
	var in struct{ Status string }
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if !slices.Contains([]string{"active", "suspended", "inactive"}, in.Status) {
		return newErr(http.StatusBadRequest, "invalid_status", "status must be active, suspended or inactive")
	}
	return s.changeApp(w, r, func(a *App) *apiError { a.Deactivated = in.Status != "active"; return nil })
}

func (s *Sandbox) updateWebhookStatus(w http.ResponseWriter, r *http.Request) *apiError {
	var in struct {
		Enabled            *bool  `json:"enabled"`
		PendingDisposition string `json:"pending_disposition"`
	}
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if in.Enabled == nil {
		return newErr(http.StatusBadRequest, "invalid_request_body", "enabled is required")
	}
	// Re-enabling acts on the held deliveries, outside the app lock.
	if e := s.setWebhooksEnabled(stateOf(r).app.ClientID, *in.Enabled, in.PendingDisposition); e != nil {
		return e
	}
	return s.changeApp(w, r, func(*App) *apiError { return nil })
}

func (s *Sandbox) setWebhookFilter(w http.ResponseWriter, r *http.Request) *apiError {
	var in struct {
		Type   string   `json:"type"`
		Events []string `json:"events"`
	}
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if in.Type != "include" && in.Type != "exclude" {
		return newErr(http.StatusBadRequest, CodeValidation, "type must be include or exclude")
	}
	for _, ev := range in.Events {
		if !slices.Contains(webhookEventTypes, ev) {
			return newErr(http.StatusBadRequest, CodeValidation, "unknown event type "+ev).field("valid_event_types", webhookEventTypes)
		}
	}
	return s.changeApp(w, r, func(a *App) *apiError {
		a.WebhookFilter = &WebhookFilter{Type: in.Type, Events: slices.Clone(in.Events)}
		return nil
	})
}

// removeWebhookFilter answers 200 with the app, as the spec documents.
func (s *Sandbox) removeWebhookFilter(w http.ResponseWriter, r *http.Request) *apiError {
	return s.changeApp(w, r, func(a *App) *apiError { a.WebhookFilter = nil; return nil })
}

// webhookEventTypes are the 35 event types of the AsyncAPI spec.
var webhookEventTypes = []string{
	"action_button.triggered", "action_item.completed", "action_item.created", "action_item.updated",
	"agenda_item.created", "agenda_item.deleted", "agenda_item.updated", "automation.assignment.created",
	"calendar_event.created", "calendar_event.deleted", "calendar_event.updated", "canvas_template.applied",
	"meeting.completed", "meeting.context.created", "meeting.context.deleted", "meeting.context.processed",
	"meeting.created", "meeting.updated", "meeting_template.applied", "next_step.completed",
	"participant.added", "participant.removed", "partner.idp.domain_revoked", "partner.idp.domain_verification_failed",
	"partner.idp.domain_verified", "session.expired", "session.turn.completed", "session.turn.failed",
	"user.connection.revoked", "workflow.run.completed", "workflow.run.failed", "workflow.run.started",
	"workflow.step.completed", "workflow.task.created", "workflow.task.resolved",
}

func (s *Sandbox) listDeliveries(w http.ResponseWriter, r *http.Request) *apiError {
	q := r.URL.Query()
	var out []map[string]any
	for _, d := range s.hooks.list(stateOf(r).app.ClientID) {
		if (q.Get("status") == "" || q.Get("status") == d.Status) && (q.Get("event_type") == "" || q.Get("event_type") == d.EventType) {
			out = append(out, d.json())
		}
	}
	body, e := page(r, out)
	if e != nil {
		return e
	}
	body["deliveries"] = body["items"] // the admin API names the array "deliveries"
	delete(body, "items")
	writeJSON(w, http.StatusOK, body)
	return nil
}

func (s *Sandbox) getDelivery(w http.ResponseWriter, r *http.Request) *apiError {
	d, ok := s.hooks.get(stateOf(r).app.ClientID, param(r, "delivery_id"))
	if !ok {
		return notFound("webhook delivery")
	}
	writeJSON(w, http.StatusOK, d.json())
	return nil
}

func (s *Sandbox) retryDelivery(w http.ResponseWriter, r *http.Request) *apiError {
	d, ok := s.hooks.retryNow(stateOf(r).app.ClientID, param(r, "delivery_id"))
	if !ok {
		return notFound("webhook delivery")
	}
	markWrite(r)
	body := map[string]any{"delivery_id": d.ID, "retry_scheduled": true, "retry_count": d.RetryCount,
		"message": "the delivery is queued for another attempt"}
	if d.NextRetryAt != nil {
		body["next_retry_at"] = d.NextRetryAt
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

func (s *Sandbox) connectionJSON(c *connection, now time.Time) map[string]any {
	u := s.st.users[c.userID]
	status := "active"
	switch {
	case c.revoked:
		status = "revoked"
	case !now.Before(c.expiresAt):
		status = "expired"
	}
	return map[string]any{
		"id": c.ID, "user_id": c.userID, "user_email": u.Email, "user_name": u.Name, "status": status,
		"oauth_scopes": c.scopes, "oauth_expires_at": c.expiresAt, "created_at": c.created, "updated_at": c.updated,
		"last_used_at": c.lastUsed, "feature_activated_at": c.created,
	}
}

func (s *Sandbox) connectionsOf(clientID string) []*connection {
	var out []*connection
	for _, c := range s.st.connections {
		if c.clientID == clientID {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b *connection) int {
		if c := a.created.Compare(b.created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

func (s *Sandbox) listConnections(w http.ResponseWriter, r *http.Request) *apiError {
	q := r.URL.Query()
	now := s.Now()
	s.mu.Lock()
	var items []map[string]any
	for _, c := range s.connectionsOf(stateOf(r).app.ClientID) {
		j := s.connectionJSON(c, now)
		if (q.Get("status") == "" || q.Get("status") == j["status"]) && (q.Get("user_id") == "" || q.Get("user_id") == c.userID) {
			items = append(items, j)
		}
	}
	s.mu.Unlock()
	body, e := page(r, items)
	if e != nil {
		return e
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

func (s *Sandbox) findConnection(clientID, id string) *connection {
	for _, c := range s.connectionsOf(clientID) {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func (s *Sandbox) getConnection(w http.ResponseWriter, r *http.Request) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.findConnection(stateOf(r).app.ClientID, param(r, "connection_id"))
	if c == nil {
		return notFound("connection")
	}
	writeJSON(w, http.StatusOK, s.connectionJSON(c, s.Now()))
	return nil
}

// revokeConnection revokes every token the user granted the app.
func (s *Sandbox) revokeConnection(w http.ResponseWriter, r *http.Request) *apiError {
	clientID := stateOf(r).app.ClientID
	s.mu.Lock()
	c := s.findConnection(clientID, param(r, "connection_id"))
	if c == nil {
		s.mu.Unlock()
		return notFound("connection")
	}
	c.revoked = true
	for _, t := range s.st.tokens {
		if t.clientID == clientID && t.userID == c.userID {
			t.revoked = true
		}
	}
	id, userID := c.ID, c.userID
	s.mu.Unlock()
	markWrite(r)
	s.emit(clientID, "user.connection.revoked", userID, map[string]any{"connection_id": id, "revoked_at": s.Now()})
	w.WriteHeader(http.StatusNoContent)
	return nil
}
