package doctor

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
)

// TestLiveNotesDescribeConnectionAndQuota: a live report says, per host,
// how the connection went (TLS version, certificate expiry) and how much
// rate-limit quota is left, even when every check passes.
func TestLiveNotesDescribeConnectionAndQuota(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "20")
		w.Header().Set("X-RateLimit-Remaining", "19")
		w.Header().Set("X-RateLimit-Reset", "1800000000")
		w.WriteHeader(http.StatusNotFound)
	}))
	defer srv.Close()
	ig := &integration.Integration{
		APIURL:  integration.Value{Raw: srv.URL, Set: true},
		AuthURL: integration.Value{Raw: srv.URL, Set: true},
	}
	live := checks.NewLive(ig, probe.Options{InsecureSkipVerify: true})
	rep, err := Run(context.Background(), ig, Options{
		Checks: checks.Options{Only: []string{"CD6501", "CD6502"}},
		FailOn: checks.SeverityError, Live: true, Shared: live, RunID: "t",
		Clock: func() time.Time { return time.Now() },
	})
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(rep.Notes, "\n")
	host := strings.TrimPrefix(srv.URL, "https://")
	for _, want := range []string{host + " answered in ", "TLS 1.3", "certificate valid until", "rate limit, public endpoints: 19 of 20"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}
