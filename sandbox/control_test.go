package sandbox_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

func TestDateHeaderFollowsTheSandboxClock(t *testing.T) {
	clock := sandbox.NewFakeClock(time.Date(2030, 5, 1, 12, 0, 0, 0, time.UTC))
	sb := sandbox.NewTest(t, sandbox.Options{Clock: clock})
	for _, p := range []string{"/oauth2/health", "/nope", "/v1/partner/user/profile"} {
		r := call(t, "GET", sb.URL()+p, nil, "")
		if got := r.Header.Get("Date"); got != "Wed, 01 May 2030 12:00:00 GMT" {
			t.Errorf("GET %s: Date %q", p, got)
		}
	}
	clock.Advance(time.Hour)
	sb.Advance(time.Minute)
	if got := call(t, "GET", sb.URL()+"/oauth2/health", nil, "").Header.Get("Date"); got != "Wed, 01 May 2030 13:01:00 GMT" {
		t.Errorf("after advancing: Date %q", got)
	}
}

func TestEveryErrorHasAUniqueRequestID(t *testing.T) {
	sb, _ := newSB(t)
	seen := map[string]bool{}
	for _, c := range []struct{ method, path string }{
		{"GET", "/nope"}, {"GET", "/oauth2/token"}, {"GET", "/v1/partner/user/profile"}, {"GET", "/v1/partner/admin/app"},
		{"POST", "/oauth2/introspect"}, {"GET", "/v1/partner/user/profile"},
	} {
		r := call(t, c.method, sb.URL()+c.path, nil, "")
		id := r.str("request_id")
		if r.Status < 400 || id == "" || seen[id] {
			t.Fatalf("%s %s: %d request_id %q (seen before: %v)", c.method, c.path, r.Status, id, seen[id])
		}
		seen[id] = true
	}
}

func TestSeedMakesRunsRepeat(t *testing.T) {
	run := func() []string {
		sb := sandbox.NewTest(t, sandbox.Options{Seed: 42})
		app := sb.DefaultApp()
		tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile"}})
		r := call(t, "GET", sb.URL()+"/nope", nil, "")
		return []string{app.ClientID, app.ClientSecret, tok.AccessToken, r.str("request_id")}
	}
	a, b := run(), run()
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatalf("same seed, different values:\n%v\n%v", a, b)
	}
	if strings.Join(a, ",") == strings.Join(run2(t), ",") {
		t.Fatal("a different seed gave the same values")
	}
}

func run2(t *testing.T) []string {
	sb := sandbox.NewTest(t, sandbox.Options{Seed: 43})
	app := sb.DefaultApp()
	return []string{app.ClientID, app.ClientSecret}
}

// TestRequestLogProvesReadOnlyProbes: what the probes' tests rely on.
func TestRequestLogProvesReadOnlyProbes(t *testing.T) {
	sb, app := newSB(t)
	tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile", "meetings:read", "meetings:write"}})
	auth := basic(app.ClientID, app.ClientSecret)
	call(t, "GET", sb.URL()+"/v1/partner/user/profile", bearerH(tok.AccessToken), "")
	call(t, "POST", sb.URL()+"/oauth2/introspect", formH(auth), form("token", tok.AccessToken))
	call(t, "POST", sb.URL()+"/oauth2/token", formH(auth), form("grant_type", "authorization_code", "code", "random-probe-code", "redirect_uri", app.RedirectURIs[0]))
	call(t, "GET", sb.URL()+"/v1/partner/admin/app", map[string]string{"X-API-Key": app.APIKey, "X-Client-ID": app.ClientID}, "")
	log := sb.Requests()
	if len(log) != 4 {
		t.Fatalf("want 4 logged requests, got %d", len(log))
	}
	for _, e := range log {
		if e.Write {
			t.Errorf("%s %s changed state", e.Method, e.Path)
		}
	}
	if log[2].Class != "oauth" || log[2].Status != 400 || log[2].Code != "invalid_grant" || !log[2].WriteEndpoint {
		t.Errorf("token probe entry: %+v", log[2])
	}
	call(t, "POST", sb.URL()+"/v1/partner/user/meetings", bearerH(tok.AccessToken), `{"title":"x"}`)
	if last := sb.Requests()[4]; !last.Write || last.Status != 201 {
		t.Errorf("a real write is not logged as one: %+v", last)
	}
}

func TestControlPlane(t *testing.T) {
	sb, app := newSB(t)
	base := sb.URL() + "/_sandbox"
	r := call(t, "POST", base+"/clock/advance", nil, `{"by":"90s"}`)
	if r.Status != 200 || !sb.Now().Equal(sandbox.TestEpoch.Add(90*time.Second)) {
		t.Fatalf("advance: %d %s", r.Status, r.Raw)
	}
	wantError(t, call(t, "POST", base+"/clock/advance", nil, `{"by":"soon"}`), 400, "invalid_request")
	f := call(t, "POST", base+"/faults", nil, `{"path":"/oauth2/health","kind":"latency","latency":"1ms","times":1}`)
	if f.Status != 201 || f.str("id") == "" {
		t.Fatalf("add fault: %s", f.Raw)
	}
	if l := call(t, "GET", base+"/faults", nil, ""); !strings.Contains(l.Raw, `"latency":"1ms"`) {
		t.Fatalf("list faults: %s", l.Raw)
	}
	if r := call(t, "GET", sb.URL()+"/oauth2/health", nil, ""); r.Status != 200 {
		t.Fatal(r.Raw)
	}
	wantError(t, call(t, "POST", base+"/faults", nil, `{"kind":"status","status":99}`), 400, "invalid_request")
	call(t, "POST", sb.URL()+"/auth/initiate", jsonH(""), jsonBody(t, map[string]any{"client_id": app.ClientID, "email": "x@example.com"}))
	inbox := call(t, "GET", base+"/inbox", nil, "")
	if msgs, _ := inbox.JSON["messages"].([]any); len(msgs) != 1 || msgs[0].(map[string]any)["code"] != sb.LastOTP("x@example.com") {
		t.Fatalf("inbox: %s", inbox.Raw)
	}
	if page := call(t, "GET", base+"/inbox", map[string]string{"Accept": "text/html"}, ""); !strings.Contains(page.Raw, sb.LastOTP("x@example.com")) {
		t.Fatalf("inbox page: %s", page.Raw)
	}
	reqs := call(t, "GET", base+"/requests", nil, "")
	if got := len(reqs.JSON["requests"].([]any)); got != 2 {
		t.Fatalf("request log has %d entries, want 2 (control calls are not logged)", got)
	}
	if r := call(t, "POST", base+"/reset", nil, ""); r.Status != 200 || len(sb.Requests()) != 0 || len(sb.Inbox()) != 0 {
		t.Fatalf("reset: %s", r.Raw)
	}
	if sb.DefaultApp().ClientID != app.ClientID {
		t.Error("reset with the same seed should give the same default app")
	}
	wantError(t, call(t, "GET", base+"/nothing", nil, ""), http.StatusNotFound, "not_found")
}

// TestResetWhileServing: Reset may race with requests in flight (-race).
func TestResetWhileServing(t *testing.T) {
	sb, _ := newSB(t)
	tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile"}})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 20; i++ {
			sb.Reset()
		}
	}()
	for i := 0; i < 20; i++ {
		if r := call(t, "GET", sb.URL()+"/v1/partner/user/profile", bearerH(tok.AccessToken), ""); r.Status != 200 && r.Status != 401 {
			t.Fatalf("status %d during resets", r.Status)
		}
	}
	<-done
}

// TestRequestLogIsBounded: the request log keeps the newest
// RequestLogSize entries, oldest first, and says how many it let go.
func TestRequestLogIsBounded(t *testing.T) {
	sb := sandbox.NewTest(t, sandbox.Options{Seed: 6, RequestLogSize: 3, Limits: sandbox.Limits{Off: true}})
	for i := 0; i < 5; i++ {
		call(t, "GET", sb.URL()+"/nowhere/"+itoa(int64(i)), nil, "")
	}
	var paths []string
	for _, e := range sb.Requests() {
		paths = append(paths, e.Path)
	}
	if strings.Join(paths, " ") != "/nowhere/2 /nowhere/3 /nowhere/4" || sb.DroppedRequests() != 2 {
		t.Fatalf("log %v, dropped %d", paths, sb.DroppedRequests())
	}
	r := call(t, "GET", sb.URL()+"/_sandbox/requests", nil, "")
	if reqs, _ := r.JSON["requests"].([]any); len(reqs) != 3 || r.JSON["dropped"] != float64(2) || r.JSON["capacity"] != float64(3) {
		t.Fatalf("GET /_sandbox/requests: %s", r.Raw)
	}
	sb.ClearRequests()
	if len(sb.Requests()) != 0 || sb.DroppedRequests() != 0 {
		t.Fatal("ClearRequests left entries")
	}
	if d := sandbox.New(sandbox.Options{}); d.DroppedRequests() != 0 || sandbox.DefaultRequestLogSize != 1000 {
		t.Fatal("default size")
	}
}
