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
		}, []string{`user calls declare 130/min: over the troubleshooting guide's 100/min per credential: 30% over; ` +
			`within the API guide's 1000 per rolling 5 min per IP address: 650 if sustained, 65% of it; the largest is "meetings" at 100/min`}, SeverityError},
		{"user over both", []integration.Call{famCall("meetings", "GET", "/v1/partner/user/meetings", 250, 40)},
			[]string{`over the troubleshooting guide's 100/min per credential: 150% over; ` +
				`over the API guide's 1000 per rolling 5 min per IP address: 1250 if sustained, 25% over`}, SeverityError},
		{"admin near", []integration.Call{famCall("app", "GET", "/v1/partner/admin/app", 45, 40)},
			[]string{"admin calls declare 45/min: near the troubleshooting guide's 50/min per credential: 90% of it; " +
				"within the API guide's 500 per rolling 5 min per IP address: 225 if sustained, 45% of it; retries and bursts have little room left"}, SeverityInfo},
		{"admin within the API guide only", []integration.Call{famCall("app", "GET", "/v1/partner/admin/app", 80, 40)},
			[]string{"over the troubleshooting guide's 50/min per credential: 60% over; near the API guide's 500 per rolling 5 min per IP address: 400 if sustained, 80% of it"}, SeverityError},
		{"oauth over", []integration.Call{famCall("token", "POST", "/oauth2/token", 25, 40)},
			[]string{"oauth calls declare 25/min: over the troubleshooting guide's 20/min per credential: 25% over; " +
				"over the API guide's 100 per rolling 5 min per IP address: 125 if sustained, 25% over"}, SeverityError},
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
			// Each figure names the page it comes from.
			for _, page := range []string{"troubleshooting guide: ", "https://docs.contio.ai/partner-api/guides/troubleshooting/",
				"API guide: ", "https://docs.contio.ai/partner-api/guides/api-guide/"} {
				if !strings.Contains(fs[0].Evidence, page) {
					t.Errorf("evidence %q should cite %q", fs[0].Evidence, page)
				}
			}
			if tc.sev == SeverityError && tc.name != "user over both" && tc.name != "oauth over" &&
				!strings.Contains(fs[0].Fix, "plan for the lower") {
				t.Errorf("fix %q should say only the guide's figure is broken", fs[0].Fix)
			}
			if (tc.name == "user over both" || tc.name == "oauth over") && !strings.Contains(fs[0].Fix, "shared by every user and credential") {
				t.Errorf("fix %q should say the per-IP budget is shared", fs[0].Fix)
			}
		})
	}
}
