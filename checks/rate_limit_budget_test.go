package checks

import (
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func famCall(name, method, path string, perMinute, line int) integration.Call {
	return integration.Call{
		Name: famVal(name, line), Method: famVal(method, line+1), Path: famVal(path, line+2),
		PerMinute: perMinute, PerMinuteFrom: integration.Source{File: "contio-doctor.yaml", Line: line + 3},
		At: integration.Source{File: "contio-doctor.yaml", Line: line},
	}
}

func TestRateLimitBudget(t *testing.T) {
	cases := []struct {
		name  string
		calls []integration.Call
		want  []string
		sev   Severity
	}{
		{"well under", []integration.Call{famCall("meetings", "GET", "/v1/partner/user/meetings", 30, 40)}, nil, 0},
		{"user over", []integration.Call{
			famCall("meetings", "GET", "/v1/partner/user/meetings", 100, 40),
			famCall("items", "GET", "/v1/partner/user/action-items", 30, 50),
		}, []string{`user calls declare 130/min against a limit of 100/min (30% over); the largest is "meetings" at 100/min`}, SeverityError},
		{"admin near", []integration.Call{famCall("app", "GET", "/v1/partner/admin/app", 45, 40)},
			[]string{"admin calls declare 45/min against a limit of 50/min (90% of it)"}, SeverityInfo},
		{"oauth over", []integration.Call{famCall("token", "POST", "/oauth2/token", 25, 40)},
			[]string{"oauth calls declare 25/min against a limit of 20/min (25% over)"}, SeverityError},
		{"classes summed apart", []integration.Call{
			famCall("meetings", "GET", "/v1/partner/user/meetings", 60, 40),
			famCall("app", "GET", "/v1/partner/admin/app", 30, 50),
		}, nil, 0},
		{"unknown user path still counts", []integration.Call{famCall("x", "GET", "/v1/partner/user/not-in-catalogue", 120, 40)},
			[]string{"user calls declare 120/min"}, SeverityError},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ig := famIG()
			ig.Calls = tc.calls
			fs := famExpect(t, "CD5001", ig, tc.want...)
			if len(fs) == 0 {
				return
			}
			if got := fs[0].Severity; got != tc.sev && !(got == 0 && tc.sev == SeverityError) {
				t.Errorf("severity %v, want %v", got, tc.sev)
			}
			if fs[0].Location.Line != tc.calls[0].PerMinuteFrom.Line {
				t.Errorf("location %v, want the largest call's per_minute", fs[0].Location)
			}
			if !strings.Contains(fs[0].Evidence, "/min") {
				t.Errorf("evidence %q should list the contributions", fs[0].Evidence)
			}
		})
	}
}
