package proxy

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"
)

// BenchmarkOverhead measures what the proxy adds to a request on
// loopback: the same small JSON GET straight to an httptest server and
// through a proxy session (recording, and diagnosing in the background as
// `contio-doctor proxy` does). It reports the median latency of each and
// their difference; the bar is 1 ms at the median.
//
//	go test ./internal/proxy -run '^$' -bench Overhead -benchtime 5000x
func BenchmarkOverhead(b *testing.B) {
	body := []byte(`{"id":"usr_1","display_name":"Ada","email":"ada@example.com","workspace_id":"ws_1"}`)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer up.Close()
	u, _ := url.Parse(up.URL)
	s, err := NewSession(SessionOptions{Proxy: Options{Upstream: u}})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Start(ctx)
	px := httptest.NewServer(s.Handler())
	defer px.Close()

	medians := map[string]time.Duration{}
	for _, target := range []struct{ name, base string }{{"direct", up.URL}, {"proxy", px.URL}} {
		b.Run(target.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			lat := make([]time.Duration, 0, b.N)
			for b.Loop() {
				req, _ := http.NewRequest("GET", target.base+"/v1/partner/user/profile", nil)
				req.Header.Set("Authorization", "Bearer at_bench_0123456789abcdef")
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat = append(lat, time.Since(t0))
			}
			slices.Sort(lat)
			med := lat[len(lat)/2]
			medians[target.name] = med
			b.ReportMetric(float64(med.Microseconds()), "median-µs")
		})
	}
	if d, ok := medians["direct"]; ok {
		if p, ok := medians["proxy"]; ok {
			b.Logf("median added by the proxy: %s (direct %s, through the proxy %s)", p-d, d, p)
		}
	}
}
