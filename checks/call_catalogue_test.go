package checks

import (
	"context"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// Test helpers for the catalogue-backed checks (CD30xx, CD31xx, CD40xx-CD42xx).

func val(raw string) integration.Value {
	return integration.Value{Raw: raw, Set: true, From: integration.Source{File: "contio-doctor.yaml", Line: 7, Column: 3}}
}

func envVal(name, raw string) integration.Value {
	return integration.Value{Raw: raw, Set: true, From: integration.Source{EnvVar: name}}
}

// testCall is a declared call at line 20 of the config.
func testCall(name, method, path, auth string, headers ...string) integration.Call {
	c := integration.Call{
		Name: val(name), Method: val(method), Auth: val(auth),
		At: integration.Source{File: "contio-doctor.yaml", Line: 20, Column: 5},
	}
	p, q, _ := strings.Cut(path, "?")
	c.Path = val(p)
	if q != "" {
		c.Query = val(q)
	}
	for _, h := range headers {
		c.Headers = append(c.Headers, val(h))
	}
	return c
}

func scopesOf(s ...string) []integration.Value {
	out := make([]integration.Value, len(s))
	for i, x := range s {
		out[i] = val(x)
	}
	return out
}

// runByID runs one registered check on ig.
func runByID(t *testing.T, id string, ig *integration.Integration) []Finding {
	t.Helper()
	c, ok := Lookup(id)
	if !ok {
		t.Fatalf("check %s is not registered", id)
	}
	fs, err := c.Run(context.Background(), &Input{Integration: ig})
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	return fs
}

// expectFindings checks the number of findings and that each message
// contains every wanted fragment, in order of findings.
func expectFindings(t *testing.T, name string, got []Finding, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		msgs := make([]string, len(got))
		for i, f := range got {
			msgs[i] = f.Message
		}
		t.Fatalf("%s: %d findings %q, want %d %q", name, len(got), msgs, len(want), want)
	}
	for i, w := range want {
		for _, frag := range strings.Split(w, "|") {
			if !strings.Contains(got[i].Message, frag) {
				t.Errorf("%s: finding %d %q lacks %q", name, i, got[i].Message, frag)
			}
		}
		if got[i].Location.IsZero() {
			t.Errorf("%s: finding %d has no location", name, i)
		}
	}
}

func TestCallAuthFallsBackToHeaders(t *testing.T) {
	c := testCall("x", "GET", "/v1/partner/user/meetings", "")
	c.Auth = integration.Value{}
	c.Authorization = val("bearer cto_at_v1_x")
	if got := callAuth(c); got != integration.AuthBearer {
		t.Errorf("callAuth(lower-case bearer) = %q", got)
	}
	c.Authorization = integration.Value{}
	c.Headers = scopesOf("x-api-key")
	if got := callAuth(c); got != integration.AuthAPIKey {
		t.Errorf("callAuth(X-API-Key header) = %q", got)
	}
}

func TestExampleCurl(t *testing.T) {
	ig := &integration.Integration{APIURL: val("https://api.contio.ai/"), AuthURL: val("https://auth.contio.ai")}
	tests := map[string]string{
		"GET /v1/partner/admin/app":          `curl "https://api.contio.ai/v1/partner/admin/app" -H "X-API-Key: $CONTIO_API_KEY" -H "X-Client-ID: $CONTIO_CLIENT_ID"`,
		"POST /oauth2/token":                 `curl -X POST "https://auth.contio.ai/oauth2/token" -u "$CONTIO_CLIENT_ID:$CONTIO_CLIENT_SECRET" -d grant_type=authorization_code -d code="$CODE" -d redirect_uri="$CONTIO_REDIRECT_URI"`,
		"GET /v1/partner/user/meetings/{id}": `curl "https://api.contio.ai/v1/partner/user/meetings/<id>" -H "Authorization: Bearer $CONTIO_ACCESS_TOKEN"`,
	}
	for in, want := range tests {
		m, p, _ := strings.Cut(in, " ")
		if got := exampleCurl(ig, m, p); got != want {
			t.Errorf("exampleCurl(%s)\n got %s\nwant %s", in, got, want)
		}
	}
}

func TestObservedCallsToOtherHostsAreIgnored(t *testing.T) {
	c := testCall("partner backend", "GET", "/oauth2/token", "bearer")
	c.Host = val("app.example.com")
	ig := &integration.Integration{Calls: []integration.Call{c}}
	for _, id := range []string{"CD4001", "CD4002", "CD4101"} {
		expectFindings(t, id, runByID(t, id, ig))
	}
	c.Host = val("auth.contio.ai")
	ig.Calls[0] = c
	expectFindings(t, "CD4001 on contio", runByID(t, "CD4001", ig), "serves only POST")
}
