package checks_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/diagnosis"

	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
	"github.com/Contio-AI/contio-doctor/sandbox"
)

// The live checks against the embedded sandbox: the healthy case and each
// fault the probes must name, with status and request_id.

const redirect = "https://app.example.com/oauth/callback"

var requested = []string{"openid", "profile", "meetings:read", "action-items:read"}

func val(s string) integration.Value { return integration.Value{Raw: s, Set: true} }

// liveWorld is one sandbox and an integration that matches its default app.
type liveWorld struct {
	sb  *sandbox.Sandbox
	app sandbox.App
	ig  *integration.Integration
	tok sandbox.Tokens
}

func newLiveWorld(t *testing.T, opts sandbox.Options) *liveWorld { return newLiveWorldB(t, opts) }

func newLiveWorldB(t testing.TB, opts sandbox.Options) *liveWorld {
	t.Helper()
	opts.Limits = sandbox.Limits{Off: true}
	sb := sandbox.NewTest(t, opts)
	app := sb.DefaultApp()
	if err := sb.UpdateApp(app.ClientID, func(a *sandbox.App) {
		a.RedirectURIs = []string{redirect}
		a.WebhookURL = "https://app.example.com/webhooks"
	}); err != nil {
		t.Fatal(err)
	}
	app, _ = sb.App(app.ClientID)
	tok, err := sb.IssueTokens(sandbox.TokenSpec{Scopes: requested})
	if err != nil {
		t.Fatal(err)
	}
	ig := &integration.Integration{
		APIURL:  val(sb.URL()),
		AuthURL: val(sb.URL()),
		OAuth: integration.OAuth{
			ClientID: val(app.ClientID), ClientSecret: val(app.ClientSecret),
			RedirectURI: val(redirect), RegisteredRedirectURIs: []integration.Value{val(redirect)},
		},
		Tokens: integration.Tokens{AccessToken: val(tok.AccessToken), RefreshToken: val(tok.RefreshToken)},
		Admin:  integration.Admin{APIKey: val(app.APIKey), ClientID: val(app.ClientID)},
		Calls: []integration.Call{
			{Name: val("profile"), Method: val("GET"), Path: val("/v1/partner/user/profile"), Auth: val("bearer")},
			{Name: val("meetings"), Method: val("GET"), Path: val("/v1/partner/user/meetings"), Auth: val("bearer")},
			{Name: val("app"), Method: val("GET"), Path: val("/v1/partner/admin/app"), Auth: val("api_key"), Headers: []integration.Value{val("X-Client-ID")}},
		},
		Webhooks: integration.Webhooks{URL: val("https://app.example.com/webhooks")},
	}
	for _, s := range requested {
		ig.OAuth.Scopes = append(ig.OAuth.Scopes, val(s))
	}
	return &liveWorld{sb: sb, app: app, ig: ig, tok: tok}
}

func networkChecks() []*diagnosis.Check {
	var out []*diagnosis.Check
	for _, c := range checks.All() {
		if c.Needs&diagnosis.NeedsNetwork != 0 && c.Needs&diagnosis.NeedsWebhookProbe == 0 {
			out = append(out, c)
		}
	}
	return out
}

// run runs every live check and returns the results by ID.
func (w *liveWorld) run(t *testing.T, popts probe.Options) map[string]diagnosis.Result {
	t.Helper()
	_, res := w.runLive(t, popts)
	return res
}

func (w *liveWorld) runLive(t *testing.T, popts probe.Options) (*probe.Client, map[string]diagnosis.Result) {
	t.Helper()
	popts.Clock = w.sb.Now
	live := probe.New(popts)
	in := &diagnosis.Input{Integration: w.ig, Now: w.sb.Now(), Probe: live}
	res := diagnosis.RunChecks(context.Background(), networkChecks(), in, diagnosis.RunnerOptions{CheckTimeout: 5 * time.Second})
	out := map[string]diagnosis.Result{}
	for _, r := range res {
		out[r.Check.ID] = r
	}
	return live, out
}

func expectStatus(t *testing.T, res map[string]diagnosis.Result, id string, want diagnosis.Status) diagnosis.Result {
	t.Helper()
	r, ok := res[id]
	if !ok {
		t.Fatalf("no result for %s", id)
	}
	if r.Status != want {
		t.Fatalf("%s (%s): status %s, want %s; skip %q err %q findings %+v", id, r.Check.Name, r.Status, want, r.SkipReason, r.Err, r.Findings)
	}
	return r
}

// expectFail asserts a failure whose message holds each part. Findings
// drawn from an error response must carry its request_id (the API puts it
// in error bodies only, so findings from a 200 have none).
func expectFail(t *testing.T, res map[string]diagnosis.Result, id string, parts ...string) diagnosis.Finding {
	t.Helper()
	r := expectStatus(t, res, id, diagnosis.StatusFail)
	f := r.Findings[0]
	for _, p := range parts {
		if !strings.Contains(f.Message, p) {
			t.Errorf("%s message %q lacks %q", id, f.Message, p)
		}
	}
	return f
}

// expectFailRID is expectFail for findings from an error response.
func expectFailRID(t *testing.T, res map[string]diagnosis.Result, id string, parts ...string) diagnosis.Finding {
	t.Helper()
	f := expectFail(t, res, id, parts...)
	if !strings.HasPrefix(f.RequestID, "req_") {
		t.Errorf("%s finding has no request_id: %+v", id, f)
	}
	return f
}

func noFailures(t *testing.T, res map[string]diagnosis.Result) {
	t.Helper()
	for id, r := range res {
		if r.Status == diagnosis.StatusFail || r.Status == diagnosis.StatusError {
			t.Errorf("%s (%s): %s %q %+v", id, r.Check.Name, r.Status, r.Err, r.Findings)
		}
	}
}

func TestLiveHealthy(t *testing.T) {
	w := newLiveWorld(t, sandbox.Options{})
	res := w.run(t, probe.Options{})
	noFailures(t, res)
	for _, id := range []string{"CD1501", "CD2501", "CD3502", "CD3510", "CD3511", "CD3512", "CD3513", "CD3520", "CD4501", "CD4502", "CD4503", "CD6501", "CD6502"} {
		expectStatus(t, res, id, diagnosis.StatusPass)
	}
	// Budget and read-only: at most 5 OAuth-class requests, nothing written.
	oauth := 0
	for _, e := range w.sb.Requests() {
		if e.Class == string(contio.ClassOAuth) {
			oauth++
		}
		if e.Write {
			t.Errorf("the doctor changed server state: %s %s", e.Method, e.Path)
		}
	}
	if oauth > 5 {
		t.Errorf("%d OAuth-class requests, budget is 5", oauth)
	}
}

// liveScenario is one documented mistake: how to make it, and which live
// checks must fail (with which words in the first finding's message, and
// whether it must carry a request_id: the API sends one in error bodies).
type liveScenario struct {
	name  string
	opts  sandbox.Options
	setup func(t *testing.T, w *liveWorld)
	// now shifts the doctor's clock against the sandbox's.
	now  time.Duration
	want map[string][]string
	rid  map[string]bool
	skip []string
}

func issue(t *testing.T, w *liveWorld, spec sandbox.TokenSpec) sandbox.Tokens {
	t.Helper()
	tok, err := w.sb.IssueTokens(spec)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

var liveScenarios = []liveScenario{
	{
		name:  "wrong secret",
		setup: func(t *testing.T, w *liveWorld) { w.ig.OAuth.ClientSecret = val("not-the-secret-at-all-000") },
		want:  map[string][]string{"CD1501": {"invalid_client", "the client_id exists"}},
		rid:   map[string]bool{"CD1501": true},
		// Introspection needs the credentials: those checks skip, never fail.
		skip: []string{"CD3510", "CD3502"},
	},
	{
		name:  "unknown client_id",
		setup: func(t *testing.T, w *liveWorld) { w.ig.OAuth.ClientID = val("sbx_client_doesnotexist") },
		want:  map[string][]string{"CD1501": {"unknown to Contio"}},
		rid:   map[string]bool{"CD1501": true},
		skip:  []string{"CD2501"},
	},
	{
		name: "deactivated app",
		setup: func(t *testing.T, w *liveWorld) {
			if err := w.sb.SetAppActive(w.app.ClientID, false); err != nil {
				t.Fatal(err)
			}
		},
		want: map[string][]string{"CD1501": {"invalid_client"}},
		rid:  map[string]bool{"CD1501": true},
	},
	{
		name:  "unregistered redirect URI",
		setup: func(t *testing.T, w *liveWorld) { w.ig.OAuth.RedirectURI = val(redirect + "/") },
		want:  map[string][]string{"CD2501": {"invalid_request", redirect + "/"}},
		rid:   map[string]bool{"CD2501": true},
	},
	{
		name: "scope the app is not approved for",
		setup: func(t *testing.T, w *liveWorld) {
			if err := w.sb.UpdateApp(w.app.ClientID, func(a *sandbox.App) { a.Scopes = []string{"openid", "profile", "meetings:read"} }); err != nil {
				t.Fatal(err)
			}
		},
		want: map[string][]string{"CD3501": {"invalid_scope", "action-items:read"}},
	},
	{
		name: "misspelled scope",
		setup: func(t *testing.T, w *liveWorld) {
			w.ig.OAuth.Scopes = append(w.ig.OAuth.Scopes, val("meeting:read"))
		},
		want: map[string][]string{"CD3502": {`"meeting:read"`}, "CD3501": {"invalid_scope"}},
	},
	{
		name: "token without scopes",
		setup: func(t *testing.T, w *liveWorld) {
			w.ig.Tokens.AccessToken = val(issue(t, w, sandbox.TokenSpec{}).AccessToken)
		},
		want: map[string][]string{"CD3511": {"consent was never completed"}},
	},
	{
		name: "token with some scopes",
		setup: func(t *testing.T, w *liveWorld) {
			w.ig.Tokens.AccessToken = val(issue(t, w, sandbox.TokenSpec{Scopes: []string{"openid", "profile"}}).AccessToken)
		},
		want: map[string][]string{"CD3512": {"meetings:read", "action-items:read"}, "CD3513": {"meetings:read"}},
	},
	{
		name: "expired token",
		setup: func(t *testing.T, w *liveWorld) {
			w.ig.Tokens.AccessToken = val(issue(t, w, sandbox.TokenSpec{Scopes: requested, Expired: true}).AccessToken)
		},
		// The user API is not called with a token known to be dead.
		want: map[string][]string{"CD3510": {"not active"}},
		skip: []string{"CD4501"},
	},
	{
		name: "expired token, no client secret to introspect it",
		setup: func(t *testing.T, w *liveWorld) {
			w.ig.Tokens.AccessToken = val(issue(t, w, sandbox.TokenSpec{Scopes: requested, Expired: true}).AccessToken)
			w.ig.OAuth.ClientSecret = integration.Value{}
		},
		want: map[string][]string{"CD4501": {"401"}, "CD4503": {"401"}},
		rid:  map[string]bool{"CD4501": true, "CD4503": true},
	},
	{
		name: "token about to expire",
		setup: func(t *testing.T, w *liveWorld) {
			w.sb.Advance(23*time.Hour + 30*time.Minute)
		},
		want: map[string][]string{"CD3515": {"expires in 30m"}},
	},
	{
		name: "revoked refresh token",
		setup: func(t *testing.T, w *liveWorld) {
			w.sb.RevokeToken(w.tok.RefreshToken)
			w.ig.Tokens.AccessToken = val(issue(t, w, sandbox.TokenSpec{Scopes: requested}).AccessToken)
		},
		want: map[string][]string{"CD3520": {"invalid_grant"}},
	},
	{
		name:  "missing X-Client-ID",
		setup: func(t *testing.T, w *liveWorld) { w.ig.Admin.ClientID = integration.Value{} },
		want:  map[string][]string{"CD4502": {"missing_client_id"}},
		rid:   map[string]bool{"CD4502": true},
	},
	{
		name:  "API key on a user call",
		setup: func(t *testing.T, w *liveWorld) { w.ig.Calls[1].Auth = val("api_key") },
		want:  map[string][]string{"CD4503": {"meetings", "401"}},
		rid:   map[string]bool{"CD4503": true},
	},
	{
		name:  "webhook URL registered elsewhere",
		setup: func(t *testing.T, w *liveWorld) { w.ig.Webhooks.URL = val("https://app.example.com/hooks/contio") },
		want:  map[string][]string{"CD7601": {"https://app.example.com/webhooks", "hooks/contio"}},
	},
	{
		name: "webhooks disabled",
		setup: func(t *testing.T, w *liveWorld) {
			if err := w.sb.UpdateApp(w.app.ClientID, func(a *sandbox.App) { a.WebhooksDisabled = true }); err != nil {
				t.Fatal(err)
			}
		},
		want: map[string][]string{"CD7601": {"webhooks are disabled", "kept as pending", "50 abandoned deliveries or 72 hours"}},
	},
	{
		name: "redirect on the token URL",
		opts: sandbox.Options{Faults: []sandbox.FaultRule{{Method: "POST", Path: "/oauth2/token", Kind: sandbox.FaultRedirect, Status: 307, Location: "https://evil.example.net/oauth2/token"}}},
		want: map[string][]string{"CD1501": {"redirect"}, "CD6506": {"/oauth2/token", "evil.example.net"}},
	},
	{
		name: "answers slower than http.timeout",
		opts: sandbox.Options{Faults: []sandbox.FaultRule{{Path: "/v1/partner/user/profile", Kind: sandbox.FaultLatency, Latency: 80 * time.Millisecond}}},
		setup: func(t *testing.T, w *liveWorld) {
			w.ig.HTTP.Timeout, w.ig.HTTP.TimeoutSet = 50*time.Millisecond, true
		},
		want: map[string][]string{"CD6507": {"GET /v1/partner/user/profile took", "gives up after 50ms"}},
	},
	{
		name: "clock three minutes behind",
		now:  -3 * time.Minute,
		want: map[string][]string{"CD6503": {"3m0s behind"}},
	},
	{
		name: "connection reset",
		opts: sandbox.Options{Faults: []sandbox.FaultRule{{Kind: sandbox.FaultReset, Path: "/*"}}},
		// One root cause, reported once per host; the other checks could
		// not decide (error), they do not fail.
		want: map[string][]string{"CD6502": {"connection reset"}, "CD6501": {"connection reset"}},
	},
	{
		name: "auth host refuses connections",
		setup: func(t *testing.T, w *liveWorld) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close() // nothing listens there any more
			w.ig.AuthURL = val("http://" + addr)
		},
		want: map[string][]string{"CD6501": {"connection refused"}},
	},
}

func TestLiveScenarios(t *testing.T) {
	for _, sc := range liveScenarios {
		t.Run(sc.name, func(t *testing.T) {
			w := newLiveWorld(t, sc.opts)
			if sc.setup != nil {
				sc.setup(t, w)
			}
			popts := probe.Options{Clock: w.sb.Now}
			live := probe.New(popts)
			in := &diagnosis.Input{Integration: w.ig, Now: w.sb.Now().Add(sc.now), Probe: live}
			res := map[string]diagnosis.Result{}
			for _, r := range diagnosis.RunChecks(context.Background(), networkChecks(), in, diagnosis.RunnerOptions{CheckTimeout: 5 * time.Second}) {
				res[r.Check.ID] = r
			}
			for id, parts := range sc.want {
				if sc.rid[id] {
					expectFailRID(t, res, id, parts...)
				} else {
					expectFail(t, res, id, parts...)
				}
			}
			for id, r := range res {
				if _, wanted := sc.want[id]; !wanted && r.Status == diagnosis.StatusFail {
					t.Errorf("unexpected failure %s (%s): %+v", id, r.Check.Name, r.Findings)
				}
			}
			for _, id := range sc.skip {
				expectStatus(t, res, id, diagnosis.StatusSkip)
			}
			for _, e := range w.sb.Requests() {
				if e.Write {
					t.Errorf("the doctor changed server state: %s %s", e.Method, e.Path)
				}
			}
		})
	}
}

// TestEveryLiveCheckHasAScenario: each network check is made to fail by
// some scenario here (the webhook self-test has its own receivers).
func TestEveryLiveCheckHasAScenario(t *testing.T) {
	// Covered by the stub-server tests below and TestLive429PerClass.
	covered := map[string]bool{"CD5501": true, "CD6505": true, "CD3514": true, "CD6504": true}
	for _, sc := range liveScenarios {
		for id := range sc.want {
			covered[id] = true
		}
	}
	for _, c := range networkChecks() {
		if !covered[c.ID] {
			t.Errorf("%s (%s) has no live scenario that makes it fail", c.ID, c.Name)
		}
	}
}

func TestJWKSPrivateKey(t *testing.T) {
	ig := stubAuth(t, map[string]string{"/.well-known/jwks.json": `{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","x":"AA","y":"BB","d":"private-part"}]}`})
	r := runOne(t, ig, "CD6505")
	if r.Status != diagnosis.StatusFail || !strings.Contains(r.Findings[0].Message, `kid "k1"`) {
		t.Fatalf("CD6505: %s %+v", r.Status, r.Findings)
	}
}

func TestLive429PerClass(t *testing.T) {
	for _, class := range []contio.Class{contio.ClassOAuth, contio.ClassUser, contio.ClassAdmin} {
		t.Run(string(class), func(t *testing.T) {
			w := newLiveWorld(t, sandbox.Options{Faults: []sandbox.FaultRule{{Class: class, Kind: sandbox.FaultStatus, Status: 429, RetryAfter: "42"}}})
			live, res := w.runLive(t, probe.Options{})
			expectFailRID(t, res, "CD5501", string(class)+" endpoints answered 429", "in 42s")
			// Requests already in flight cannot be recalled, but none of
			// the class may start once the first 429 has arrived.
			var first time.Time
			for _, ex := range live.Exchanges() {
				if ex.Request.Class == class && ex.Response != nil && ex.Response.Status == 429 && (first.IsZero() || ex.Finished.Before(first)) {
					first = ex.Finished
				}
			}
			if first.IsZero() {
				t.Fatal("no 429 was seen")
			}
			for _, ex := range live.Exchanges() {
				if ex.Request.Class == class && ex.Started.After(first) {
					t.Errorf("%s %s started after the class answered 429", ex.Request.Method, ex.Request.URL)
				}
			}
		})
	}
}

func TestLiveRedirectOnTokenURL(t *testing.T) {
	w := newLiveWorld(t, sandbox.Options{Faults: []sandbox.FaultRule{{Method: "POST", Path: "/oauth2/token", Kind: sandbox.FaultRedirect, Status: 307, Location: "https://evil.example.net/oauth2/token"}}})
	res := w.run(t, probe.Options{})
	expectFail(t, res, "CD1501", "redirect")
	expectFail(t, res, "CD6506", "/oauth2/token", "evil.example.net")
}

func TestLiveInjectedLatency(t *testing.T) {
	w := newLiveWorld(t, sandbox.Options{Faults: []sandbox.FaultRule{{Path: "/*", Kind: sandbox.FaultLatency, Latency: 50 * time.Millisecond}}})
	res := w.run(t, probe.Options{})
	noFailures(t, res)
	expectStatus(t, res, "CD1501", diagnosis.StatusPass)
}

func TestLiveConnectionReset(t *testing.T) {
	w := newLiveWorld(t, sandbox.Options{Faults: []sandbox.FaultRule{{Kind: sandbox.FaultReset, Path: "/*"}}})
	res := w.run(t, probe.Options{})
	r := expectStatus(t, res, "CD6502", diagnosis.StatusFail)
	if !strings.Contains(r.Findings[0].Message, "connection reset") {
		t.Errorf("message %q does not name the failed step", r.Findings[0].Message)
	}
}

func TestLiveUntrustedTLS(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Clock: sandbox.NewFakeClock(sandbox.TestEpoch)})
	srv := httptest.NewTLSServer(sb.Handler())
	defer srv.Close()
	ig := &integration.Integration{APIURL: val(srv.URL), AuthURL: val(srv.URL)}
	run := func(popts probe.Options) map[string]diagnosis.Result {
		in := &diagnosis.Input{Integration: ig, Now: sb.Now(), Probe: probe.New(popts)}
		out := map[string]diagnosis.Result{}
		for _, r := range diagnosis.RunChecks(context.Background(), networkChecks(), in, diagnosis.RunnerOptions{}) {
			out[r.Check.ID] = r
		}
		return out
	}
	res := run(probe.Options{})
	r := expectStatus(t, res, "CD6501", diagnosis.StatusFail)
	if !strings.Contains(r.Findings[0].Message, "TLS failed") {
		t.Errorf("message %q does not name the TLS step", r.Findings[0].Message)
	}
	// With the flag, loopback is accepted.
	res = run(probe.Options{InsecureSkipVerify: true})
	expectStatus(t, res, "CD6501", diagnosis.StatusPass)
}

func TestLiveDNSFailure(t *testing.T) {
	// No resolver is asked: the transport fails the lookup as a resolver would.
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
	}}
	ig := &integration.Integration{APIURL: val("https://api.contio.example"), AuthURL: val("https://auth.contio.example")}
	in := &diagnosis.Input{Integration: ig, Now: time.Now(), Probe: probe.New(probe.Options{Transport: tr})}
	res := diagnosis.RunChecks(context.Background(), networkChecks(), in, diagnosis.RunnerOptions{})
	found := false
	for _, r := range res {
		if r.Check.ID == "CD6502" {
			found = true
			if r.Status != diagnosis.StatusFail || !strings.Contains(r.Findings[0].Message, "DNS failed") {
				t.Fatalf("CD6502: %s %+v", r.Status, r.Findings)
			}
		}
	}
	if !found {
		t.Fatal("no CD6502 result")
	}
	var dnsErr *net.DNSError
	if !errors.As(&net.OpError{Err: &net.DNSError{}}, &dnsErr) {
		t.Fatal("errors.As broken")
	}
}

// stubAuth serves fixed JSON per path, for answers the sandbox never gives
// (a leaking JWKS, another issuer, a token of another client).
func stubAuth(t *testing.T, bodies map[string]string) *integration.Integration {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := bodies[r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"code":"invalid_grant","message":"unknown code","request_id":"req_stub"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return &integration.Integration{APIURL: val(srv.URL), AuthURL: val(srv.URL),
		OAuth:  integration.OAuth{ClientID: val("client_mine"), ClientSecret: val("secret-of-mine-0000")},
		Tokens: integration.Tokens{AccessToken: val("cto_at_v1_stubtokenstubtoken")}}
}

func runOne(t *testing.T, ig *integration.Integration, id string) diagnosis.Result {
	t.Helper()
	c, ok := diagnosis.Lookup(id)
	if !ok {
		t.Fatalf("no check %s", id)
	}
	in := &diagnosis.Input{Integration: ig, Now: time.Now(), Probe: probe.New(probe.Options{})}
	return diagnosis.RunChecks(context.Background(), []*diagnosis.Check{c}, in, diagnosis.RunnerOptions{})[0]
}

func TestAccessTokenOfAnotherClient(t *testing.T) {
	ig := stubAuth(t, map[string]string{"/oauth2/introspect": `{"active":true,"scope":"openid profile","client_id":"client_theirs","exp":4102444800}`})
	r := runOne(t, ig, "CD3514")
	if r.Status != diagnosis.StatusFail || !strings.Contains(r.Findings[0].Message, `"client_theirs"`) {
		t.Fatalf("CD3514: %s %+v", r.Status, r.Findings)
	}
}

func TestDiscoveryNamesAnotherIssuer(t *testing.T) {
	ig := stubAuth(t, map[string]string{"/.well-known/openid_configuration": `{"issuer":"https://auth.contio.io","authorization_endpoint":"https://auth.contio.io/oauth2/authorize","token_endpoint":"https://auth.contio.io/oauth2/token","token_endpoint_auth_methods_supported":["client_secret_post"]}`})
	r := runOne(t, ig, "CD6504")
	if r.Status != diagnosis.StatusFail || len(r.Findings) != 3 {
		t.Fatalf("CD6504: %s %+v", r.Status, r.Findings)
	}
	if !strings.Contains(r.Findings[1].Message, "token_endpoint https://auth.contio.io/oauth2/token") || !strings.Contains(r.Findings[2].Message, "without client_secret_basic") {
		t.Fatalf("CD6504 findings: %+v", r.Findings)
	}
}
