package checks

import (
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestHTTPMethodNotAllowed(t *testing.T) {
	tests := []struct {
		name string
		call integration.Call
		want []string
	}{
		{"GET on the token endpoint", testCall("exchange", "GET", "/oauth2/token", "basic"), []string{"calls[0] (exchange) GET /oauth2/token|serves only POST, not GET"}},
		{"GET on initiate", testCall("otp", "GET", "/auth/initiate", "basic"), []string{"/auth/initiate serves only POST"}},
		{"GET on verify", testCall("otp", "GET", "/auth/verify", "basic"), []string{"/auth/verify serves only POST"}},
		{"GET on introspect", testCall("i", "GET", "/oauth2/introspect", "basic"), []string{"serves only POST"}},
		{"GET on revoke", testCall("r", "GET", "/oauth2/revoke", "basic"), []string{"serves only POST"}},
		{"POST on a toolkit", testCall("t", "POST", "/v1/partner/admin/toolkits/tk_1", "api_key", "X-Client-ID"),
			[]string{"/v1/partner/admin/toolkits/{toolkitId} serves only DELETE, GET, PATCH, PUT, not POST"}},
		{"PATCH on action items", testCall("a", "PATCH", "/v1/partner/user/action-items/ai_1", "bearer"), []string{"serves only DELETE, GET, PUT"}},
		{"right method", testCall("ok", "POST", "/oauth2/token", "basic"), nil},
		{"lower-case method", testCall("ok", "post", "/oauth2/token", "basic"), nil},
		{"unknown path is CD4002's", testCall("x", "GET", "/v1/partner/user/nope", "bearer"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ig := &integration.Integration{Calls: []integration.Call{tt.call}}
			got := runByID(t, "CD4001", ig)
			expectFindings(t, tt.name, got, tt.want...)
			if len(got) == 1 && strings.HasPrefix(tt.call.Path.Raw, "/oauth2/token") {
				if len(got[0].Commands) != 1 || !strings.Contains(got[0].Commands[0], "curl -X POST") {
					t.Errorf("fix command %q should POST", got[0].Commands)
				}
				if got[0].Location != tt.call.Method.From {
					t.Errorf("location %v, want the method's %v", got[0].Location, tt.call.Method.From)
				}
			}
		})
	}
}
