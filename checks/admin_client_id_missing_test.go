package checks

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestAdminClientIDMissing(t *testing.T) {
	key := envVal("CONTIO_API_KEY", "cak_x")
	tests := []struct {
		name  string
		admin integration.Admin
		want  []string
	}{
		{"not set", integration.Admin{APIKey: key}, []string{"admin.api_key is set but admin.client_id is not"}},
		{"empty variable", integration.Admin{APIKey: key, ClientID: envVal("CONTIO_CLIENT_ID", "")}, []string{"admin.client_id is empty|$CONTIO_CLIENT_ID expands to nothing"}},
		{"both set", integration.Admin{APIKey: key, ClientID: val("ctp_1")}, nil},
		{"no key", integration.Admin{}, nil},
	}
	for _, tt := range tests {
		got := runByID(t, "CD4202", &integration.Integration{Admin: tt.admin})
		expectFindings(t, tt.name, got, tt.want...)
	}
}
