package checks

import (
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestHarErrorResponses(t *testing.T) {
	withCode := func(c integration.Call, code, requestID string) integration.Call {
		c.ErrorCode, c.RequestID = code, requestID
		return c
	}
	token := func(n, status int, code, rid string) integration.Call {
		return withCode(harCall(n, time.Duration(n)*time.Second, "POST", "/oauth2/token", status), code, rid)
	}
	cases := []struct {
		id    string
		name  string
		calls []integration.Call
		want  []string
	}{
		{"CD2450", "invalid_grant grouped", []integration.Call{token(1, 400, "invalid_grant", "req_1"), token(2, 200, "", ""), token(3, 400, "invalid_grant", "req_3")},
			[]string{"POST /oauth2/token answered 400 invalid_grant 2 times (entries 1, 3)"}},
		{"CD1450", "invalid_client", []integration.Call{token(4, 401, "invalid_client", "req_4")},
			[]string{"POST /oauth2/token answered 401 invalid_client (entry 4)"}},
		// The code decides the guide entry before the status does.
		{"CD2450", "a 401 with invalid_grant", []integration.Call{token(1, 401, "invalid_grant", "")},
			[]string{"answered 401 invalid_grant (entry 1)"}},
		{"CD4452", "the same 401 is not unauthorized", []integration.Call{token(1, 401, "invalid_grant", "")}, nil},
		{"CD3450", "403 without a code", []integration.Call{harCall(5, 0, "GET", "/v1/partner/user/meetings/m1", 403), harCall(6, 0, "GET", "/v1/partner/user/meetings/m2", 403)},
			[]string{"GET /v1/partner/user/meetings/{id} answered 403 2 times (entries 5, 6)"}},
		{"CD6450", "no response", []integration.Call{harCall(7, 0, "GET", "/v1/partner/user/profile", 0)},
			[]string{"GET /v1/partner/user/profile answered no response (entry 7)"}},
		{"CD5450", "429", []integration.Call{harCall(8, 0, "GET", "/v1/partner/user/profile", 429)},
			[]string{"answered 429 (entry 8)"}},
		{"CD4499", "404", []integration.Call{harCall(9, 0, "GET", "/v1/partner/user/nothing", 404)},
			[]string{"GET /v1/partner/user/nothing answered 404 (entry 9)"}},
		{"CD4499", "redirects and successes", []integration.Call{harCall(1, 0, "GET", "/v1/partner/user/profile", 200), harCall(2, 0, "GET", "/oauth2/authorize", 302)}, nil},
		{"CD6450", "declared calls have no status", []integration.Call{testCall("profile", "GET", "/v1/partner/user/profile", "bearer")}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.id+" "+tc.name, func(t *testing.T) {
			fs := famExpect(t, tc.id, harIG(nil, tc.calls...), tc.want...)
			if tc.name == "invalid_grant grouped" && (fs[0].Location.HAREntry != 1 || fs[0].RequestID != "req_1" || fs[0].Evidence != "request_id: req_1, req_3") {
				t.Errorf("grouped finding = %+v, want it at entry 1 with both request_ids", fs[0])
			}
		})
	}
	// The server's text (the docs' error_description) reaches the evidence.
	c := token(1, 400, "invalid_grant", "req_abc123xyz")
	c.ErrorMessage = "Authorization code expired"
	fs := famExpect(t, "CD2450", harIG(nil, c), "answered 400 invalid_grant (entry 1)")
	if want := "said: \"Authorization code expired\"\nrequest_id: req_abc123xyz"; fs[0].Evidence != want {
		t.Errorf("evidence %q, want %q", fs[0].Evidence, want)
	}
}
