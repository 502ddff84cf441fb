package checks

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestBearerOnAdminEndpoint(t *testing.T) {
	authCases(t, "CD4103", []struct {
		name string
		call integration.Call
		want []string
	}{
		{"bearer on app", testCall("app", "GET", "/v1/partner/admin/app", "bearer", "X-Client-ID"), []string{"calls[0] (app) GET /v1/partner/admin/app sends a Bearer token"}},
		{"bearer on unknown admin path", testCall("s", "GET", "/v1/partner/admin/stats", "bearer"), []string{"X-API-Key"}},
		{"api key", testCall("ok", "GET", "/v1/partner/admin/app", "api_key", "X-Client-ID"), nil},
		{"bearer on user", testCall("ok", "GET", "/v1/partner/user/profile", "bearer"), nil},
	})
}
