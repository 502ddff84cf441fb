package checks

import (
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestAdminCallWithoutClientID(t *testing.T) {
	authCases(t, "CD4201", []struct {
		name string
		call integration.Call
		want []string
	}{
		{"no headers", testCall("app", "GET", "/v1/partner/admin/app", "api_key"), []string{"calls[0] (app) GET /v1/partner/admin/app does not send X-Client-ID"}},
		{"only the key", testCall("d", "GET", "/v1/partner/admin/webhook-deliveries", "api_key", "X-API-Key"), []string{"X-Client-ID"}},
		{"header present", testCall("ok", "GET", "/v1/partner/admin/app", "api_key", "X-Client-ID"), nil},
		{"header any case", testCall("ok", "GET", "/v1/partner/admin/app", "api_key", "x-client-id"), nil},
		{"underscore is CD4204's", testCall("ok", "GET", "/v1/partner/admin/app", "api_key", "X_Client_ID"), nil},
		{"user call", testCall("ok", "GET", "/v1/partner/user/profile", "bearer"), nil},
	})
	got := runByID(t, "CD4201", &integration.Integration{Calls: []integration.Call{testCall("app", "GET", "/v1/partner/admin/app", "api_key")}})
	if !strings.Contains(got[0].Commands[0], `-H "X-Client-ID: $CONTIO_CLIENT_ID"`) {
		t.Errorf("fix %q lacks the X-Client-ID header", got[0].Commands)
	}
}
