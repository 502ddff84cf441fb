package checks

import (
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// A code exchange refused invalid_client consumed nothing: the exchange
// after it is the first, not a reuse. And the exchange whose answer came
// first is the one that consumed the code.
func TestHarCodeExchangedTwiceByArrival(t *testing.T) {
	rejected := harExchange(2, time.Second, harCanaryCode, 401)
	rejected.ErrorCode = "invalid_client"
	slow := harExchange(2, time.Second, harCanaryCode, 400)
	slow.Duration = 2 * time.Second // answered at 09:00:03
	fast := harExchange(3, 1500*time.Millisecond, harCanaryCode, 200)
	fast.Duration = 100 * time.Millisecond // answered at 09:00:01.6
	runHarCases(t, "CD2402", []harCase{
		{"invalid_client, then the right credentials", []integration.FlowStep{harCode(1, 0, harCanaryCode), rejected, harExchange(3, 2*time.Second, harCanaryCode, 200)}, nil, nil},
		{"the later request answered first", []integration.FlowStep{harCode(1, 0, harCanaryCode), slow, fast}, nil,
			[]string{"the code first exchanged at entry 3 (09:00:01) (answer 200) was exchanged again at entry 2 (09:00:01) (answer 400)"}},
	})
}

// harConcurrentBurst is n calls all sent at once (as the SDK with
// retries: 0 fires them), each taking 200 ms, the last ones answered 429.
func harConcurrentBurst(n, limited int) []integration.Call {
	out := make([]integration.Call, n)
	for i := range out {
		status := 200
		if i >= n-limited {
			status = 429
		}
		c := harCall(i+1, time.Duration(i)*time.Millisecond, "GET", "/v1/partner/user/meetings", status, "Retry-After", "30")
		c.Duration = 200 * time.Millisecond
		out[i] = c
	}
	return out
}

// Requests sent before the 429 arrived are the burst, not retries.
func TestHarRetriesJudgedByArrival(t *testing.T) {
	burst := harConcurrentBurst(110, 10)
	runHarCases(t, "CD5402", []harCase{{"110 calls at once, retries: 0", nil, burst, nil}})
	runHarCases(t, "CD5403", []harCase{{"110 calls at once, retries: 0", nil, burst, nil}})
	// The same 429 followed by a request sent after it arrived is a retry.
	retried := append(harConcurrentBurst(110, 10), harCall(111, 500*time.Millisecond, "GET", "/v1/partner/user/meetings", 429))
	runHarCases(t, "CD5402", []harCase{{"a retry after the 429 arrived", nil, retried,
		[]string{"GET /v1/partner/user/meetings at entry 111 (09:00:00) came 191ms after the 429 at entry 110 (09:00:00) arrived"}}})
}

// A redirect that carries error= back to the app is an error response;
// a 401 on a GET that sent no credentials is no auth-scheme problem.
func TestHarErrorGuideOfRedirectsAndBareGets(t *testing.T) {
	redirect := harCall(1, 0, "GET", "/oauth2/authorize", 302)
	redirect.ErrorCode, redirect.Auth = "invalid_scope", val(integration.AuthNone)
	runHarCases(t, "CD2451", []harCase{{"error in the redirect", nil, []integration.Call{redirect},
		[]string{"GET /oauth2/authorize answered 302 invalid_scope (entry 1)"}}})
	denied := redirect
	denied.ErrorCode = "access_denied"
	runHarCases(t, "CD4499", []harCase{{"the user chose Deny", nil, []integration.Call{denied}, nil}})

	bare := harCall(1, 0, "GET", "/oauth2/authorize", 401)
	bare.Auth = val(integration.AuthNone)
	runHarCases(t, "CD4452", []harCase{{"401 on a bare GET of the sign-in page", nil, []integration.Call{bare}, nil}})
	runHarCases(t, "CD1450", []harCase{{"401 on a bare GET of the sign-in page", nil, []integration.Call{bare},
		[]string{"GET /oauth2/authorize answered 401 (entry 1)"}}})
	bearer := harCall(1, 0, "GET", "/v1/partner/user/meetings", 401)
	runHarCases(t, "CD4452", []harCase{{"401 on a Bearer call", nil, []integration.Call{bearer},
		[]string{"GET /v1/partner/user/meetings answered 401 (entry 1)"}}})
}
