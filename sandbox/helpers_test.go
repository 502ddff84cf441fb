package sandbox_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

// reply is a decoded response.
type reply struct {
	Status int
	Header http.Header
	Raw    string
	JSON   map[string]any
}

func (r reply) str(key string) string { s, _ := r.JSON[key].(string); return s }

// call sends one request the way a client on the wire would.
func call(t *testing.T, method, rawURL string, header map[string]string, body string) reply {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := reply{Status: resp.StatusCode, Header: resp.Header, Raw: string(b)}
	_ = json.Unmarshal(b, &out.JSON)
	return out
}

// basic is the SDK's header: base64 of id:secret with nothing URL-encoded.
func basic(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// formH and jsonH are the headers the official SDK sends on OAuth calls.
func formH(authz string) map[string]string {
	return map[string]string{"Authorization": authz, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "axios/1.12.2"}
}

func jsonH(authz string) map[string]string {
	return map[string]string{"Authorization": authz, "Content-Type": "application/json", "User-Agent": "axios/1.12.2"}
}

func bearerH(tok string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + tok, "Content-Type": "application/json", "User-Agent": "@contio/partner-sdk/1.9.0"}
}

// wantError asserts an error response: status, code and a request_id.
func wantError(t *testing.T, r reply, status int, code string) {
	t.Helper()
	if r.Status != status || r.str("code") != code {
		t.Fatalf("got %d %q, want %d %q; body %s", r.Status, r.str("code"), status, code, r.Raw)
	}
	if !strings.HasPrefix(r.str("request_id"), "req_") {
		t.Fatalf("error without a request_id: %s", r.Raw)
	}
	if r.str("message") == "" {
		t.Fatalf("error without a message: %s", r.Raw)
	}
}

// signIn runs initiate and verify through the JSON endpoints and returns
// the e-mail that now has a session.
func signIn(t *testing.T, sb *sandbox.Sandbox, app sandbox.App, email string) {
	t.Helper()
	init := call(t, "POST", sb.URL()+"/auth/initiate", jsonH(basic(app.ClientID, app.ClientSecret)),
		jsonBody(t, map[string]any{"client_id": app.ClientID, "email": email}))
	if init.Status != 200 || init.str("session") == "" {
		t.Fatalf("initiate: %d %s", init.Status, init.Raw)
	}
	v := call(t, "POST", sb.URL()+"/auth/verify", jsonH(basic(app.ClientID, app.ClientSecret)),
		jsonBody(t, map[string]any{"client_id": app.ClientID, "email": email, "code": sb.LastOTP(email), "session": init.str("session")}))
	if v.Status != 200 {
		t.Fatalf("verify: %d %s", v.Status, v.Raw)
	}
}

// authorize grants scopes through the JSON consent endpoint and returns the code.
func authorize(t *testing.T, sb *sandbox.Sandbox, app sandbox.App, email, scope string) string {
	t.Helper()
	r := call(t, "POST", sb.URL()+"/oauth2/authorize", jsonH(""), jsonBody(t, map[string]any{
		"client_id": app.ClientID, "email": email, "redirect_uri": app.RedirectURIs[0], "response_type": "code",
		"scope": scope, "state": "xyz", "consent": true,
	}))
	if r.Status != 200 || r.str("code") == "" {
		t.Fatalf("authorize: %d %s", r.Status, r.Raw)
	}
	return r.str("code")
}

func exchange(t *testing.T, sb *sandbox.Sandbox, app sandbox.App, code string) reply {
	t.Helper()
	return call(t, "POST", sb.URL()+"/oauth2/token", formH(basic(app.ClientID, app.ClientSecret)),
		form("grant_type", "authorization_code", "code", code, "redirect_uri", app.RedirectURIs[0]))
}

// refresh sends the SDK's refresh grant for rt.
func refresh(t *testing.T, sb *sandbox.Sandbox, app sandbox.App, rt string) reply {
	t.Helper()
	return call(t, "POST", sb.URL()+"/oauth2/token", formH(basic(app.ClientID, app.ClientSecret)),
		form("grant_type", "refresh_token", "refresh_token", rt))
}

// atOnce runs f n times in parallel, released together, and counts the
// statuses it returns.
func atOnce(n int, f func() int) map[int]int {
	var wg sync.WaitGroup
	statuses := make(chan int, n)
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses <- f()
		}()
	}
	close(start)
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	return count
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
