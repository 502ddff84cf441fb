package checks

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// harCall is an observed call at entry n, started d after harT0, that
// took 100 ms and answered status.
func harCall(n int, d time.Duration, method, path string, status int, respHeaders ...string) integration.Call {
	c := testCall("", method, path, "bearer")
	c.Observed, c.Status, c.At = true, status, harSrc(n, d)
	c.Host = val("api.contio.ai")
	c.Started, c.Duration = harT0.Add(d), 100*time.Millisecond
	for i := 0; i+1 < len(respHeaders); i += 2 {
		if c.ResponseHeaders == nil {
			c.ResponseHeaders = map[string][]string{}
		}
		c.ResponseHeaders[respHeaders[i]] = append(c.ResponseHeaders[respHeaders[i]], respHeaders[i+1])
	}
	return c
}

// harBurst is n user calls spread evenly over span, from entry 1.
func harBurst(n int, span time.Duration) []integration.Call {
	out := make([]integration.Call, n)
	for i := range out {
		out[i] = harCall(i+1, span*time.Duration(i)/time.Duration(n-1), "GET", fmt.Sprintf("/v1/partner/user/meetings/m%d", i), 200)
	}
	return out
}

func TestHarRateOverLimit(t *testing.T) {
	runHarCases(t, "CD5401", []harCase{
		{"101 user calls within a minute", nil, harBurst(101, 59*time.Second),
			[]string{"101 user-class requests within 59s (entries 1 to 101, from 09:00:00) against the troubleshooting guide's limit of 100 per minute"}},
		{"100 user calls within a minute", nil, harBurst(100, 59*time.Second), nil},
		// The 101st starts a full minute after the first: the window slid.
		{"101 user calls over exactly a minute", nil, harBurst(101, time.Minute), nil},
		// 1,001 calls over 4m50s break both pages' figures; each finding names its own.
		{"1001 user calls within 5 minutes", nil, harBurst(1001, 290*time.Second),
			[]string{"207 user-class requests within 1m0s (entries 1 to 207, from 09:00:00) against the troubleshooting guide's limit of 100 per minute", "1001 user-class requests within 4m50s (entries 1 to 1001, from 09:00:00) against the API guide's limit of 1000 per rolling 5 minutes per IP address"}},
	})
}

func TestHarRetryBeforeReset(t *testing.T) {
	const path = "/v1/partner/user/meetings"
	limited := harCall(1, 0, "GET", path, 429, "Retry-After", "3")
	// The 429's response ends at 0.1 s: Retry-After counts from there.
	runHarCases(t, "CD5402", []harCase{
		{"retried 1 ms early", nil, []integration.Call{limited, harCall(2, 3099*time.Millisecond, "GET", path, 429)},
			[]string{"GET /v1/partner/user/meetings at entry 2 (09:00:03) came 2.999s after the 429 at entry 1 (09:00:00) arrived, which asked to wait until 09:00:03 (1ms early; answer 429)"}},
		{"Retry-After honoured", nil, []integration.Call{limited, harCall(2, 3100*time.Millisecond, "GET", path, 200)}, nil},
		{"X-RateLimit-Reset not honoured", nil, []integration.Call{
			harCall(1, 0, "GET", path, 429, "X-Ratelimit-Reset", fmt.Sprint(harT0.Add(10*time.Second).Unix())),
			harCall(2, 5*time.Second, "GET", path, 429)},
			[]string{"which asked to wait until 09:00:10 (5s early; answer 429)"}},
		{"Retry-After as a date honoured", nil, []integration.Call{
			harCall(1, 0, "GET", path, 429, "Retry-After", harT0.Add(10*time.Second).Format(http.TimeFormat)),
			harCall(2, 10*time.Second, "GET", path, 200)}, nil},
		{"another class meanwhile", nil, []integration.Call{limited, harCall(2, time.Second, "GET", "/v1/partner/admin/users", 200)}, nil},
		{"429 without a wait", nil, []integration.Call{harCall(1, 0, "GET", path, 429), harCall(2, 200*time.Millisecond, "GET", path, 200)}, nil},
	})
}

func TestHarRetryStorm(t *testing.T) {
	const path = "/v1/partner/user/meetings"
	storm := func(gap time.Duration, statuses ...int) []integration.Call {
		var out []integration.Call
		for i, s := range statuses {
			// Each call starts gap after the previous one ended.
			out = append(out, harCall(i+1, time.Duration(i)*(100*time.Millisecond+gap), "GET", path, s))
		}
		return out
	}
	runHarCases(t, "CD5403", []harCase{
		{"three immediate retries", nil, storm(time.Second, 503, 503, 429, 200),
			[]string{"GET /v1/partner/user/meetings was sent 4 times in 3.3s (entries 1, 2, 3, 4), each retry within 1s of a failure"}},
		{"two retries", nil, storm(time.Second, 503, 503, 200), nil},
		{"backed off", nil, storm(time.Second+time.Millisecond, 503, 503, 503, 200), nil},
		{"repeated successes", nil, storm(0, 200, 200, 200, 200, 200), nil},
	})
}
