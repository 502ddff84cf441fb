package checks

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestPathSpellingDrift(t *testing.T) {
	tests := []struct {
		name string
		call integration.Call
		want []string
	}{
		{"spec singular", testCall("a", "GET", "/v1/partner/admin/automation/au_1", "api_key"), []string{"OpenAPI spec's spelling GET /v1/partner/admin/automation/{automationId}|SDK has GET /v1/partner/admin/automations/{automationId}"}},
		{"sdk plural", testCall("a", "GET", "/v1/partner/admin/automations", "api_key"), []string{"SDK's spelling|spec has GET /v1/partner/admin/automation"}},
		{"webhook status", testCall("w", "PUT", "/v1/partner/admin/webhook-status", "api_key"), []string{"SDK has PUT /v1/partner/admin/app/webhook-status"}},
		{"toolkit PATCH", testCall("t", "PATCH", "/v1/partner/admin/toolkits/tk", "api_key"), []string{"SDK has PUT /v1/partner/admin/toolkits/{toolkitId}"}},
		{"user uninstall", testCall("u", "DELETE", "/v1/partner/user/toolkits/tk/uninstall", "bearer"), []string{"spec has DELETE /v1/partner/user/workspaces/{workspace_id}/toolkits/{toolkit_id}"}},
		{"discovery hyphen", testCall("d", "GET", "/.well-known/openid-configuration", "none"), []string{"OpenID Connect standard's spelling"}},
		{"no drift", testCall("m", "GET", "/v1/partner/user/meetings", "bearer"), nil},
		{"unknown", testCall("m", "GET", "/nope", "bearer"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runByID(t, "CD4003", &integration.Integration{Calls: []integration.Call{tt.call}})
			expectFindings(t, tt.name, got, tt.want...)
		})
	}
	if c, _ := Lookup("CD4003"); c.Severity != SeverityInfo {
		t.Errorf("drift must be info, is %v", c.Severity)
	}
}
