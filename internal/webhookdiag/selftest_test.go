package webhookdiag

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/webhook"
)

const endpointSecret = "whsec_selftest_CANARY_77"

// fakeClock is advanced by the receivers, so "slow" costs no real time.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// receiver is a test webhook endpoint; each field turns on one behaviour.
type receiver struct {
	secret      string
	reserialise bool // verify json.Marshal(parsed body), as a parse-first app does
	noVerify    bool
	slow        time.Duration
	redirect    bool
	rejectDups  bool
	hang        bool

	clock *fakeClock
	mu    sync.Mutex
	seen  map[string]bool
	got   []string // signature header values received
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.got = append(rc.got, r.Header.Get(webhook.Header))
	rc.mu.Unlock()
	if rc.hang {
		<-r.Context().Done()
		return
	}
	if rc.redirect {
		http.Redirect(w, r, "https://app.example.com/webhooks/", http.StatusPermanentRedirect)
		return
	}
	rc.clock.Advance(rc.slow)
	if !rc.noVerify {
		sig := r.Header.Get(webhook.Header)
		if sig == "" {
			http.Error(w, `{"error":"Missing signature"}`, http.StatusBadRequest)
			return
		}
		verified := raw
		if rc.reserialise {
			var v map[string]any
			_ = json.Unmarshal(raw, &v)
			verified, _ = json.Marshal(v)
		}
		if webhook.Verify(rc.secret, verified, sig) != nil {
			http.Error(w, `{"error":"Webhook verification failed","message":"Signature mismatch"}`, http.StatusUnauthorized)
			return
		}
	}
	env, err := webhook.Check(raw)
	if err != nil {
		http.Error(w, "bad envelope", http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	dup := rc.seen[env.EventID]
	rc.seen[env.EventID] = true
	rc.mu.Unlock()
	if dup && rc.rejectDups {
		http.Error(w, `{"error":"duplicate event"}`, http.StatusConflict)
		return
	}
	_, _ = io.WriteString(w, `{"received":true}`)
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.got)
}

type want struct {
	problems int
	warning  bool
	skip     bool
	message  string
}

func runSelfTest(t *testing.T, rc *receiver, opts SelfTestOptions) *SelfTestReport {
	t.Helper()
	rc.clock = &fakeClock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	rc.seen = map[string]bool{}
	if rc.secret == "" {
		rc.secret = endpointSecret
	}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	opts.URL = srv.URL + "/webhooks"
	opts.Secret = endpointSecret
	opts.Clock = rc.clock.Now
	rep, err := SelfTest(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestSelfTestClassifiesReceivers(t *testing.T) {
	verdicts := []struct {
		name string
		fn   func(*SelfTestReport) ([]Problem, string)
	}{
		{"delivery", (*SelfTestReport).Delivery},
		{"raw-body", (*SelfTestReport).RawBody},
		{"requires-signature", (*SelfTestReport).RequiresSignature},
		{"rejects-bad-signature", (*SelfTestReport).RejectsBadSignature},
		{"duplicates", (*SelfTestReport).Duplicates},
		{"redirect", (*SelfTestReport).Redirect},
	}
	ok := want{}
	cases := []struct {
		name string
		rc   *receiver
		want map[string]want
	}{
		{"correct", &receiver{}, map[string]want{"delivery": ok, "raw-body": ok, "requires-signature": ok, "rejects-bad-signature": ok, "duplicates": ok, "redirect": ok}},
		{"verifies re-serialised body", &receiver{reserialise: true}, map[string]want{"delivery": ok, "raw-body": {problems: 1, message: "rejected (401)"}, "requires-signature": ok, "rejects-bad-signature": ok, "duplicates": ok}},
		{"does not verify", &receiver{noVerify: true}, map[string]want{"delivery": ok, "raw-body": ok,
			"requires-signature":    {problems: 1, message: "no X-Contio-Signature header with 200: it does not verify"},
			"rejects-bad-signature": {problems: 1, message: "wrong secret with 200"}}},
		{"wrong secret", &receiver{secret: "whsec_other_environment"}, map[string]want{"delivery": {problems: 1, message: "rejected a correctly signed delivery with 401"},
			"raw-body": {skip: true}, "duplicates": {skip: true}, "requires-signature": ok, "rejects-bad-signature": ok}},
		{"slow", &receiver{slow: 6 * time.Second}, map[string]want{"delivery": {problems: 1, warning: true, message: "took 6s"}, "raw-body": ok}},
		{"redirects", &receiver{redirect: true}, map[string]want{"redirect": {problems: 1, message: "answered 308, redirecting to https://app.example.com/webhooks/"},
			"delivery": {skip: true}, "requires-signature": {skip: true}, "raw-body": {skip: true}}},
		{"rejects duplicates", &receiver{rejectDups: true}, map[string]want{"duplicates": {problems: 1, warning: true, message: "answered 409 when the same event_id came again"}, "delivery": ok}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := runSelfTest(t, c.rc, SelfTestOptions{})
			for _, v := range verdicts {
				w, ok := c.want[v.name]
				if !ok {
					continue
				}
				probs, skip := v.fn(rep)
				if (skip != "") != w.skip || len(probs) != w.problems {
					t.Fatalf("%s: %d problems %+v, skip %q; want %d, skip %v", v.name, len(probs), probs, skip, w.problems, w.skip)
				}
				if w.problems > 0 {
					p := probs[0]
					if p.Warning != w.warning || !strings.Contains(p.Message, w.message) {
						t.Errorf("%s: %q (warning %v), want %q (warning %v)", v.name, p.Message, p.Warning, w.message, w.warning)
					}
					if !strings.Contains(p.Evidence, "sent (") || !strings.Contains(p.Evidence, "received:") {
						t.Errorf("%s: evidence lacks what was sent and received:\n%s", v.name, p.Evidence)
					}
					if strings.Contains(p.Evidence, endpointSecret) {
						t.Errorf("%s: evidence leaks the secret", v.name)
					}
				}
			}
			if c.rc.count() != 5 {
				t.Errorf("receiver got %d deliveries, want 5", c.rc.count())
			}
		})
	}
}

func TestSelfTestStopsWhenTheEndpointHangs(t *testing.T) {
	rc := &receiver{hang: true}
	rep := runSelfTest(t, rc, SelfTestOptions{RequestTimeout: 50 * time.Millisecond})
	probs, _ := rep.Delivery()
	if len(probs) != 1 || !strings.Contains(probs[0].Message, "did not answer") {
		t.Fatalf("Delivery = %+v", probs)
	}
	if x := rep.Get(ProbeUnsigned); x.NotSent == "" {
		t.Fatalf("later deliveries were still sent to a hanging endpoint")
	}
	if rc.count() != 1 {
		t.Fatalf("receiver got %d deliveries, want 1", rc.count())
	}
}

func TestSelfTestRefusesPlainHTTPToARemoteHost(t *testing.T) {
	rep, err := SelfTest(context.Background(), SelfTestOptions{URL: "http://app.example.com/webhooks", Secret: endpointSecret,
		Transport: roundTripFunc(func(*http.Request) (*http.Response, error) { t.Fatal("a request was sent"); return nil, nil })})
	if err != nil {
		t.Fatal(err)
	}
	probs, _ := rep.Delivery()
	if len(probs) != 1 || !strings.Contains(probs[0].Message, "plain http") {
		t.Fatalf("Delivery = %+v", probs)
	}
	for _, f := range []func() ([]Problem, string){rep.RawBody, rep.RequiresSignature, rep.RejectsBadSignature, rep.Duplicates, rep.Redirect} {
		if p, skip := f(); len(p) != 0 || skip == "" {
			t.Errorf("verdict without a delivery: %+v %q", p, skip)
		}
	}
}

func TestSelfTestDeliveriesAreValidEnvelopes(t *testing.T) {
	var bodies [][]byte
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
	}))
	defer srv.Close()
	if _, err := SelfTest(context.Background(), SelfTestOptions{URL: srv.URL, Secret: endpointSecret}); err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 5 {
		t.Fatalf("%d deliveries", len(bodies))
	}
	for i, b := range bodies {
		env, err := webhook.Check(b)
		if err != nil || env.EventType != "meeting.created" || !strings.Contains(string(env.Data), webhook.TestMarker) {
			t.Errorf("delivery %d: %v %s", i, err, b)
		}
	}
	if string(bodies[0]) != string(bodies[1]) {
		t.Errorf("the duplicate differs from the first delivery")
	}
	if !strings.Contains(string(bodies[2]), "\n  ") || !strings.Contains(string(bodies[2]), `\u2013`) {
		t.Errorf("the reformatted delivery is not pretty-printed with \\u escapes: %s", bodies[2])
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
