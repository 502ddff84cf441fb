package checks_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/diagnosis"

	_ "github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
)

// TestLiveReportDescribesConnectionAndQuota: a live report says, per host,
// how the connection went (TLS version, certificate expiry) and how much
// rate-limit quota is left, even when every check passes.
func TestLiveReportDescribesConnectionAndQuota(t *testing.T) {
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
	rep, err := diagnosis.Run(context.Background(), ig, diagnosis.Options{
		Only:   []string{"CD6501", "CD6502"},
		FailOn: diagnosis.SeverityError, Probe: probe.New(probe.Options{InsecureSkipVerify: true}), RunID: "t",
	})
	if err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(srv.URL, "https://")
	if len(rep.Connections) != 1 {
		t.Fatalf("connections = %+v, want one for %s", rep.Connections, host)
	}
	c := rep.Connections[0]
	if c.Host != host || c.TLSVersion != "TLS 1.3" || c.CertNotAfter.IsZero() || c.Latency <= 0 {
		t.Errorf("connection = %+v", c)
	}
	if len(rep.Quotas) != 1 || rep.Quotas[0].Class != "public" || rep.Quotas[0].Remaining != 19 || rep.Quotas[0].Limit != 20 {
		t.Errorf("quotas = %+v, want public 19 of 20", rep.Quotas)
	}
}
