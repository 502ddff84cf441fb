package checks

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestAPIKeyOnUserEndpoint(t *testing.T) {
	observed := testCall("seen", "GET", "/v1/partner/user/meetings", "", "X-API-Key", "X-Client-ID")
	observed.Auth = integration.Value{}
	authCases(t, "CD4102", []struct {
		name string
		call integration.Call
		want []string
	}{
		{"declared api key", testCall("m", "GET", "/v1/partner/user/meetings", "api_key", "X-Client-ID"), []string{"GET /v1/partner/user/meetings sends the admin API key"}},
		{"observed X-API-Key header", observed, []string{"sends the admin API key"}},
		{"unknown user path", testCall("m", "GET", "/v1/partner/user/whatever", "api_key"), []string{"API key"}},
		{"bearer", testCall("ok", "GET", "/v1/partner/user/meetings", "bearer"), nil},
		{"api key on admin", testCall("ok", "GET", "/v1/partner/admin/app", "api_key", "X-Client-ID"), nil},
	})
}
