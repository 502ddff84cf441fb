package checks

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/har"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// Table tests of the capture-only flow checks, on Captures built directly.

// harT0 is when the test captures start.
var harT0 = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)

// harSrc points at capture entry n, started after d.
func harSrc(n int, d time.Duration) integration.Source {
	return integration.Source{File: "t.har", HAREntry: n, HARTime: harT0.Add(d)}
}

// harStep is a flow step of kind at entry n, time d.
func harStep(kind integration.FlowKind, n int, d time.Duration, status int) integration.FlowStep {
	return integration.FlowStep{Kind: kind, At: harSrc(n, d), Status: status}
}

// harIG is an integration read from a capture with these steps and calls.
func harIG(steps []integration.FlowStep, calls ...integration.Call) *integration.Integration {
	ig := famIG()
	ig.Capture = &integration.Capture{File: "t.har", Entries: len(steps) + len(calls), Steps: steps}
	ig.Calls = calls
	return ig
}

// harCase is one table row: the check's findings on steps must contain
// want, one fragment per finding.
type harCase struct {
	name  string
	steps []integration.FlowStep
	calls []integration.Call
	want  []string
}

func runHarCases(t *testing.T, id string, cases []harCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := famExpect(t, id, harIG(tc.steps, tc.calls...), tc.want...)
			for _, f := range fs {
				if f.Location.HAREntry == 0 {
					t.Errorf("finding %q does not point at an entry", f.Message)
				}
			}
		})
	}
}

const harCanaryCode = "CANARYcode0123456789"

func harCode(n int, d time.Duration, code string) integration.FlowStep {
	s := harStep(integration.FlowCode, n, d, 302)
	s.Code = code
	return s
}

func harExchange(n int, d time.Duration, code string, status int) integration.FlowStep {
	s := harStep(integration.FlowToken, n, d, status)
	s.GrantType, s.Code, s.RedirectURI = "authorization_code", code, famCallback
	return s
}

func TestHarCodeExchangedLate(t *testing.T) {
	m := time.Minute
	runHarCases(t, "CD2401", []harCase{
		{"exchanged after 5:01", []integration.FlowStep{harCode(1, 0, harCanaryCode), harExchange(2, 5*m+time.Second, harCanaryCode, 400)}, nil,
			[]string{"the code issued at entry 1 (09:00:00) was exchanged at entry 2 (09:05:01), 5m1s later; codes expire after 5m0s"}},
		{"exchanged at exactly 5:00", []integration.FlowStep{harCode(1, 0, harCanaryCode), harExchange(2, 5*m, harCanaryCode, 200)}, nil, nil},
		{"exchanged at once", []integration.FlowStep{harCode(1, 0, harCanaryCode), harExchange(2, time.Second, harCanaryCode, 200)}, nil, nil},
		{"another code", []integration.FlowStep{harCode(1, 0, harCanaryCode), harExchange(2, 10*m, "other-code-0123", 400)}, nil, nil},
		{"no times", []integration.FlowStep{
			{Kind: integration.FlowCode, At: integration.Source{HAREntry: 1}, Code: harCanaryCode},
			{Kind: integration.FlowToken, At: integration.Source{HAREntry: 2}, Code: harCanaryCode}}, nil, nil},
	})
}

func TestHarCodeExchangedTwice(t *testing.T) {
	refresh := harStep(integration.FlowToken, 4, 2*time.Second, 200)
	refresh.GrantType, refresh.RefreshToken = "refresh_token", "rt-0123456789"
	runHarCases(t, "CD2402", []harCase{
		{"twice", []integration.FlowStep{harCode(1, 0, harCanaryCode), harExchange(2, time.Second, harCanaryCode, 200), harExchange(3, 1500*time.Millisecond, harCanaryCode, 400)}, nil,
			[]string{"the code first exchanged at entry 2 (09:00:01) (answer 200) was exchanged again at entry 3 (09:00:01) (answer 400), 500ms later"}},
		{"once, then a refresh", []integration.FlowStep{harCode(1, 0, harCanaryCode), harExchange(2, time.Second, harCanaryCode, 200), refresh}, nil, nil},
		{"two codes", []integration.FlowStep{harExchange(2, time.Second, harCanaryCode, 200), harExchange(3, 2*time.Second, "other-code-0123", 200)}, nil, nil},
	})
}

func TestHarTokenRedirectMismatch(t *testing.T) {
	authz := func(uri string) integration.FlowStep {
		s := harStep(integration.FlowAuthorize, 1, 0, 302)
		s.RedirectURI = uri
		return s
	}
	exchange := func(uri string) integration.FlowStep {
		s := harExchange(3, 2*time.Second, harCanaryCode, 400)
		s.RedirectURI = uri
		return s
	}
	runHarCases(t, "CD2403", []harCase{
		{"trailing slash", []integration.FlowStep{authz(famCallback), harCode(2, time.Second, harCanaryCode), exchange(famCallback + "/")}, nil,
			[]string{`the token request at entry 3 (09:00:02) sends redirect_uri "` + famCallback + `/", but the authorization request at entry 1 (09:00:00) used "` + famCallback + `" (a trailing slash differs)`}},
		{"left out", []integration.FlowStep{authz(famCallback), harCode(2, time.Second, harCanaryCode), exchange("")}, nil,
			[]string{"the token request at entry 3 (09:00:02) sends no redirect_uri"}},
		{"same", []integration.FlowStep{authz(famCallback), harCode(2, time.Second, harCanaryCode), exchange(famCallback)}, nil, nil},
		{"code never issued in the capture", []integration.FlowStep{authz(famCallback), exchange(famCallback + "/")}, nil, nil},
	})
}

func harInitiate(n int, d time.Duration, session, email string) integration.FlowStep {
	s := harStep(integration.FlowInitiate, n, d, 200)
	s.Session, s.Email = session, email
	return s
}

func harVerify(n int, d time.Duration, session, email string, status int) integration.FlowStep {
	s := harStep(integration.FlowVerify, n, d, status)
	s.Session, s.Email = session, email
	return s
}

func TestHarOTPLate(t *testing.T) {
	m := time.Minute
	runHarCases(t, "CD2404", []harCase{
		{"verified after 3:01", []integration.FlowStep{harInitiate(1, 0, "sess-1", ""), harVerify(2, 3*m+time.Second, "sess-1", "", 400)}, nil,
			[]string{"/auth/verify at entry 2 (09:03:01) came 3m1s after /auth/initiate at entry 1 (09:00:00); one-time codes last 3m0s (answer 400)"}},
		{"verified at exactly 3:00", []integration.FlowStep{harInitiate(1, 0, "sess-1", ""), harVerify(2, 3*m, "sess-1", "", 200)}, nil, nil},
		{"a new code was asked for", []integration.FlowStep{harInitiate(1, 0, "sess-1", ""), harInitiate(2, 4*m, "sess-2", ""), harVerify(3, 5*m, "sess-2", "", 200)}, nil, nil},
		{"matched by e-mail", []integration.FlowStep{harInitiate(1, 0, "", "ada@example.com"), harVerify(2, 4*m, "", "Ada@example.com", 400)}, nil,
			[]string{"came 4m0s after /auth/initiate at entry 1"}},
		{"initiate failed", []integration.FlowStep{{Kind: integration.FlowInitiate, At: harSrc(1, 0), Status: 429}, harVerify(2, 4*m, "", "", 400)}, nil, nil},
	})
}

func TestHarConsentLate(t *testing.T) {
	m := time.Minute
	consent := func(n int, d time.Duration, email string, status int) integration.FlowStep {
		s := harStep(integration.FlowConsent, n, d, status)
		s.Email = email
		return s
	}
	runHarCases(t, "CD2405", []harCase{
		{"consent after 30:01", []integration.FlowStep{harVerify(1, 0, "", "ada@example.com", 200), consent(2, 30*m+time.Second, "ada@example.com", 401)}, nil,
			[]string{"the consent step at entry 2 (09:30:01) came 30m1s after OTP verification at entry 1 (09:00:00); the sign-in session lasts 30m0s (answer 401)"}},
		{"consent at exactly 30:00", []integration.FlowStep{harVerify(1, 0, "", "ada@example.com", 200), consent(2, 30*m, "ada@example.com", 200)}, nil, nil},
		{"signed in again", []integration.FlowStep{harVerify(1, 0, "", "", 200), harVerify(2, 40*m, "", "", 200), consent(3, 41*m, "", 200)}, nil, nil},
		{"another user", []integration.FlowStep{harVerify(1, 0, "", "ada@example.com", 200), consent(2, 31*m, "bob@example.com", 200)}, nil, nil},
		{"verification failed", []integration.FlowStep{harVerify(1, 0, "", "", 400), consent(2, 31*m, "", 200)}, nil, nil},
	})
}

func TestHarRefreshReused(t *testing.T) {
	refresh := func(n int, presented, issued string, status int) integration.FlowStep {
		s := harStep(integration.FlowToken, n, time.Duration(n)*time.Second, status)
		s.GrantType, s.RefreshToken, s.IssuedRefresh = "refresh_token", presented, issued
		return s
	}
	const rt1, rt2, rt3 = "CANARYrefresh-one-0123", "CANARYrefresh-two-0123", "CANARYrefresh-three-0123"
	runHarCases(t, "CD3401", []harCase{
		{"old token again", []integration.FlowStep{refresh(1, rt1, rt2, 200), refresh(2, rt1, "", 400)}, nil,
			[]string{"the refresh at entry 2 (09:00:02) presents the refresh token that the refresh at entry 1 (09:00:01) already exchanged for a new one (answer 400)"}},
		{"rotated each time", []integration.FlowStep{refresh(1, rt1, rt2, 200), refresh(2, rt2, rt3, 200)}, nil, nil},
		{"failed refresh retried", []integration.FlowStep{refresh(1, rt1, "", 503), refresh(2, rt1, rt2, 200)}, nil, nil},
		{"no rotation", []integration.FlowStep{refresh(1, rt1, rt1, 200), refresh(2, rt1, rt1, 200)}, nil, nil},
	})
}

func TestHarTokenLacksScope(t *testing.T) {
	const tok = "cto_at_v1_CANARYtoken0123456789"
	grant := func(scope string) integration.FlowStep {
		s := harExchange(1, 0, harCanaryCode, 200)
		s.IssuedAccess, s.GrantedScope = tok, scope
		return s
	}
	call := func(n int, method, path, token string, status int) integration.Call {
		c := testCall("", method, path, "bearer")
		c.Authorization = val("Bearer " + token)
		c.Observed, c.Status, c.At = true, status, harSrc(n, time.Duration(n)*time.Second)
		return c
	}
	runHarCases(t, "CD3402", []harCase{
		{"call outside the granted scopes", []integration.FlowStep{grant("openid profile")},
			[]integration.Call{call(2, "GET", "/v1/partner/user/meetings", tok, 403), call(3, "GET", "/v1/partner/user/meetings", tok, 403)},
			[]string{`GET /v1/partner/user/meetings at entry 2 (09:00:02) needs meetings:read; the token (granted at entry 1 (09:00:00)) carries only "openid profile" (answer 403)`}},
		{"scope granted", []integration.FlowStep{grant("openid profile meetings:read")},
			[]integration.Call{call(2, "GET", "/v1/partner/user/meetings", tok, 200)}, nil},
		{"another token", []integration.FlowStep{grant("openid")},
			[]integration.Call{call(2, "GET", "/v1/partner/user/meetings", "cto_at_v1_other0123456789", 200)}, nil},
	})
	// Without a token response or introspection there is nothing to compare.
	if _, err := famRun(t, "CD3402", harIG(nil)); err == nil {
		t.Error("CD3402 without granted scopes: want a skip")
	} else if _, skip := IsSkip(err); !skip || !strings.Contains(err.Error(), "no token response") {
		t.Errorf("CD3402 without granted scopes: err = %v, want a skip", err)
	}
}

// Findings name an observed call by its capture entry, method and URL
// (what the user looks up in the HAR), a declared one by its index.
func TestObservedCallsAreNamedByEntry(t *testing.T) {
	c := harCall(12, 0, "POST", "/oauth2/token", 200)
	c.At.URL = "https://auth.contio.ai/oauth2/token"
	if got, want := callLabel(11, c), "entry 12 (POST https://auth.contio.ai/oauth2/token)"; got != want {
		t.Errorf("callLabel = %q, want %q", got, want)
	}
	if got, want := callName(11, c), "entry 12 (POST https://auth.contio.ai/oauth2/token)"; got != want {
		t.Errorf("callName = %q, want %q", got, want)
	}
	declared := testCall("exchange code", "POST", "/oauth2/token", "basic")
	if got, want := callLabel(3, declared), "calls[3] (exchange code) POST /oauth2/token"; got != want {
		t.Errorf("callLabel = %q, want %q", got, want)
	}
	if got, want := callName(3, declared), "calls[3] (exchange code)"; got != want {
		t.Errorf("callName = %q, want %q", got, want)
	}
	// Through a recorded capture: the misspelt path of entry 6.
	ig, err := har.LoadFile(filepath.Join("..", "testdata", "har", "unknown-path.har"), har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs := runByID(t, "CD4002", ig)
	if len(fs) != 1 || !regexp.MustCompile(`^entry \d+ \(GET https://\S+/v1/partner/user/meeting\): `).MatchString(fs[0].Message) {
		t.Fatalf("CD4002 on the capture: %+v", fs)
	}
}
