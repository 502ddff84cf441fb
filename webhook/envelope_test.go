package webhook

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestTestEventIsAValidSignedDelivery(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	env := TestEvent("", "", at)
	body := env.Marshal()
	got, err := Check(body)
	if err != nil {
		t.Fatalf("Check(TestEvent) = %v", err)
	}
	if got.EventType != "meeting.created" || got.Timestamp != "2026-03-01T09:30:00Z" {
		t.Fatalf("envelope = %+v", got)
	}
	if !uuidRE.MatchString(got.EventID) || !uuidRE.MatchString(got.PartnerAppID) {
		t.Fatalf("IDs are not v4 UUIDs: %q %q", got.EventID, got.PartnerAppID)
	}
	if !strings.Contains(string(got.Data), `"`+TestMarker+`":true`) {
		t.Fatalf("data is not marked as a test: %s", got.Data)
	}
	if err := Verify("whsec_canary", body, Sign("whsec_canary", body)); err != nil {
		t.Fatalf("Verify(Sign(envelope)) = %v", err)
	}
}

func TestCheckRejectsIncompleteEnvelopes(t *testing.T) {
	cases := map[string]string{
		"not JSON":          `event_type=meeting.created`,
		"array":             `[]`,
		"no event_id":       `{"event_type":"meeting.created","timestamp":"t","partner_app_id":"p","data":{}}`,
		"empty event_type":  `{"event_type":"","event_id":"e","timestamp":"t","partner_app_id":"p","data":{}}`,
		"no partner_app_id": `{"event_type":"x","event_id":"e","timestamp":"t","data":{}}`,
	}
	for name, body := range cases {
		if _, err := Check([]byte(body)); !errors.Is(err, ErrEnvelope) {
			t.Errorf("%s: Check = %v, want ErrEnvelope", name, err)
		}
	}
	if _, err := Check([]byte(`{"event_type":"brand.new","event_id":"e","timestamp":"t","partner_app_id":"p"}`)); err != nil {
		t.Errorf("unknown event type and missing data should pass as in the SDK: %v", err)
	}
}

func TestEventTypesAreTheDocumented35(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range EventTypes {
		if seen[e] {
			t.Errorf("duplicate %s", e)
		}
		seen[e] = true
	}
	if len(EventTypes) != 35 {
		t.Fatalf("len(EventTypes) = %d, want 35", len(EventTypes))
	}
}
