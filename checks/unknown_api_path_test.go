package checks

import (
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
		{"drift spelling is known", testCall("ok", "GET", "/v1/partner/admin/automation", "api_key", "X-Client-ID"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runByID(t, "CD4002", &integration.Integration{Calls: []integration.Call{tt.call}})
			expectFindings(t, tt.name, got, tt.want...)
			if tt.name == "nothing near" && got[0].Fix != "" {
				t.Errorf("no suggestion expected, got fix %q", got[0].Fix)
			}
		})
	}
}
