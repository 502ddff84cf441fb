package webhook

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Envelope is the JSON object every Contio delivery carries. Data is the
// per-event payload, kept raw so a receiver decodes it by EventType.
type Envelope struct {
	EventType    string          `json:"event_type"`
	EventID      string          `json:"event_id"`
	Timestamp    string          `json:"timestamp"`
	PartnerAppID string          `json:"partner_app_id"`
	Data         json.RawMessage `json:"data"`
	ActorUserID  string          `json:"actor_user_id,omitempty"`
	ForUser      *ForUser        `json:"for_user,omitempty"`
}

// ForUser names the user a delivery is for.
type ForUser struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

// ErrEnvelope is wrapped by the errors Check returns.
var ErrEnvelope = errors.New("not a Contio webhook envelope")

// Check applies the checks the official SDK makes once the signature
// passes: the body is a JSON object whose event_type, event_id, timestamp
// and partner_app_id are present and non-empty. Unknown event types pass,
// as they do in the SDK.
func Check(body []byte) (Envelope, error) {
	var env Envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return env, fmt.Errorf("%w: %v", ErrEnvelope, err)
	}
	for _, f := range []struct{ name, v string }{
		{"event_type", env.EventType}, {"event_id", env.EventID},
		{"timestamp", env.Timestamp}, {"partner_app_id", env.PartnerAppID},
	} {
		if f.v == "" {
			return env, fmt.Errorf("%w: %s is missing or empty", ErrEnvelope, f.name)
		}
	}
	return env, nil
}

// EventTypes lists the event_type values Contio documents (SDK 1.9.0).
var EventTypes = []string{
	"action_button.triggered",
	"action_item.completed", "action_item.created", "action_item.updated",
	"agenda_item.created", "agenda_item.deleted", "agenda_item.updated",
	"automation.assignment.created",
	"calendar_event.created", "calendar_event.deleted", "calendar_event.updated",
	"canvas_template.applied",
	"meeting.completed", "meeting.context.created", "meeting.context.deleted", "meeting.context.processed",
	"meeting.created", "meeting.updated", "meeting_template.applied",
	"next_step.completed",
	"participant.added", "participant.removed",
	"partner.idp.domain_revoked", "partner.idp.domain_verification_failed", "partner.idp.domain_verified",
	"session.expired", "session.turn.completed", "session.turn.failed",
	"user.connection.revoked",
	"workflow.run.completed", "workflow.run.failed", "workflow.run.started",
	"workflow.step.completed", "workflow.task.created", "workflow.task.resolved",
}

// TestMarker is the data field that marks a delivery as a test, so a
// receiver (and a person reading its logs) can tell it from real traffic.
const TestMarker = "contio_doctor_test"

// TestEvent returns a realistic meeting.created envelope whose data is
// marked with TestMarker. IDs are fresh random UUIDs unless given; at is
// the event time (callers pass their clock's now).
func TestEvent(eventID, partnerAppID string, at time.Time) Envelope {
	if eventID == "" {
		eventID = NewUUID()
	}
	if partnerAppID == "" {
		partnerAppID = NewUUID()
	}
	ts := at.UTC().Format(time.RFC3339)
	data, _ := json.Marshal(map[string]any{
		"created_at":         ts,
		"created_by_user_id": NewUUID(),
		"meeting_id":         NewUUID(),
		"title":              "contio-doctor test delivery (safe to ignore)",
		"workspace_id":       NewUUID(),
		TestMarker:           true,
	})
	return Envelope{
		EventType:    "meeting.created",
		EventID:      eventID,
		Timestamp:    ts,
		PartnerAppID: partnerAppID,
		Data:         data,
	}
}

// Marshal returns the envelope as compact JSON, as Contio sends it.
func (e Envelope) Marshal() []byte {
	b, err := json.Marshal(e)
	if err != nil {
		// Only an invalid Data can fail; keep the envelope and drop it.
		e.Data = json.RawMessage("{}")
		b, _ = json.Marshal(e)
	}
	return b
}

// NewUUID returns a random (version 4) UUID.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
