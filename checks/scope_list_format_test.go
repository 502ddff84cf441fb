package checks

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestScopeListFormat(t *testing.T) {
	tests := []struct {
		name   string
		scopes []integration.Value
		want   []string
		sev    Severity
	}{
		{"commas", scopesOf("openid,profile,meetings:read"), []string{`oauth.scopes[0] is "openid,profile,meetings:read"|one scope name`}, SeverityNone},
		{"tab", scopesOf("openid\tprofile"), []string{"tab or line break"}, SeverityNone},
		{"one string in the file", scopesOf("openid profile meetings:read"), []string{"holds 3 scopes in one string"}, SeverityInfo},
		{"space-separated env var", []integration.Value{envVal("CONTIO_SCOPES", "openid profile")}, nil, SeverityNone},
		{"a proper list", scopesOf("openid", "profile"), nil, SeverityNone},
	}
	for _, tt := range tests {
		got := runByID(t, "CD3003", &integration.Integration{OAuth: integration.OAuth{Scopes: tt.scopes, ScopesSet: true}})
		expectFindings(t, tt.name, got, tt.want...)
		if len(got) == 1 && got[0].Severity != tt.sev {
			t.Errorf("%s: severity %v, want %v", tt.name, got[0].Severity, tt.sev)
		}
	}
}
