package checks

import (
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestAuthSchemeDoubled(t *testing.T) {
	const tok = "cto_at_v1_CANARYcanaryCANARYcanary"
	har := func(authz string) integration.Call {
		c := testCall("seen", "GET", "/v1/partner/user/meetings", "bearer")
		c.Authorization = integration.Value{Raw: authz, Set: true, From: integration.Source{File: "capture.har", HAREntry: 3}}
		return c
	}
	tests := []struct {
		name  string
		ig    integration.Integration
		want  []string
		where integration.Source
	}{
		{"Bearer Bearer in HAR", integration.Integration{Calls: []integration.Call{har("Bearer Bearer " + tok)}}, []string{`"Bearer Bearer"|scheme appears twice`}, integration.Source{File: "capture.har", HAREntry: 3}},
		{"mixed case", integration.Integration{Calls: []integration.Call{har("Bearer bearer " + tok)}}, []string{"scheme appears twice"}, integration.Source{}},
		{"Basic Basic", integration.Integration{Calls: []integration.Call{har("Basic Basic eDp5")}}, []string{"Basic Basic"}, integration.Source{}},
		{"stored token with scheme", integration.Integration{Tokens: integration.Tokens{AccessToken: envVal("CONTIO_ACCESS_TOKEN", "Bearer "+tok)}}, []string{`tokens.access_token starts with "Bearer "`}, integration.Source{EnvVar: "CONTIO_ACCESS_TOKEN"}},
		{"lower-case bearer is valid", integration.Integration{Calls: []integration.Call{har("bearer " + tok)}}, nil, integration.Source{}},
		{"plain Bearer", integration.Integration{Calls: []integration.Call{har("Bearer " + tok)}}, nil, integration.Source{}},
		{"bare token", integration.Integration{Tokens: integration.Tokens{AccessToken: envVal("T", tok)}}, nil, integration.Source{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runByID(t, "CD4106", &tt.ig)
			expectFindings(t, tt.name, got, tt.want...)
			for _, f := range got {
				if strings.Contains(f.Message+f.Evidence, "CANARY") {
					t.Errorf("token leaked: %q / %q", f.Message, f.Evidence)
				}
				if !tt.where.IsZero() && f.Location != tt.where {
					t.Errorf("location %v, want %v", f.Location, tt.where)
				}
			}
		})
	}
}
