package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// bearer authenticates a user API call and enforces scope ("" for none).
func (s *Sandbox) bearer(r *http.Request, scope string) (*token, *apiError) {
	authz := r.Header.Get("Authorization")
	if authz == "" && r.Header.Get("X-API-Key") != "" {
		return nil, newErr(http.StatusUnauthorized, CodeUnauthorized,
			"user endpoints take an OAuth access token (Authorization: Bearer …); API keys only work on /v1/partner/admin").
			with("WWW-Authenticate", `Bearer realm="contio"`)
	}
	value, ok := strings.CutPrefix(authz, "Bearer ")
	if !ok || value == "" {
		return nil, newErr(http.StatusUnauthorized, CodeUnauthorized, "an access token is required: send Authorization: Bearer <access_token>").
			with("WWW-Authenticate", `Bearer realm="contio"`)
	}
	invalid := func(why string) *apiError {
		return newErr(http.StatusUnauthorized, CodeInvalidToken, why).
			with("WWW-Authenticate", fmt.Sprintf(`Bearer error="invalid_token", error_description=%q`, why))
	}
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.st.tokens[value]
	switch {
	case !ok || t.kind != kindAccess:
		return nil, invalid("the access token is unknown")
	case t.revoked:
		return nil, invalid("the access token has been revoked")
	case !now.Before(t.expires):
		return nil, invalid("the access token expired")
	case t.userID == "":
		return nil, invalid("the token was issued by client_credentials and acts for no user")
	}
	if app := s.st.apps[t.clientID]; app == nil || app.Deactivated {
		return nil, newErr(http.StatusUnauthorized, CodeInvalidClient, "the partner app that owns this token is deactivated")
	}
	if scope != "" && !slices.Contains(t.scopes, scope) {
		return nil, newErr(http.StatusForbidden, CodeInsufficientScope,
			fmt.Sprintf("the access token lacks the %s scope (it has: %q)", scope, strings.Join(t.scopes, " "))).
			with("WWW-Authenticate", fmt.Sprintf(`Bearer error="insufficient_scope", scope=%q`, scope))
	}
	if c := s.st.connections[t.clientID+"|"+t.userID]; c != nil {
		c.lastUsed = now
	}
	c := *t
	return &c, nil
}

func (s *Sandbox) userAuth(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) *apiError {
		t, e := s.bearer(r, requiredScope(r))
		if e != nil {
			return e
		}
		stateOf(r).tok = t
		if usesIdempotency(r) {
			return s.idempotent(w, r, t.clientID+"|"+t.userID, h)
		}
		return h(w, r)
	}
}

type meeting struct {
	ID              string    `json:"id"`
	Title           string    `json:"title"`
	Status          string    `json:"status"`
	WorkspaceID     string    `json:"workspace_id"`
	CreatedByUserID string    `json:"created_by_user_id"`
	StartTime       time.Time `json:"start_time"`
	EndTime         time.Time `json:"end_time"`
	CalendarEventID *string   `json:"calendar_event_id,omitempty"`
	SummaryNotes    string    `json:"summary_notes"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	participants    []*participant
	agenda          []*agendaItem
}

type participant struct {
	ID         string    `json:"id"`
	MeetingID  string    `json:"meeting_id"`
	UserID     *string   `json:"user_id,omitempty"` // a guest has none; the spec cannot say null
	Email      string    `json:"email"`
	Name       string    `json:"name"`
	Role       string    `json:"role"`
	IsAttended bool      `json:"is_attended"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

type agendaItem struct {
	ID          string    `json:"id"`
	MeetingID   string    `json:"meeting_id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	ItemType    string    `json:"item_type"`
	Status      string    `json:"status"`
	Sequence    int       `json:"sequence,string"` // the spec types it as a string
	Minutes     int       `json:"time_allocation_minutes"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

type actionItem struct {
	ID               string     `json:"id"`
	Title            string     `json:"title"`
	Description      string     `json:"description"`
	MeetingID        *string    `json:"meeting_id,omitempty"` // unset fields are left out:
	IsCompleted      bool       `json:"is_completed"`         // the spec cannot say null
	Status           string     `json:"status"`
	DueDate          *string    `json:"due_date,omitempty"`
	AssignedToUserID *string    `json:"assigned_to_user_id,omitempty"`
	PartnerAssigned  bool       `json:"has_partner_assignment"`
	CompletedAt      *time.Time `json:"completed_at,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

type calendarEvent struct {
	ID             string           `json:"id"`
	Title          string           `json:"title"`
	Description    string           `json:"description"`
	StartTime      time.Time        `json:"start_time"`
	EndTime        time.Time        `json:"end_time"`
	Location       string           `json:"location"`
	Organizer      calendarPerson   `json:"organizer"`
	Attendees      []calendarPerson `json:"attendees"`
	MeetingID      *string          `json:"meeting_id,omitempty"`
	LinkedMeetings []string         `json:"linked_meetings"`
}

// calendarPerson is an organizer or attendee of a calendar event.
type calendarPerson struct {
	Email  string `json:"email"`
	Name   string `json:"name"`
	Status string `json:"status"`
	Type   string `json:"type"`
}

// agendaItemTypes and agendaStatuses are the enums the spec documents.
var (
	agendaItemTypes = []string{"DISCUSSION", "DECISION", "ACTION_ITEM", "INFORMATION"}
	agendaStatuses  = []string{"pending", "in_progress", "completed"}
)

// userData is one user's workspace content.
type userData struct {
	meetings    []*meeting
	actionItems []*actionItem
	events      []*calendarEvent
}

func ptr[T any](v T) *T { return &v }

func (s *Sandbox) seedUserData(u *User) *userData {
	now := s.Now().Truncate(time.Hour)
	d := &userData{}
	titles := []string{"Weekly planning", "Customer onboarding review", "Quarterly roadmap"}
	for i, title := range titles {
		start := now.Add(time.Duration(i*24-48) * time.Hour)
		m := s.newMeeting(u, title, start, start.Add(time.Hour), now)
		s.addParticipantTo(m, u.Email, u.Name, "EDITOR", &u.ID, now)
		s.addParticipantTo(m, "grace@example.com", "Grace Hopper", "VIEWER", nil, now)
		for j, at := range []string{"Updates", "Decisions", "Next steps"} {
			m.agenda = append(m.agenda, &agendaItem{ID: s.ids.uuid(), MeetingID: m.ID, Title: at, ItemType: "DISCUSSION",
				Status: "pending", Sequence: j + 1, Minutes: 15, CreatedAt: now, UpdatedAt: now})
		}
		d.meetings = append(d.meetings, m)
	}
	for i, title := range []string{"Send the recap", "Book the venue", "Review the contract", "Update the roadmap", "Share the slides"} {
		a := &actionItem{ID: s.ids.uuid(), Title: title, MeetingID: &d.meetings[i%len(d.meetings)].ID, Status: "accepted",
			DueDate: ptr(now.AddDate(0, 0, i+1).Format("2006-01-02")), AssignedToUserID: &u.ID, CreatedAt: now, UpdatedAt: now}
		if i == 0 {
			a.IsCompleted, a.Status, a.CompletedAt = true, "completed", ptr(now)
		}
		d.actionItems = append(d.actionItems, a)
	}
	for i, title := range []string{"Design review", "1:1", "All hands", "Partner sync"} {
		start := now.Add(time.Duration(i*24) * time.Hour)
		d.events = append(d.events, &calendarEvent{ID: s.ids.uuid(), Title: title, StartTime: start, EndTime: start.Add(30 * time.Minute),
			Location: "Room " + strconv.Itoa(i+1), LinkedMeetings: []string{},
			Organizer: calendarPerson{Email: u.Email, Name: u.Name, Status: "accepted", Type: "organizer"},
			Attendees: []calendarPerson{{Email: u.Email, Name: u.Name, Status: "accepted", Type: "required"},
				{Email: "grace@example.com", Name: "Grace Hopper", Status: "needs_action", Type: "optional"}}})
	}
	return d
}

func (s *Sandbox) newMeeting(u *User, title string, start, end, now time.Time) *meeting {
	return &meeting{ID: s.ids.uuid(), Title: title, Status: "scheduled", WorkspaceID: u.WorkspaceID, CreatedByUserID: u.ID,
		StartTime: start, EndTime: end, CreatedAt: now, UpdatedAt: now}
}

func (s *Sandbox) addParticipantTo(m *meeting, email, name, role string, userID *string, now time.Time) *participant {
	p := &participant{ID: s.ids.uuid(), MeetingID: m.ID, UserID: userID, Email: email, Name: name, Role: role, CreatedAt: now, UpdatedAt: now}
	m.participants = append(m.participants, p)
	return p
}

// AddMeetings gives the user with email n more meetings (for pagination
// tests); it returns an error for an unknown user.
func (s *Sandbox) AddMeetings(email string, n int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.st.userByEmail[strings.ToLower(email)]
	if !ok {
		return fmt.Errorf("sandbox: no user %q", email)
	}
	u, d, now := s.st.users[id], s.st.data[id], s.Now()
	for i := 0; i < n; i++ {
		start := now.Add(time.Duration(i) * time.Hour)
		d.meetings = append(d.meetings, s.newMeeting(u, fmt.Sprintf("Generated meeting %d", len(d.meetings)+1), start, start.Add(time.Hour), now))
	}
	return nil
}

// page cuts a list by limit and offset: default 25, at most 100 (the SDK's
// getAll* helpers ask for 100 and skip records if a server caps lower).
func page[T any](r *http.Request, items []T) (map[string]any, *apiError) {
	limit, offset := 25, 0
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, newErr(http.StatusBadRequest, "invalid_query_parameters", "limit must be a positive integer")
		}
		limit = min(n, 100)
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, newErr(http.StatusBadRequest, "invalid_query_parameters", "offset must be a non-negative integer")
		}
		offset = n
	}
	out := []T{}
	if offset < len(items) {
		out = items[offset:min(len(items), offset+limit)]
	}
	return map[string]any{"items": out, "total": len(items), "limit": limit, "offset": offset}, nil
}

func decodeJSON(r *http.Request, v any) *apiError {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return newErr(http.StatusBadRequest, "invalid_request_body", "the body could not be read")
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return newErr(http.StatusBadRequest, "invalid_request_body", "the body is not valid JSON for this endpoint: "+err.Error())
	}
	return nil
}

// withData runs f on the caller's data under the state lock.
func (s *Sandbox) withData(r *http.Request, f func(u *User, d *userData) *apiError) *apiError {
	t := stateOf(r).tok
	s.mu.Lock()
	defer s.mu.Unlock()
	return f(s.st.users[t.userID], s.st.data[t.userID])
}

// inMeeting runs f on the meeting the path's {id} names, under the state lock.
func (s *Sandbox) inMeeting(r *http.Request, f func(u *User, d *userData, m *meeting) *apiError) *apiError {
	return s.withData(r, func(u *User, d *userData) *apiError {
		m, e := s.meetingOf(d, r)
		if e != nil {
			return e
		}
		return f(u, d, m)
	})
}

// webhookEvent is one event a write sends to the partner's webhook.
type webhookEvent struct {
	typ  string
	data map[string]any
}

// commit finishes a successful write: it marks the request as one, sends
// the webhooks before the reply (so a client that reads the reply finds
// the delivery), then answers body with status, or status alone if body is nil.
func (s *Sandbox) commit(w http.ResponseWriter, r *http.Request, status int, body any, events ...webhookEvent) *apiError {
	markWrite(r)
	for _, ev := range events {
		s.emitFor(r, ev.typ, ev.data)
	}
	if body == nil {
		w.WriteHeader(status)
		return nil
	}
	writeJSON(w, status, body)
	return nil
}

// writePage answers one page of items.
func writePage[T any](w http.ResponseWriter, r *http.Request, items []T) *apiError {
	body, e := page(r, items)
	if e == nil {
		writeJSON(w, http.StatusOK, body)
	}
	return e
}

// assign copies an optional input field onto its target when it was sent.
func assign[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// requireTitle refuses a create whose title is missing or empty.
func requireTitle(title *string) *apiError {
	if title == nil || *title == "" {
		return newErr(http.StatusBadRequest, CodeInvalidRequest, "title is required")
	}
	return nil
}

func findByID[T any](items []*T, id string, get func(*T) string) (int, *T) {
	for i, it := range items {
		if get(it) == id {
			return i, it
		}
	}
	return -1, nil
}

func notFound(what string) *apiError {
	return newErr(http.StatusNotFound, CodeNotFound, what+" not found")
}

func (s *Sandbox) getProfile(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withData(r, func(u *User, _ *userData) *apiError {
		writeJSON(w, http.StatusOK, map[string]any{
			"id": u.ID, "display_name": u.Name, "email": u.Email, "created_at": TestEpoch,
			"workspace_id": u.WorkspaceID, "workspace_name": u.WorkspaceName, "workspace_role": "owner", "plan_type": "business",
		})
		return nil
	})
}

func (s *Sandbox) meetingOf(d *userData, r *http.Request) (*meeting, *apiError) {
	_, m := findByID(d.meetings, param(r, "id"), func(m *meeting) string { return m.ID })
	if m == nil {
		return nil, notFound("meeting")
	}
	return m, nil
}

func (s *Sandbox) listMeetings(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withData(r, func(_ *User, d *userData) *apiError { return writePage(w, r, d.meetings) })
}

func (s *Sandbox) getMeeting(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inMeeting(r, func(_ *User, _ *userData, m *meeting) *apiError {
		writeJSON(w, http.StatusOK, m)
		return nil
	})
}

// meetingCreated is the meeting.created event for m.
func meetingCreated(m *meeting) webhookEvent {
	return webhookEvent{"meeting.created", map[string]any{"meeting_id": m.ID, "title": m.Title, "workspace_id": m.WorkspaceID,
		"created_at": m.CreatedAt, "created_by_user_id": m.CreatedByUserID}}
}

type meetingInput struct {
	Title     *string    `json:"title"`
	StartTime *time.Time `json:"start_time"`
	EndTime   *time.Time `json:"end_time"`
}

func (s *Sandbox) createMeeting(w http.ResponseWriter, r *http.Request) *apiError {
	var in meetingInput
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if in.Title == nil || strings.TrimSpace(*in.Title) == "" {
		return newErr(http.StatusBadRequest, CodeInvalidRequest, "title is required")
	}
	var m *meeting
	e := s.withData(r, func(u *User, d *userData) *apiError {
		now := s.Now()
		start, end := now, now.Add(time.Hour)
		assign(&start, in.StartTime)
		assign(&end, in.EndTime)
		if !end.After(start) {
			return newErr(http.StatusBadRequest, "invalid_time_range", "end_time must be after start_time")
		}
		m = s.newMeeting(u, *in.Title, start, end, now)
		d.meetings = append(d.meetings, m)
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusCreated, m, meetingCreated(m))
}

func (s *Sandbox) updateMeeting(w http.ResponseWriter, r *http.Request) *apiError {
	var in meetingInput
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	var out meeting
	e := s.inMeeting(r, func(_ *User, _ *userData, m *meeting) *apiError {
		assign(&m.Title, in.Title)
		assign(&m.StartTime, in.StartTime)
		assign(&m.EndTime, in.EndTime)
		m.UpdatedAt = s.Now()
		out = *m
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusOK, out, webhookEvent{"meeting.updated", map[string]any{"meeting_id": out.ID, "title": out.Title,
		"workspace_id": out.WorkspaceID, "updated_at": out.UpdatedAt, "scheduled_start": out.StartTime}})
}

func (s *Sandbox) listParticipants(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inMeeting(r, func(_ *User, _ *userData, m *meeting) *apiError { return writePage(w, r, m.participants) })
}

func (s *Sandbox) addParticipant(w http.ResponseWriter, r *http.Request) *apiError {
	var in struct{ Email, Name, Role string }
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if !strings.Contains(in.Email, "@") {
		return newErr(http.StatusBadRequest, CodeInvalidRequest, "email is required")
	}
	if in.Role == "" {
		in.Role = "VIEWER"
	}
	if in.Role != "EDITOR" && in.Role != "VIEWER" {
		return newErr(http.StatusBadRequest, CodeInvalidRequest, "role must be EDITOR or VIEWER")
	}
	var p participant
	var ws string
	e := s.inMeeting(r, func(_ *User, _ *userData, m *meeting) *apiError {
		for _, x := range m.participants {
			if strings.EqualFold(x.Email, in.Email) {
				return newErr(http.StatusConflict, "conflict", "the participant is already in the meeting")
			}
		}
		p, ws = *s.addParticipantTo(m, in.Email, in.Name, in.Role, nil, s.Now()), m.WorkspaceID
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusCreated, p, webhookEvent{"participant.added", map[string]any{"meeting_id": p.MeetingID,
		"workspace_id": ws, "added_at": p.CreatedAt,
		"participants": []any{map[string]any{"participant_id": p.ID, "role": p.Role, "guest_email": p.Email, "user_id": nil}}}})
}

func (s *Sandbox) removeParticipant(w http.ResponseWriter, r *http.Request) *apiError {
	var p *participant
	var ws string
	e := s.inMeeting(r, func(_ *User, _ *userData, m *meeting) *apiError {
		i, x := findByID(m.participants, param(r, "participant_id"), func(p *participant) string { return p.ID })
		if x == nil {
			return notFound("participant")
		}
		m.participants, p, ws = slices.Delete(m.participants, i, i+1), x, m.WorkspaceID
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusNoContent, nil, webhookEvent{"participant.removed", map[string]any{"meeting_id": p.MeetingID,
		"participant_id": p.ID, "workspace_id": ws, "removed_at": s.Now(), "user_id": p.UserID, "guest_email": p.Email}})
}

func (s *Sandbox) listAgendaItems(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inMeeting(r, func(_ *User, _ *userData, m *meeting) *apiError { return writePage(w, r, m.agenda) })
}

type agendaInput struct {
	Title       *string `json:"title"`
	Description *string `json:"description"`
	ItemType    *string `json:"item_type"`
	Status      *string `json:"status"`
}

func (s *Sandbox) createAgendaItem(w http.ResponseWriter, r *http.Request) *apiError {
	var in agendaInput
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if e := requireTitle(in.Title); e != nil {
		return e
	}
	if in.ItemType == nil {
		return newErr(http.StatusBadRequest, CodeValidation, "item_type is required")
	}
	if e := in.checkEnums(); e != nil {
		return e
	}
	var it agendaItem
	e := s.inMeeting(r, func(_ *User, _ *userData, m *meeting) *apiError {
		now := s.Now()
		x := &agendaItem{ID: s.ids.uuid(), MeetingID: m.ID, Title: *in.Title, ItemType: *in.ItemType, Status: "pending",
			Sequence: len(m.agenda) + 1, Minutes: 10, CreatedAt: now, UpdatedAt: now}
		assign(&x.ItemType, in.ItemType)
		assign(&x.Description, in.Description)
		m.agenda = append(m.agenda, x)
		it = *x
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusCreated, it, webhookEvent{"agenda_item.created", map[string]any{"agenda_item_id": it.ID,
		"created_at": it.CreatedAt, "item_type": it.ItemType, "title": it.Title, "meeting_id": it.MeetingID}})
}

// checkEnums refuses an item_type or status outside the spec's enums.
func (in *agendaInput) checkEnums() *apiError {
	if in.ItemType != nil {
		if e := oneOf("item_type", *in.ItemType, agendaItemTypes...); e != nil {
			return e
		}
	}
	if in.Status != nil {
		if e := oneOf("status", *in.Status, agendaStatuses...); e != nil {
			return e
		}
	}
	return nil
}

// agendaItemOf finds the agenda item the path's {item_id} names in m.
func agendaItemOf(m *meeting, r *http.Request) (int, *agendaItem, *apiError) {
	i, x := findByID(m.agenda, param(r, "item_id"), func(a *agendaItem) string { return a.ID })
	if x == nil {
		return -1, nil, notFound("agenda item")
	}
	return i, x, nil
}

func (s *Sandbox) updateAgendaItem(w http.ResponseWriter, r *http.Request) *apiError {
	var in agendaInput
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if e := in.checkEnums(); e != nil {
		return e
	}
	var it agendaItem
	e := s.inMeeting(r, func(_ *User, _ *userData, m *meeting) *apiError {
		_, x, e := agendaItemOf(m, r)
		if e != nil {
			return e
		}
		assign(&x.Title, in.Title)
		assign(&x.Description, in.Description)
		assign(&x.ItemType, in.ItemType)
		assign(&x.Status, in.Status)
		x.UpdatedAt = s.Now()
		it = *x
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusOK, it, webhookEvent{"agenda_item.updated", map[string]any{"agenda_item_id": it.ID,
		"updated_at": it.UpdatedAt, "item_type": it.ItemType, "status": it.Status, "title": it.Title, "meeting_id": it.MeetingID}})
}

func (s *Sandbox) deleteAgendaItem(w http.ResponseWriter, r *http.Request) *apiError {
	var it *agendaItem
	e := s.inMeeting(r, func(_ *User, _ *userData, m *meeting) *apiError {
		i, x, e := agendaItemOf(m, r)
		if e != nil {
			return e
		}
		m.agenda, it = slices.Delete(m.agenda, i, i+1), x
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusNoContent, nil, webhookEvent{"agenda_item.deleted", map[string]any{"agenda_item_id": it.ID,
		"deleted_at": s.Now(), "meeting_id": it.MeetingID}})
}

func (s *Sandbox) listActionItems(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withData(r, func(_ *User, d *userData) *apiError {
		items := d.actionItems
		if v := r.URL.Query().Get("is_completed"); v != "" {
			want := v == "true"
			items = slices.DeleteFunc(slices.Clone(items), func(a *actionItem) bool { return a.IsCompleted != want })
		}
		if v := r.URL.Query().Get("meeting_id"); v != "" {
			items = slices.DeleteFunc(slices.Clone(items), func(a *actionItem) bool { return a.MeetingID == nil || *a.MeetingID != v })
		}
		return writePage(w, r, items)
	})
}

// actionItemOf finds the action item the path's {id} names.
func actionItemOf(d *userData, r *http.Request) (int, *actionItem, *apiError) {
	i, a := findByID(d.actionItems, param(r, "id"), func(a *actionItem) string { return a.ID })
	if a == nil {
		return -1, nil, notFound("action item")
	}
	return i, a, nil
}

func (s *Sandbox) getActionItem(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withData(r, func(_ *User, d *userData) *apiError {
		_, a, e := actionItemOf(d, r)
		if e == nil {
			writeJSON(w, http.StatusOK, a)
		}
		return e
	})
}

type actionItemInput struct {
	Title       *string `json:"title"`
	Description *string `json:"description"`
	MeetingID   *string `json:"meeting_id"`
	DueDate     *string `json:"due_date"`
	IsCompleted *bool   `json:"is_completed"`
	Status      *string `json:"status"`
}

func (s *Sandbox) createActionItem(w http.ResponseWriter, r *http.Request) *apiError {
	var in actionItemInput
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if e := requireTitle(in.Title); e != nil {
		return e
	}
	if in.DueDate != nil {
		if _, err := time.Parse("2006-01-02", *in.DueDate); err != nil {
			return newErr(http.StatusBadRequest, "invalid_due_date", "due_date must be YYYY-MM-DD")
		}
	}
	var a actionItem
	var ws string
	e := s.withData(r, func(u *User, d *userData) *apiError {
		now := s.Now()
		x := &actionItem{ID: s.ids.uuid(), Title: *in.Title, MeetingID: in.MeetingID, DueDate: in.DueDate, Status: "accepted",
			AssignedToUserID: &u.ID, PartnerAssigned: true, CreatedAt: now, UpdatedAt: now}
		assign(&x.Description, in.Description)
		d.actionItems = append(d.actionItems, x)
		a, ws = *x, u.WorkspaceID
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusCreated, a, webhookEvent{"action_item.created", map[string]any{"action_item_id": a.ID,
		"created_at": a.CreatedAt, "meeting_id": a.MeetingID, "title": a.Title, "workspace_id": ws, "assignee_id": a.AssignedToUserID}})
}

func (s *Sandbox) updateActionItem(w http.ResponseWriter, r *http.Request) *apiError {
	var in actionItemInput
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	var a actionItem
	var ws string
	var completedNow bool
	e := s.withData(r, func(u *User, d *userData) *apiError {
		_, x, e := actionItemOf(d, r)
		if e != nil {
			return e
		}
		now := s.Now()
		assign(&x.Title, in.Title)
		assign(&x.Description, in.Description)
		assign(&x.Status, in.Status)
		if in.IsCompleted != nil {
			completedNow = *in.IsCompleted && !x.IsCompleted
			x.IsCompleted = *in.IsCompleted
			if completedNow {
				x.Status, x.CompletedAt = "completed", &now
			}
		}
		x.UpdatedAt = now
		a, ws = *x, u.WorkspaceID
		return nil
	})
	if e != nil {
		return e
	}
	events := []webhookEvent{{"action_item.updated", map[string]any{"action_item_id": a.ID, "is_completed": a.IsCompleted,
		"meeting_id": a.MeetingID, "status": a.Status, "updated_at": a.UpdatedAt, "workspace_id": ws, "assignee_id": a.AssignedToUserID}}}
	if completedNow {
		events = append(events, webhookEvent{"action_item.completed", map[string]any{"action_item_id": a.ID, "completed_at": a.CompletedAt,
			"meeting_id": a.MeetingID, "completed_by_user_id": stateOf(r).tok.userID, "title": a.Title, "workspace_id": ws,
			"assignee_id": a.AssignedToUserID}})
	}
	return s.commit(w, r, http.StatusOK, a, events...)
}

func (s *Sandbox) deleteActionItem(w http.ResponseWriter, r *http.Request) *apiError {
	e := s.withData(r, func(_ *User, d *userData) *apiError {
		i, _, e := actionItemOf(d, r)
		if e == nil {
			d.actionItems = slices.Delete(d.actionItems, i, i+1)
		}
		return e
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusNoContent, nil)
}

// parseWhen accepts an RFC 3339 timestamp or a plain date.
func parseWhen(v string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// dateRange reads the required start and end query dates (each also
// spelled with a _date suffix): both are checked for presence before
// either is parsed, with the calendar endpoint's error codes.
func dateRange(r *http.Request) (start, end time.Time, e *apiError) {
	q := r.URL.Query()
	names := [2]string{"start", "end"}
	var raw [2]string
	for i, n := range names {
		if raw[i] = q.Get(n); raw[i] == "" {
			raw[i] = q.Get(n + "_date")
		}
		if raw[i] == "" {
			return start, end, newErr(http.StatusBadRequest, "missing_"+n+"_date", n+" (or "+n+"_date) is required")
		}
	}
	var out [2]time.Time
	for i, n := range names {
		t, ok := parseWhen(raw[i])
		if !ok {
			return start, end, newErr(http.StatusBadRequest, "invalid_"+n+"_date", n+" must be RFC 3339 or YYYY-MM-DD")
		}
		out[i] = t
	}
	return out[0], out[1], nil
}

func (s *Sandbox) listCalendarEvents(w http.ResponseWriter, r *http.Request) *apiError {
	start, end, e := dateRange(r)
	if e != nil {
		return e
	}
	return s.withData(r, func(_ *User, d *userData) *apiError {
		var in []*calendarEvent
		for _, ev := range d.events {
			if ev.EndTime.After(start) && ev.StartTime.Before(end) {
				in = append(in, ev)
			}
		}
		return writePage(w, r, in)
	})
}

func (s *Sandbox) eventOf(d *userData, id string) (*calendarEvent, *apiError) {
	_, ev := findByID(d.events, id, func(e *calendarEvent) string { return e.ID })
	if ev == nil {
		return nil, notFound("calendar event")
	}
	return ev, nil
}

func (s *Sandbox) getCalendarEvent(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withData(r, func(_ *User, d *userData) *apiError {
		ev, e := s.eventOf(d, param(r, "calendar_event_id"))
		if e == nil {
			writeJSON(w, http.StatusOK, ev)
		}
		return e
	})
}

func (s *Sandbox) meetingFromCalendarEvent(w http.ResponseWriter, r *http.Request) *apiError {
	var m meeting
	e := s.withData(r, func(u *User, d *userData) *apiError {
		ev, e := s.eventOf(d, param(r, "calendar_event_id"))
		if e != nil {
			return e
		}
		if ev.MeetingID != nil {
			return newErr(http.StatusBadRequest, "calendar_event_already_linked", "the calendar event already has a meeting")
		}
		x := s.newMeeting(u, ev.Title, ev.StartTime, ev.EndTime, s.Now())
		x.CalendarEventID = &ev.ID
		ev.MeetingID, ev.LinkedMeetings = &x.ID, append(ev.LinkedMeetings, x.ID)
		d.meetings = append(d.meetings, x)
		m = *x
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusCreated, map[string]any{"created": true, "meeting": m,
		"message": "a meeting was created from the calendar event"}, meetingCreated(&m))
}

func (s *Sandbox) linkCalendarEvent(w http.ResponseWriter, r *http.Request) *apiError {
	var in struct {
		CalendarEventID string `json:"calendar_event_id"`
	}
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if in.CalendarEventID == "" {
		return newErr(http.StatusBadRequest, "invalid_request_body", "calendar_event_id is required")
	}
	var resp map[string]any
	e := s.inMeeting(r, func(_ *User, d *userData, m *meeting) *apiError {
		ev, e := s.eventOf(d, in.CalendarEventID)
		if e != nil {
			return e
		}
		switch {
		case ev.MeetingID != nil:
			return newErr(http.StatusBadRequest, "calendar_event_already_linked", "the calendar event is already linked to a meeting")
		case m.CalendarEventID != nil:
			return newErr(http.StatusBadRequest, "meeting_already_linked", "the meeting is already linked to a calendar event")
		}
		ev.MeetingID, m.CalendarEventID = &m.ID, &ev.ID
		ev.LinkedMeetings = append(ev.LinkedMeetings, m.ID)
		resp = map[string]any{"success": true, "message": "the meeting is linked to calendar event " + ev.ID}
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusOK, resp)
}

// unlinkCalendarEvent undoes linkCalendarEvent (the spec's operation; the
// SDK does not wrap it).
func (s *Sandbox) unlinkCalendarEvent(w http.ResponseWriter, r *http.Request) *apiError {
	e := s.inMeeting(r, func(_ *User, d *userData, m *meeting) *apiError {
		if m.CalendarEventID == nil {
			return newErr(http.StatusBadRequest, "meeting_not_linked", "the meeting is not linked to a calendar event")
		}
		if ev, _ := s.eventOf(d, *m.CalendarEventID); ev != nil {
			ev.MeetingID = nil
			ev.LinkedMeetings = slices.DeleteFunc(ev.LinkedMeetings, func(id string) bool { return id == m.ID })
		}
		m.CalendarEventID = nil
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusOK, map[string]any{"success": true, "message": "the meeting is no longer linked to a calendar event"})
}
