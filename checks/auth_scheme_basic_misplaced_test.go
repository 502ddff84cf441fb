package checks

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestBasicAuthOutsideOAuth(t *testing.T) {
	authCases(t, "CD4104", []struct {
		name string
		call integration.Call
		want []string
	}{
		{"basic on user", testCall("p", "GET", "/v1/partner/user/profile", "basic"), []string{"sends HTTP Basic|Bearer"}},
		{"basic on admin", testCall("a", "GET", "/v1/partner/admin/app", "basic"), []string{"X-API-Key and X-Client-ID"}},
		{"basic on userInfo", testCall("u", "GET", "/oauth2/userInfo", "basic"), []string{"Bearer"}},
		{"basic on discovery", testCall("d", "GET", "/.well-known/jwks.json", "basic"), []string{"public endpoint"}},
		{"basic on token", testCall("ok", "POST", "/oauth2/token", "basic"), nil},
		{"basic on scopes", testCall("ok", "GET", "/oauth2/scopes", "basic"), nil},
		{"basic on check-consent", testCall("ok", "POST", "/oauth2/check-consent", "basic"), nil},
	})
}
