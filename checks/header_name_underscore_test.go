package checks

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestHeaderNameUnderscore(t *testing.T) {
	authCases(t, "CD4204", []struct {
		name string
		call integration.Call
		want []string
	}{
		{"client id", testCall("app", "GET", "/v1/partner/admin/app", "api_key", "X_Client_ID"), []string{`sends the header "X_Client_ID"|use "X-Client-ID"`}},
		{"api key", testCall("app", "GET", "/v1/partner/admin/app", "api_key", "x_api_key", "X-Client-ID"), []string{`use "X-API-Key"`}},
		{"hyphens", testCall("ok", "GET", "/v1/partner/admin/app", "api_key", "X-Client-ID"), nil},
	})
}
