package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzHandler sends arbitrary requests to the whole sandbox: whatever
// arrives, the answer is never a recovered panic, and every error is JSON
// with a code and a request_id, or an HTML page for a browser that names
// its code in <meta name="contio-error">. A ctype ending in "+browser"
// sends that Content-Type with a browser's Accept header.
func FuzzHandler(f *testing.F) {
	seeds := []struct{ method, path, query, authz, ctype, body string }{
		{"GET", "/sign-in", "client_id=x&redirect_uri=%zz&code_challenge=a", "", "+browser", ""},
		{"POST", "/auth/initiate", "", "", "application/x-www-form-urlencoded+browser", "client_id=sbx&redirect_uri=http://localhost:3000/callback&email=a@b"},
		{"POST", "/auth/verify", "", "", "application/x-www-form-urlencoded+browser", "client_id=&email=&code=1&session=%zz"},
		{"POST", "/oauth2/authorize", "", "", "application/x-www-form-urlencoded+browser", "scope=openid&scope=profile&consent=true"},
		{"GET", "/oauth2/authorize", "response_type=code&code_challenge_method=plain", "", "+browser", ""},
		{"POST", "/oauth2/token", "", "Basic " + base64.StdEncoding.EncodeToString([]byte("a:b")), "application/x-www-form-urlencoded", "grant_type=authorization_code&code=x"},
		{"POST", "/auth/initiate", "", "", "application/json", `{"client_id":"x","email":"a@b"}`},
		{"POST", "/auth/verify", "", "", "application/json", `{"client_id":1,"email":[],"code":{}}`},
		{"POST", "/oauth2/check-consent", "", "Basic !!!", "application/json", `{"scopes":["a",1,null]}`},
		{"GET", "/oauth2/authorize", "client_id=x&redirect_uri=%zz", "", "", ""},
		{"POST", "/oauth2/authorize", "", "", "application/x-www-form-urlencoded", "flow=x&step=consent"},
		{"GET", "/v1/partner/user/meetings", "limit=-1&offset=x", "Bearer cto_at_v1_x", "", ""},
		{"POST", "/v1/partner/user/meetings", "", "Bearer x", "application/json", `{"title":5}`},
		{"GET", "/v1/partner/admin/webhook-deliveries/%00", "", "", "", ""},
		{"POST", "/_sandbox/faults", "", "", "application/json", `{"kind":"latency","latency":"-1s"}`},
		{"GET", "/.well-known/openid_configuration", "", "", "", ""},
		{"POST", "/v1/partner/user/meetings/MEETING/context", "", "Bearer TOKEN", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--x--"},
		{"POST", "/v1/partner/user/sessions", "", "Bearer TOKEN", "application/json", `{"message":"hi","meeting_id":7,"metadata":{"a":1}}`},
		{"GET", "/v1/partner/user/sessions/x", "turn_limit=0&turn_offset=-1", "Bearer TOKEN", "", ""},
		{"POST", "/v1/partner/user/workflow-runs", "", "Bearer TOKEN", "application/json", `{"workflow_template_id":[],"originating_type":"meeting"}`},
		{"POST", "/v1/partner/user/meeting-templates/x/apply", "", "Bearer TOKEN", "application/json", `{"meeting_id":null}`},
		{"POST", "/v1/partner/user/toolkits/x/install", "", "Bearer TOKEN", "application/json", `{"dry_run":"yes"}`},
		{"POST", "/v1/partner/user/meetings/MEETING/next-steps/x/execute", "", "Bearer TOKEN", "application/json", `[]`},
		{"GET", "/v1/partner/user/meetings/MEETING/transcript/export", "format=vtt", "Bearer TOKEN", "", ""},
		// "Key APPKEY" stands for the admin headers X-API-Key and X-Client-ID.
		{"POST", "/v1/partner/admin/toolkits", "", "Key APPKEY", "application/json", `{"name":"k","slug":"k","version":"1","manifest":{"next_steps":[1,{"spec":[]}]}}`},
		{"POST", "/v1/partner/admin/toolkits/export", "", "Key APPKEY", "application/json", `{"next_step_ids":[1,null]}`},
		{"POST", "/v1/partner/admin/idp", "", "Key APPKEY", "application/json", `{"name":"x","discovery_url":"https://%zz","mode":1}`},
		{"POST", "/v1/partner/admin/credentials/api-key/rotate", "", "Key APPKEY", "application/json", `{"confirmation_token":"x","grace_period_hours":-5}`},
		{"POST", "/v1/partner/admin/automations", "", "Key APPKEY", "application/json", `{"name":"a","trigger_type":"meeting_ended","actions":[{"type":null}]}`},
		{"GET", "/v1/partner/admin/credentials/history", "limit=0", "Key APPKEY", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.query, s.authz, s.ctype, s.body)
	}
	s := New(Options{Seed: 1, Limits: Limits{Off: true}})
	app := s.DefaultApp()
	tok, _ := s.IssueTokens(TokenSpec{Scopes: []string{"meetings:read", "meetings:write", "context:read", "context:write",
		"chat:read", "chat:write", "workflows:read", "workflows:write", "toolkits:read", "toolkits:write"}})
	meetingID := s.st.data[s.st.defaultUser].meetings[0].ID
	f.Fuzz(func(t *testing.T, method, path, query, authz, ctype, body string) {
		if !strings.HasPrefix(path, "/") || strings.Contains(path, "/_sandbox/reset") || strings.Contains(path, "/_sandbox/faults") {
			return // faults would make answers unpredictable on purpose
		}
		authz = strings.NewReplacer("APPKEY", app.APIKey, "TOKEN", tok.AccessToken).Replace(authz)
		path = strings.ReplaceAll(path, "MEETING", meetingID)
		req := &http.Request{Method: method, URL: &url.URL{Path: path, RawQuery: query}, Host: "sandbox.test",
			Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), RemoteAddr: "127.0.0.1:1234", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
		req = req.WithContext(t.Context())
		if key, ok := strings.CutPrefix(authz, "Key "); ok {
			req.Header.Set("X-API-Key", key)
			req.Header.Set("X-Client-ID", app.ClientID)
		} else if authz != "" {
			req.Header.Set("Authorization", authz)
		}
		if c, browser := strings.CutSuffix(ctype, "+browser"); browser {
			req.Header.Set("Accept", "text/html,*/*;q=0.8")
			ctype = c
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code == http.StatusInternalServerError {
			t.Fatalf("%s %s: 500 %s", method, path, rec.Body)
		}
		if rec.Code >= 400 && strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") &&
			!strings.Contains(rec.Body.String(), `<meta name="contio-error" content="`) {
			t.Fatalf("%s %s: %d error page without a machine-readable code: %q", method, path, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			var e map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e["code"] == nil || e["request_id"] == nil {
				t.Fatalf("%s %s: %d with a body that is not a documented error: %q", method, path, rec.Code, rec.Body)
			}
		}
	})
}

// FuzzBasicCredentials: any Authorization value decodes or is refused
// with invalid_client, never a panic; a decoded pair always splits on the
// first colon.
func FuzzBasicCredentials(f *testing.F) {
	for _, s := range []string{"a:b", "a%3Ab:c", "no-colon", "a:b:c", ":", "%zz:%", "id:secret\n"} {
		f.Add("Basic " + base64.StdEncoding.EncodeToString([]byte(s)))
	}
	f.Add("Basic not base64")
	f.Add("Bearer x")
	f.Fuzz(func(t *testing.T, header string) {
		pairs, isBasic, e := basicCredentials(header)
		if e != nil {
			if !isBasic || e.Code != CodeInvalidClient {
				t.Fatalf("%q: %+v", header, e)
			}
			return
		}
		if isBasic && len(pairs) == 0 {
			t.Fatalf("%q: Basic without a reading", header)
		}
		if len(pairs) > 0 && strings.Contains(pairs[0][0], ":") {
			t.Fatalf("%q: client_id %q holds a colon", header, pairs[0][0])
		}
	})
}
