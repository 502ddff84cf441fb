package sandbox_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

// Example starts a sandbox, mints a token for the seeded user and calls the
// user API with it, then lets the clock run past the token's 24 hours. In
// a test, prefer sandbox.NewTest(t, opts), which stops the server at cleanup.
func Example() {
	clock := sandbox.NewFakeClock(sandbox.TestEpoch)
	sb := sandbox.New(sandbox.Options{Clock: clock, Seed: 1})
	base, stop, err := sb.Start()
	if err != nil {
		panic(err)
	}
	defer stop()

	tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"profile"}})
	get := func(path string) (int, map[string]any) {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body
	}
	status, profile := get("/v1/partner/user/profile")
	fmt.Println(status, profile["email"])

	status, body := get("/v1/partner/user/meetings")
	fmt.Println(status, body["code"])

	sb.Advance(24 * time.Hour)
	status, body = get("/v1/partner/user/profile")
	fmt.Println(status, body["code"])
	// Output:
	// 200 ada@example.com
	// 403 insufficient_scope
	// 401 invalid_token
}

// ExampleSandbox_AddFault makes the token endpoint answer 503 once, the way
// a probe test checks that a client copes with a server error.
func ExampleSandbox_AddFault() {
	sb := sandbox.New(sandbox.Options{Seed: 1})
	base, stop, _ := sb.Start()
	defer stop()
	_, _ = sb.AddFault(sandbox.FaultRule{Method: "POST", Path: "/oauth2/token", Kind: sandbox.FaultStatus, Status: 503, Times: 1})
	app := sb.DefaultApp()
	for i := 0; i < 2; i++ {
		body := url.Values{"grant_type": {"client_credentials"}}.Encode()
		req, _ := http.NewRequest("POST", base+"/oauth2/token", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(app.ClientID, app.ClientSecret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(resp.StatusCode)
	}
	// Output:
	// 503
	// 200
}
