package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// TestRecoveredPanicIsAnErrorResponse: a handler bug becomes a 500 in the
// documented shape with a request_id, and the panic value (which could hold
// a secret) stays out of the body.
func TestRecoveredPanicIsAnErrorResponse(t *testing.T) {
	s := New(Options{Seed: 9})
	s.routes = append(s.routes, &route{method: "GET", path: contio.UserPrefix + "/boom", class: contio.ClassUser,
		h: func(http.ResponseWriter, *http.Request) *apiError { panic("secret-canary-value") }})
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", contio.UserPrefix+"/boom", nil))
	var body map[string]string
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	if rec.Code != 500 || body["code"] != CodeInternal || body["error"] == "" || !strings.HasPrefix(body["request_id"], "req_") {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "secret-canary-value") {
		t.Fatal("the panic value leaked into the response")
	}
	if got := s.Requests(); len(got) != 1 || got[0].Status != 500 {
		t.Fatalf("request log: %+v", got)
	}
}

// TestRoutesAgreeWithTheCatalogue: every simulated operation is one the
// catalogue lists with the same class and scope, so scope checks and the
// request log's class cannot drift from what the checks believe.
func TestRoutesAgreeWithTheCatalogue(t *testing.T) {
	if len(contio.Endpoints) == 0 {
		t.Skip("the endpoint catalogue is empty")
	}
	s := New(Options{})
	for _, rt := range s.routes {
		if rt.own {
			continue
		}
		ep, _ := contio.Lookup(rt.method, rt.path)
		if ep == nil {
			t.Errorf("%s %s is simulated but not in the catalogue", rt.method, rt.path)
			continue
		}
		if ep.Class != rt.class || ep.Scope != rt.scope {
			t.Errorf("%s %s: sandbox class %s scope %q, catalogue class %s scope %q", rt.method, rt.path, rt.class, rt.scope, ep.Class, ep.Scope)
		}
	}
}

// TestEveryPageTemplateRenders: the templates parse on first use, so a
// broken one would panic in the middle of a sign-in; render each here.
func TestEveryPageTemplateRenders(t *testing.T) {
	s := New(Options{Seed: 3})
	d := pageData{Title: "T", Email: "ada@example.com", AppName: "App", ErrorCode: "invalid_code",
		Error: "M.", RequestID: "req_1", Scopes: []scopeView{{ID: "profile", Name: "profile", Grants: "your profile"}},
		Hidden:   []hiddenField{{"client_id", "sbx_client_x"}},
		Messages: []InboxMessage{{To: "ada@example.com", Code: "123456"}}}
	for _, name := range []string{"email.html", "otp.html", "consent.html", "error.html", "inbox.html"} {
		rec := httptest.NewRecorder()
		s.renderPage(rec, http.StatusOK, name, d)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "ada@example.com") && !strings.Contains(rec.Body.String(), "req_1") {
			t.Errorf("%s: %d %s", name, rec.Code, rec.Body)
		}
	}
}

// TestCatalogueOperationsAreServed: every operation in the endpoint
// catalogue has a sandbox route, but for the few listed here with the
// reason, which answer 501 after authentication.
func TestCatalogueOperationsAreServed(t *testing.T) {
	unserved := map[string]string{ // the browser SSO flow: the SDK only builds its entry URL
		"GET /v1/partner/sso/initiate":             "redirects a browser to the partner's identity provider",
		"GET /v1/partner/sso/session/{session_id}": "status of that browser flow",
		"GET /v1/partner/sso/callback":             "the identity provider's redirect back",
	}
	s := New(Options{Seed: 9})
	var missing []string
	for _, ep := range contio.Endpoints {
		path := strings.NewReplacer("{", "x", "}", "").Replace(ep.Path)
		if rt, _, _ := s.match(ep.Method, path); rt == nil {
			if _, ok := unserved[ep.Method+" "+ep.Path]; !ok {
				missing = append(missing, ep.Method+" "+ep.Path)
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("catalogue operations without a sandbox route:\n  %s", strings.Join(missing, "\n  "))
	}
}
