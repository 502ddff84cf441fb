package checks

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestScopeUnknown(t *testing.T) {
	tests := []struct {
		scopes []string
		want   []string
	}{
		{[]string{"meeting:read"}, []string{`"meeting:read"|did you mean "meetings:read"`}},
		{[]string{"action_items:read"}, []string{`did you mean "action-items:read" (the separator differs)`}},
		{[]string{"actionitems:read"}, []string{`did you mean "action-items:read"`}},
		{[]string{"Meetings:Read"}, []string{`did you mean "meetings:read" (scopes are lower case)`}},
		{[]string{"meetings:read,calender:read"}, []string{`"calender:read"|did you mean "calendar:read"`}},
		{[]string{"offline_access_everything"}, []string{"not a Contio scope"}},
		{[]string{"openid", "profile", "email", "meetings:read", "action-items:write"}, nil},
		{[]string{"openid profile"}, nil},
	}
	for _, tt := range tests {
		ig := &integration.Integration{OAuth: integration.OAuth{Scopes: scopesOf(tt.scopes...), ScopesSet: true}}
		expectFindings(t, tt.scopes[0], runByID(t, "CD3002", ig), tt.want...)
	}
}
