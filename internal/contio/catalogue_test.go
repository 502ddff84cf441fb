package contio

import (
	"slices"
	"strings"
	"testing"
)

func TestLookupConcretePaths(t *testing.T) {
	tests := []struct {
		method, path string
		want         string // template; "" when no endpoint matches
		auth         Auth
		scope        string
	}{
		{"GET", "/v1/partner/user/meetings/9f1c2d3e-0000-4000-8000-000000000001", UserPrefix + "/meetings/{id}", AuthBearer, "meetings:read"},
		{"GET", "/v1/partner/user/meetings?limit=1", UserPrefix + "/meetings", AuthBearer, "meetings:read"},
		{"GET", "/v1/partner/user/meetings/", UserPrefix + "/meetings", AuthBearer, "meetings:read"},
		{"DELETE", "/v1/partner/user/meetings/m1/participants/p2", UserPrefix + "/meetings/{id}/participants/{participantId}", AuthBearer, "meetings:write"},
		{"PUT", "/v1/partner/user/sessions/s1", UserPrefix + "/sessions/{id}", AuthBearer, "chat:write"},
		{"GET", "/v1/partner/admin/webhook-deliveries/d-42", AdminPrefix + "/webhook-deliveries/{deliveryId}", AuthAPIKey, ""},
		{"POST", "/oauth2/token", "/oauth2/token", AuthBasic, ""},
		{"GET", "/oauth2/userInfo", "/oauth2/userInfo", AuthBearer, ""},
		{"GET", "/oauth2/userinfo", "", "", ""}, // paths are case-sensitive
		{"GET", "/v1/partner/info/abc123/public", "/v1/partner/info/{client_id}/public", AuthNone, ""},
		{"GET", "/.well-known/jwks.json", "/.well-known/jwks.json", AuthNone, ""},
	}
	for _, tt := range tests {
		ep, _ := Lookup(tt.method, tt.path)
		if tt.want == "" {
			if ep != nil {
				t.Errorf("Lookup(%s %s) = %s, want no endpoint", tt.method, tt.path, ep.Path)
			}
			continue
		}
		if ep == nil {
			t.Errorf("Lookup(%s %s) = nil, want %s", tt.method, tt.path, tt.want)
			continue
		}
		if ep.Path != tt.want || ep.Auth != tt.auth || ep.Scope != tt.scope {
			t.Errorf("Lookup(%s %s) = %s auth %s scope %q, want %s auth %s scope %q",
				tt.method, tt.path, ep.Path, ep.Auth, ep.Scope, tt.want, tt.auth, tt.scope)
		}
	}
}

func TestLookupMethodNotAllowed(t *testing.T) {
	tests := []struct {
		method, path string
		allowed      []string
	}{
		{"GET", "/oauth2/token", []string{"POST"}},
		{"GET", "/auth/initiate", []string{"POST"}},
		{"GET", "/oauth2/introspect", []string{"POST"}},
		{"POST", "/v1/partner/user/profile", []string{"GET"}},
		{"POST", "/v1/partner/admin/toolkits/t1", []string{"DELETE", "GET", "PATCH", "PUT"}},
	}
	for _, tt := range tests {
		ep, allowed := Lookup(tt.method, tt.path)
		slices.Sort(allowed)
		if ep != nil || !slices.Equal(allowed, tt.allowed) {
			t.Errorf("Lookup(%s %s) = %v, allowed %v; want nil, allowed %v", tt.method, tt.path, ep, allowed, tt.allowed)
		}
		if got := AllowedMethods(tt.path); !slices.Equal(got, tt.allowed) {
			t.Errorf("AllowedMethods(%s) = %v, want %v", tt.path, got, tt.allowed)
		}
	}
	if _, allowed := Lookup("GET", "/v1/partner/user/nothing-here"); len(allowed) != 0 {
		t.Errorf("unknown path: allowed = %v, want none", allowed)
	}
}

func TestLookupLiteralBeatsParam(t *testing.T) {
	ep, _ := Lookup("POST", AdminPrefix+"/toolkits/export")
	if ep == nil || ep.Path != AdminPrefix+"/toolkits/export" {
		t.Fatalf("POST /toolkits/export matched %v, want the export endpoint", ep)
	}
	ep, _ = Lookup("GET", AdminPrefix+"/credentials/history")
	if ep == nil || ep.Path != AdminPrefix+"/credentials/history" {
		t.Fatalf("GET /credentials/history matched %v", ep)
	}
	if got := Template(AdminPrefix + "/toolkits/export"); got != AdminPrefix+"/toolkits/export" {
		t.Errorf("Template(/toolkits/export) = %s", got)
	}
	if got := Template(AdminPrefix + "/toolkits/tk_1"); got != AdminPrefix+"/toolkits/{toolkitId}" {
		t.Errorf("Template(/toolkits/tk_1) = %s", got)
	}
}

func TestUserEndpointsHaveKnownScopes(t *testing.T) {
	for _, e := range Endpoints {
		if e.Class != ClassUser {
			if e.Scope != "" {
				t.Errorf("%s %s: non-user endpoint with scope %q", e.Method, e.Path, e.Scope)
			}
			continue
		}
		if !KnownScope(e.Scope) {
			t.Errorf("%s %s: scope %q is not in Scopes", e.Method, e.Path, e.Scope)
		}
		if e.Write != strings.HasSuffix(e.Scope, ":write") && e.Scope != "profile" {
			t.Errorf("%s %s: write=%v but scope %q", e.Method, e.Path, e.Write, e.Scope)
		}
		if e.Auth != AuthBearer {
			t.Errorf("%s %s: user endpoint with auth %s", e.Method, e.Path, e.Auth)
		}
	}
}

func TestWritesAreNeverSafeProbes(t *testing.T) {
	for _, e := range Endpoints {
		if e.Write && e.SafeProbe {
			t.Errorf("%s %s is a write marked SafeProbe", e.Method, e.Path)
		}
	}
	// The facts sheet's never-probe list.
	for _, m := range [][2]string{
		{"POST", "/auth/initiate"}, {"POST", "/auth/verify"}, {"POST", "/oauth2/revoke"},
		{"POST", "/oauth2/authorize"}, {"POST", AdminPrefix + "/idp/domains/example.com/verify"},
		{"POST", AdminPrefix + "/idp/domains/example.com/check"}, {"POST", "/oauth2/token"},
	} {
		ep, _ := Lookup(m[0], m[1])
		if ep == nil || ep.SafeProbe {
			t.Errorf("%s %s: endpoint %v must exist and not be a safe probe", m[0], m[1], ep)
		}
	}
	for _, m := range [][2]string{
		{"GET", "/.well-known/openid_configuration"}, {"GET", "/.well-known/jwks.json"},
		{"GET", "/oauth2/health"}, {"GET", "/v1/partner/info/cid/public"}, {"GET", "/oauth2/scopes"},
		{"POST", "/oauth2/introspect"}, {"GET", UserPrefix + "/profile"}, {"GET", AdminPrefix + "/app"},
		{"GET", AdminPrefix + "/webhook-deliveries"}, {"GET", AdminPrefix + "/connections"},
	} {
		ep, _ := Lookup(m[0], m[1])
		if ep == nil || !ep.SafeProbe {
			t.Errorf("%s %s: want a safe probe, got %v", m[0], m[1], ep)
		}
	}
}

func TestDriftSpellingsBothPresent(t *testing.T) {
	pairs := [][3]string{
		{"GET", AdminPrefix + "/automations", AdminPrefix + "/automation"},
		{"DELETE", AdminPrefix + "/automations/a1", AdminPrefix + "/automation/a1"},
		{"PUT", AdminPrefix + "/app/webhook-status", AdminPrefix + "/webhook-status"},
		{"PUT", AdminPrefix + "/app/webhook-filter", AdminPrefix + "/webhook-filter"},
		{"DELETE", AdminPrefix + "/app/webhook-filter", AdminPrefix + "/webhook-filter"},
		{"DELETE", UserPrefix + "/toolkits/t1/uninstall", UserPrefix + "/workspaces/w1/toolkits/t1"},
		{"GET", "/.well-known/openid_configuration", "/.well-known/openid-configuration"},
	}
	for _, p := range pairs {
		a, _ := Lookup(p[0], p[1])
		b, _ := Lookup(p[0], p[2])
		if a == nil || b == nil {
			t.Errorf("%s %s / %s: both spellings must be served, got %v and %v", p[0], p[1], p[2], a, b)
			continue
		}
		if a.Spelling == "" || b.Spelling == "" || a.Spelling == b.Spelling {
			t.Errorf("%s %s / %s: spellings %q and %q", p[0], p[1], p[2], a.Spelling, b.Spelling)
		}
		if a.AltPath != b.Path || b.AltPath != a.Path {
			t.Errorf("%s: AltPath %s / %s do not point at each other", p[0], a.AltPath, b.AltPath)
		}
		if Alternate(a) != b || Alternate(b) != a {
			t.Errorf("%s %s: Alternate does not pair the spellings", p[0], p[1])
		}
	}
	put, _ := Lookup("PUT", AdminPrefix+"/toolkits/t1")
	patch, _ := Lookup("PATCH", AdminPrefix+"/toolkits/t1")
	if put == nil || patch == nil || put.Spelling != SpellingSDK || patch.Spelling != SpellingSpec {
		t.Fatalf("toolkit update: PUT %v, PATCH %v", put, patch)
	}
	if Alternate(put) != patch || Alternate(patch) != put {
		t.Errorf("toolkit update: Alternate does not pair PUT and PATCH")
	}
}

func TestNoDuplicateOperations(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range Endpoints {
		k := e.Method + " " + e.Path
		if seen[k] {
			t.Errorf("duplicate %s", k)
		}
		seen[k] = true
		if e.Summary == "" || e.Class == "" || e.Auth == "" || e.Host == "" {
			t.Errorf("%s: incomplete row %+v", k, e)
		}
		if e.Class == ClassAdmin && e.Auth != AuthAPIKey {
			t.Errorf("%s: admin endpoint with auth %s", k, e.Auth)
		}
	}
}

func TestScopeFor(t *testing.T) {
	tests := []struct{ method, path, want string }{
		{"GET", UserPrefix + "/action-items/ai_1", "action-items:read"},
		{"POST", UserPrefix + "/meetings/m1/context", "context:write"},
		{"GET", UserPrefix + "/profile", "profile"},
		{"GET", AdminPrefix + "/app", ""},
		{"GET", "/nowhere", ""},
	}
	for _, tt := range tests {
		if got := ScopeFor(tt.method, tt.path); got != tt.want {
			t.Errorf("ScopeFor(%s %s) = %q, want %q", tt.method, tt.path, got, tt.want)
		}
	}
}

func TestClientAuthenticated(t *testing.T) {
	for path, want := range map[string]bool{
		"/oauth2/token": true, "/oauth2/introspect": true, "/oauth2/revoke": true,
		"/oauth2/check-consent": true, "/auth/initiate": true, "/auth/verify": true,
	} {
		ep, _ := Lookup("POST", path)
		if IsClientAuthenticated(ep) != want {
			t.Errorf("IsClientAuthenticated(%s) = %v", path, !want)
		}
	}
	ep, _ := Lookup("GET", "/oauth2/userInfo")
	if IsClientAuthenticated(ep) || IsClientAuthenticated(nil) {
		t.Error("userInfo (bearer) and nil must not be client-authenticated")
	}
}

func TestNearestPath(t *testing.T) {
	tests := []struct {
		path  string
		want  string
		maxD  int
		exact bool
	}{
		{UserPrefix + "/actionitems", UserPrefix + "/action-items", 1, false},
		{UserPrefix + "/action_items/ai_77", UserPrefix + "/action-items/{id}", 1, false},
		{"/oauth2/userinfo", "/oauth2/userInfo", 1, false},
		{UserPrefix + "/meeting/123", UserPrefix + "/meetings/{id}", 1, false},
		{AdminPrefix + "/webhook_deliveries", AdminPrefix + "/webhook-deliveries", 1, false},
		{"/v1/partner/user/meetings/abc/participants/", UserPrefix + "/meetings/{id}/participants", 0, true},
		{"/oauth/token", "/oauth2/token", 1, false},
		{"/v1/partner/users/profile", UserPrefix + "/profile", 1, false},
	}
	for _, tt := range tests {
		got, d := NearestPath(tt.path)
		if got != tt.want || d > tt.maxD || (tt.exact && d != 0) {
			t.Errorf("NearestPath(%s) = %s, %d; want %s within %d", tt.path, got, d, tt.want, tt.maxD)
		}
	}
}

func FuzzNearestPath(f *testing.F) {
	for _, s := range []string{"", "/", "//", "/v1/partner/user/meetings/{", "?x", "/oauth2/token?a=b", "\xff/\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got, d := NearestPath(p)
		if got == "" || d < 0 {
			t.Fatalf("NearestPath(%q) = %q, %d", p, got, d)
		}
		Lookup("GET", p)
		Template(p)
	})
}

func BenchmarkLookup(b *testing.B) {
	for b.Loop() {
		Lookup("GET", UserPrefix+"/meetings/9f1c2d3e/participants")
	}
}

func TestSafeProbesAreReadsOrIntrospection(t *testing.T) {
	ps := SafeProbes()
	if len(ps) < 20 {
		t.Fatalf("only %d safe probes", len(ps))
	}
	for _, e := range ps {
		if e.Method != "GET" && e.Path != "/oauth2/introspect" {
			t.Errorf("%s %s: only GETs and introspection are safe", e.Method, e.Path)
		}
	}
}

// The rules each class of row follows. The table is a literal (laid out as
// data, no init code), so these hold it to what the constructors that once
// built it derived from method and class.
func TestCatalogueRowsFollowTheirClass(t *testing.T) {
	for _, e := range Endpoints {
		op := e.Method + " " + e.Path
		switch e.Class {
		case ClassOAuth:
			wantWrite := e.Method == "POST" && e.Path != "/oauth2/introspect" && e.Path != "/oauth2/check-consent"
			if e.Host != HostAuth || e.Write != wantWrite || e.Scope != "" {
				t.Errorf("%s: OAuth rows are on the auth host, write iff a POST other than introspect and check-consent, without a scope", op)
			}
		case ClassPublic:
			if e.Method != "GET" || e.Auth != AuthNone || e.Write || e.Scope != "" {
				t.Errorf("%s: public rows are unauthenticated GETs", op)
			}
		case ClassUser, ClassAdmin:
			prefix, auth := UserPrefix+"/", AuthBearer
			if e.Class == ClassAdmin {
				prefix, auth = AdminPrefix+"/", AuthAPIKey
			}
			if !strings.HasPrefix(e.Path, prefix) || e.Auth != auth || e.Host != HostAPI {
				t.Errorf("%s: %s rows are under %s on the API host with %s", op, e.Class, prefix, auth)
			}
			if e.Write != (e.Method != "GET") || (e.SafeProbe && e.Method != "GET") {
				t.Errorf("%s: %s rows write iff not a GET, and only a GET is a safe probe", op, e.Class)
			}
			if (e.Class == ClassAdmin) != (e.Scope == "") {
				t.Errorf("%s: user rows name a scope, admin rows none", op)
			}
		default:
			t.Errorf("%s: unknown class %q", op, e.Class)
		}
	}
}
