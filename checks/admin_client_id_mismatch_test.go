package checks

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestAdminClientIDMismatch(t *testing.T) {
	tests := []struct {
		name         string
		admin, oauth string
		want         []string
	}{
		{"other app", "ctp_staging", "ctp_prod", []string{`admin.client_id "ctp_staging" differs from oauth.client_id "ctp_prod"|different values`}},
		{"case", "CTP_prod", "ctp_prod", []string{"letter case"}},
		{"space", "ctp_prod ", "ctp_prod", []string{"surrounding whitespace"}},
		{"same", "ctp_prod", "ctp_prod", nil},
		{"admin unset", "", "ctp_prod", nil},
	}
	for _, tt := range tests {
		ig := &integration.Integration{OAuth: integration.OAuth{ClientID: val(tt.oauth)}}
		if tt.admin != "" {
			ig.Admin.ClientID = val(tt.admin)
		}
		expectFindings(t, tt.name, runByID(t, "CD4203", ig), tt.want...)
	}
}
