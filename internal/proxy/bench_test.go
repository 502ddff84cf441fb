package proxy

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/har"
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

// BenchmarkDiagnose10k times one diagnosis of a session of 10,000
// recorded calls (user-API GETs with small JSON answers): what each
// background pass costs once a session is long. The loop rests four
// times as long as a pass takes, so this bounds its share of a core.
func BenchmarkDiagnose10k(b *testing.B) {
	u, _ := url.Parse("http://127.0.0.1:9")
	s, err := NewSession(SessionOptions{Proxy: Options{Upstream: u}})
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Date(2026, 5, 6, 7, 0, 0, 0, time.UTC)
	for i := range 10_000 {
		at := t0.Add(time.Duration(i) * 700 * time.Millisecond)
		rec := har.Record{
			StartedDateTime: at.Format("2006-01-02T15:04:05.000Z07:00"), Time: 12,
			Request: har.RecordRequest{Method: "GET", URL: "http://127.0.0.1:9/v1/partner/user/meetings?limit=25", HTTPVersion: "HTTP/1.1",
				Headers: []har.NameValue{{Name: "Authorization", Value: "Bearer cto_at_v1_bench0123456789"}, {Name: "Accept", Value: "application/json"}},
				Cookies: []har.NameValue{}, QueryString: []har.NameValue{{Name: "limit", Value: "25"}}, HeadersSize: -1},
			Response: har.RecordResponse{Status: 200, StatusText: "OK", HTTPVersion: "HTTP/1.1", Cookies: []har.NameValue{},
				Headers: []har.NameValue{{Name: "Content-Type", Value: "application/json"}},
				Content: har.Content{Size: 900, MimeType: "application/json", Text: `{"meetings":[` + strings.Repeat(`{"id":"m_1","title":"Weekly sync"},`, 24) + `{"id":"m_2"}]}`}, HeadersSize: -1},
			Timings: har.Timings{Wait: 12},
		}
		s.proxy.records = append(s.proxy.records, rec)
		s.proxy.starts = append(s.proxy.starts, at)
	}
	for b.Loop() {
		if _, _, err := s.Diagnose(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
