package checks

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestScopeMissingForCall(t *testing.T) {
	cal := testCall("events", "GET", "/v1/partner/user/calendar/events", "bearer")
	mt := testCall("meeting", "GET", "/v1/partner/user/meetings/m_1", "bearer")
	create := testCall("create", "POST", "/v1/partner/user/action-items", "bearer")
	tests := []struct {
		name   string
		scopes []string
		calls  []integration.Call
		want   []string
	}{
		{"calendar not requested", []string{"openid", "meetings:read"}, []integration.Call{cal, mt}, []string{"calls[0] (events) GET /v1/partner/user/calendar/events needs calendar:read"}},
		{"misspelt request", []string{"meeting:read"}, []integration.Call{mt}, []string{`needs meetings:read|(it requests "meeting:read", a misspelling of it)`}},
		{"comma-joined still counts", []string{"calendar:read,meetings:read"}, []integration.Call{cal, mt}, nil},
		{"write with read only is CD3005's", []string{"action-items:read"}, []integration.Call{create}, nil},
		{"write with nothing", []string{"openid"}, []integration.Call{create}, []string{"needs action-items:write"}},
		{"no scopes is CD3001's", nil, []integration.Call{cal}, nil},
		{"case matters", []string{"Calendar:Read"}, []integration.Call{cal}, []string{"needs calendar:read"}},
	}
	for _, tt := range tests {
		ig := &integration.Integration{OAuth: integration.OAuth{Scopes: scopesOf(tt.scopes...)}, Calls: tt.calls}
		expectFindings(t, tt.name, runByID(t, "CD3004", ig), tt.want...)
	}
}
