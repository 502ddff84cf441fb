package sandbox_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

// BenchmarkUserAPIList measures one authenticated, scope-checked,
// paginated list call through the whole middleware, in memory.
func BenchmarkUserAPIList(b *testing.B) {
	sb := sandbox.New(sandbox.Options{Seed: 1, Limits: sandbox.Limits{Off: true}})
	tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"meetings:read"}})
	h := sb.Handler()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/v1/partner/user/meetings?limit=100", nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Body)
		}
	}
}

// BenchmarkClientCredentials measures a token grant with Basic client auth.
func BenchmarkClientCredentials(b *testing.B) {
	sb := sandbox.New(sandbox.Options{Seed: 1, Limits: sandbox.Limits{Off: true}})
	app := sb.DefaultApp()
	h := sb.Handler()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/oauth2/token", strings.NewReader("grant_type=client_credentials&scope=profile"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(app.ClientID, app.ClientSecret)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Body)
		}
	}
}
