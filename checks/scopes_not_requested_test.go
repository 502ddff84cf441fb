package checks

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestScopesNotRequested(t *testing.T) {
	meetings := testCall("m", "GET", "/v1/partner/user/meetings", "bearer")
	items := testCall("a", "GET", "/v1/partner/user/action-items", "bearer")
	admin := testCall("app", "GET", "/v1/partner/admin/app", "api_key", "X-Client-ID")
	tests := []struct {
		name string
		ig   integration.Integration
		want []string
		sev  Severity
	}{
		{"unset, calls within the default", integration.Integration{Calls: []integration.Call{meetings}},
			[]string{"oauth.scopes is not set|openid profile meetings:read meetings:write"}, SeverityNone},
		{"empty list, calls beyond the default", integration.Integration{OAuth: integration.OAuth{ScopesSet: true, ScopesFrom: val("").From}, Calls: []integration.Call{items}},
			[]string{"oauth.scopes is empty|lacks action-items:read"}, SeverityError},
		{"redirect uri only", integration.Integration{OAuth: integration.OAuth{RedirectURI: val("https://app.example.com/cb")}}, []string{"not set"}, SeverityNone},
		{"admin-only integration", integration.Integration{Calls: []integration.Call{admin}}, nil, SeverityNone},
		{"scopes given", integration.Integration{OAuth: integration.OAuth{Scopes: scopesOf("openid")}, Calls: []integration.Call{items}}, nil, SeverityNone},
	}
	for _, tt := range tests {
		tt.ig.OAuth.ClientID = val("ctp_1")
		got := runByID(t, "CD3001", &tt.ig)
		expectFindings(t, tt.name, got, tt.want...)
		if len(got) == 1 && got[0].Severity != tt.sev {
			t.Errorf("%s: severity %v, want %v", tt.name, got[0].Severity, tt.sev)
		}
	}
}
