package checks

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestScopeWriteReadOnly(t *testing.T) {
	create := testCall("create", "POST", "/v1/partner/user/meetings", "bearer")
	read := testCall("list", "GET", "/v1/partner/user/meetings", "bearer")
	tests := []struct {
		name   string
		scopes []string
		want   []string
	}{
		{"read only", []string{"meetings:read"}, []string{"calls[0] (create) POST /v1/partner/user/meetings changes data and needs meetings:write|only meetings:read"}},
		{"both", []string{"meetings:read", "meetings:write"}, nil},
		{"neither is CD3004's", []string{"openid"}, nil},
	}
	for _, tt := range tests {
		ig := &integration.Integration{OAuth: integration.OAuth{Scopes: scopesOf(tt.scopes...)}, Calls: []integration.Call{create, read}}
		expectFindings(t, tt.name, runByID(t, "CD3005", ig), tt.want...)
	}
}
