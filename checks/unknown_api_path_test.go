package checks

import (
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestUnknownAPIPath(t *testing.T) {
	tests := []struct {
		name string
		call integration.Call
		want []string
	}{
		{"typo", testCall("ai", "GET", "/v1/partner/user/actionitems", "bearer"), []string{"no documented Contio endpoint|did you mean /v1/partner/user/action-items?"}},
		{"singular with id", testCall("m", "GET", "/v1/partner/user/meeting/123", "bearer"), []string{"did you mean /v1/partner/user/meetings/{id}"}},
		{"case", testCall("u", "GET", "/oauth2/userinfo", "bearer"), []string{"did you mean /oauth2/userInfo (paths are case-sensitive)?"}},
		{"missing prefix", testCall("p", "GET", "/v1/partner/profile", "bearer"), []string{"did you mean /v1/partner/user/profile"}},
		{"nothing near", testCall("z", "GET", "/totally/elsewhere/entirely/and/more", "bearer"), []string{"no documented Contio endpoint"}},
		{"known with ids", testCall("ok", "GET", "/v1/partner/user/meetings/m1/participants", "bearer"), nil},
		{"guide-only stats", testCall("s", "GET", "/v1/partner/admin/stats", "api_key", "X-Client-ID"),
			[]string{"/v1/partner/admin/stats is named by the troubleshooting guide (its example of a correct admin call with X-API-Key and X-Client-ID) but is in neither SDK 1.9.0 nor the OpenAPI spec"}},
		{"guide-only workflows", testCall("w", "GET", "/v1/partner/admin/workflows", "api_key", "X-Client-ID"),
			[]string{"/v1/partner/admin/workflows is named by the troubleshooting guide"}},
		{"drift spelling is known", testCall("ok", "GET", "/v1/partner/admin/automation", "api_key", "X-Client-ID"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runByID(t, "CD4002", &integration.Integration{Calls: []integration.Call{tt.call}})
			expectFindings(t, tt.name, got, tt.want...)
			if tt.name == "nothing near" && got[0].Fix != "" {
				t.Errorf("no suggestion expected, got fix %q", got[0].Fix)
			}
			if strings.HasPrefix(tt.name, "guide-only") {
				if got[0].Severity != SeverityInfo || strings.Contains(got[0].Message, "did you mean") ||
					strings.Contains(got[0].Message, "no documented Contio endpoint") || strings.Contains(got[0].Fix, "/workspaces") {
					t.Errorf("guide-only path: severity %v, message %q, fix %q; want an info note with no guess", got[0].Severity, got[0].Message, got[0].Fix)
				}
			}
		})
	}
}
