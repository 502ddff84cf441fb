package har_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/Contio-AI/contio-doctor/checks" // the catalogue the diagnosis runs
	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/har"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// writeRealisticCapture writes a capture of about size bytes shaped like
// a partner backend's traffic, the case the size targets are set for:
//
//   - 85% user API calls to api.contio.ai (GET /meetings, GET
//     /meetings/{id}, POST /action-items, …) with JSON bodies of 1–4 KB,
//     Bearer tokens;
//   - every 100th entry a refresh (POST /oauth2/token, Basic auth, form
//     body) whose response rotates the access and refresh tokens, so a
//     500 MB capture holds thousands of distinct secrets;
//   - 5% admin calls (X-API-Key and X-Client-ID);
//   - 9% the app's own pages and assets (HTML of about 2 KB).
//
// Timings advance 150 ms per entry, so the rate checks see realistic
// windows rather than one instant.
func writeRealisticCapture(w io.Writer, size int64) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	start := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	note := strings.Repeat(`Discussed the roadmap, owners and dates; \"next steps\" agreed.\n`, 8)
	meeting := func(i, n int) string {
		var b strings.Builder
		b.WriteString(`{\"items\":[`)
		for k := 0; k < n; k++ {
			if k > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{\"id\":\"mtg_%08d_%d\",\"title\":\"Weekly sync %d\",\"starts_at\":\"2026-01-15T10:00:00Z\",\"notes\":\"%s\",\"participants\":[{\"email\":\"ada@example.com\"},{\"email\":\"lin@example.com\"}]}`, i, k, k, note)
		}
		b.WriteString(`],\"next_cursor\":null}`)
		return b.String()
	}
	page := strings.Repeat(`<div class=\"card\"><h2>Meeting</h2><p>Agenda and notes.</p></div>`, 30)
	fmt.Fprint(bw, `{"log":{"version":"1.2","creator":{"name":"bench","version":"1"},"entries":[`)
	var written int64
	access, refresh := "cto_at_v1_gen0000_"+strings.Repeat("a", 24), "cto_rt_v1_gen0000_"+strings.Repeat("r", 24)
	for i := 0; written < size; i++ {
		if i > 0 {
			bw.WriteString(",\n")
		}
		at := start.Add(time.Duration(i) * 150 * time.Millisecond).Format(time.RFC3339Nano)
		var n int
		switch {
		case i%100 == 99:
			newAccess := fmt.Sprintf("cto_at_v1_gen%04d_%024d", i/100, i)
			newRefresh := fmt.Sprintf("cto_rt_v1_gen%04d_%024d", i/100, i)
			n, _ = fmt.Fprintf(bw, `{"startedDateTime":%q,"time":80,"request":{"method":"POST","url":"https://auth.contio.ai/oauth2/token","httpVersion":"HTTP/1.1","headers":[{"name":"Authorization","value":"Basic Y3RwX2NsaWVudF9iZW5jaDpjdHBfc2VjcmV0X2JlbmNoXzAxMjM0NTY3ODk="},{"name":"Content-Type","value":"application/x-www-form-urlencoded"}],"queryString":[],"cookies":[],"postData":{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=refresh_token&refresh_token=%s"},"headersSize":-1,"bodySize":-1},"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[{"name":"Content-Type","value":"application/json"}],"cookies":[],"content":{"size":200,"mimeType":"application/json","text":"{\"access_token\":\"%s\",\"refresh_token\":\"%s\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"openid profile meetings:read action-items:write\"}"},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":0,"wait":80,"receive":0}}`,
				at, refresh, newAccess, newRefresh)
			access, refresh = newAccess, newRefresh
		case i%20 == 7:
			n, _ = fmt.Fprintf(bw, `{"startedDateTime":%q,"time":40,"request":{"method":"GET","url":"https://api.contio.ai/v1/partner/admin/connections?limit=50","httpVersion":"HTTP/1.1","headers":[{"name":"X-API-Key","value":"cak_bench_0123456789abcdef"},{"name":"X-Client-ID","value":"ctp_client_bench"},{"name":"Accept","value":"application/json"}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[{"name":"Content-Type","value":"application/json"}],"cookies":[],"content":{"size":1200,"mimeType":"application/json","text":"%s"},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":0,"wait":40,"receive":0}}`,
				at, meeting(i, 1))
		case i%11 == 3:
			n, _ = fmt.Fprintf(bw, `{"startedDateTime":%q,"time":15,"_resourceType":"document","request":{"method":"GET","url":"https://app.example.com/meetings/%d","httpVersion":"HTTP/2","headers":[{"name":"Accept","value":"text/html"},{"name":"Cookie","value":"app_session=s%020d"}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/2","headers":[{"name":"Content-Type","value":"text/html"}],"cookies":[],"content":{"size":2000,"mimeType":"text/html","text":"%s"},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":0,"wait":15,"receive":0}}`,
				at, i, i/100, page)
		default:
			method, path, items := "GET", "/v1/partner/user/meetings", 1+i%4
			switch i % 5 {
			case 1:
				path = fmt.Sprintf("/v1/partner/user/meetings/mtg_%08d", i)
			case 3:
				method, path, items = "POST", "/v1/partner/user/action-items", 1
			}
			reqBody := ""
			if method == "POST" {
				reqBody = `,"postData":{"mimeType":"application/json","text":"{\"title\":\"Send the notes\",\"meeting_id\":\"mtg_1\"}"}`
			}
			n, _ = fmt.Fprintf(bw, `{"startedDateTime":%q,"time":25,"request":{"method":"%s","url":"https://api.contio.ai%s","httpVersion":"HTTP/1.1","headers":[{"name":"Authorization","value":"Bearer %s"},{"name":"Accept","value":"application/json"},{"name":"User-Agent","value":"contio-partner-sdk/1.9.0 node/22"}],"queryString":[],"cookies":[]%s,"headersSize":-1,"bodySize":-1},"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[{"name":"Content-Type","value":"application/json"},{"name":"X-RateLimit-Limit","value":"100"},{"name":"X-RateLimit-Remaining","value":"57"}],"cookies":[],"content":{"size":3000,"mimeType":"application/json","text":"%s"},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":0,"wait":25,"receive":0}}`,
				at, method, path, access, reqBody, meeting(i, items))
		}
		written += int64(n)
	}
	fmt.Fprint(bw, "]}}\n")
	return bw.Flush()
}

// peakHeap samples the live heap every millisecond while fn runs.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var peak atomic.Uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	<-done
	return peak.Load()
}

// benchRealistic measures a generated capture of size bytes in the two
// ways the har command reads it: the diagnosis (`har FILE`: load it and
// run every check, stage "diagnose") and the redacted copy (`--redact-out`:
// build the redactor from every secret the capture showed and write the
// copy, stage "redact"). It reports MB/s of the capture, MB per CPU
// second and the peak heap (live objects and not yet collected garbage,
// sampled every millisecond).
func benchRealistic(b *testing.B, size int64) {
	dir := b.TempDir()
	path := filepath.Join(dir, "realistic.har")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := writeRealisticCapture(f, size); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(path)
	// As the har command runs it (har.UseSoftMemoryLimit).
	defer har.UseSoftMemoryLimit()()
	load := func(b *testing.B) *integration.Integration {
		ig, err := har.LoadFile(path, har.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(ig.Calls) == 0 || len(ig.Capture.Secrets) < 10 {
			b.Fatal("the capture yielded no calls or secrets")
		}
		return ig
	}
	stages := []struct {
		name string
		run  func(b *testing.B)
	}{
		{"diagnose", func(b *testing.B) {
			ig := load(b)
			if _, err := diagnosis.Run(context.Background(), ig, diagnosis.Options{}); err != nil {
				b.Fatal(err)
			}
		}},
		{"redact", func(b *testing.B) {
			ig := load(b)
			red := diagnosis.Redactor(ig)
			in, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			defer in.Close()
			if err := har.WriteRedacted(io.Discard, in, red); err != nil {
				b.Fatal(err)
			}
		}},
	}
	for _, stage := range stages {
		b.Run(stage.name, func(b *testing.B) {
			b.SetBytes(st.Size())
			var peak uint64
			var cpu time.Duration
			for b.Loop() {
				before := cpuTime()
				peak = max(peak, peakHeap(func() { stage.run(b) }))
				cpu += cpuTime() - before
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			// Throughput per CPU second (user+system, the whole process,
			// the collector included): wall-clock MB/s depends on what
			// else the machine runs, this does not.
			if cpu > 0 {
				b.ReportMetric(float64(st.Size())*float64(b.N)/(1<<20)/cpu.Seconds(), "MB/cpu-s")
			}
		})
	}
}

// cpuTime is the process's user plus system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRealistic100MB and BenchmarkRealistic500MB show the cost is
// flat in the capture's size: the same peak heap, the same MB/s.
func BenchmarkRealistic100MB(b *testing.B) { benchRealistic(b, 100<<20) }
func BenchmarkRealistic500MB(b *testing.B) { benchRealistic(b, 500<<20) }

// The generator makes a capture the loader reads whole, with the mix the
// benchmark describes (a small size: tests stay fast).
func TestRealisticCaptureGenerator(t *testing.T) {
	var sb strings.Builder
	if err := writeRealisticCapture(&sb, 2<<20); err != nil {
		t.Fatal(err)
	}
	ig, err := har.Load(strings.NewReader(sb.String()), har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	calls := len(ig.Calls) + len(ig.Capture.Repeats)
	if ig.Capture.Entries < 300 || float64(calls) < 0.85*float64(ig.Capture.Entries) {
		t.Fatalf("%d entries, %d Contio calls: want most entries Contio calls", ig.Capture.Entries, calls)
	}
	// Repeats of one shape are kept compactly, not as whole calls.
	if len(ig.Calls) > calls/10 {
		t.Errorf("%d whole calls for %d Contio calls: repeats are not compacted", len(ig.Calls), calls)
	}
	if len(ig.Capture.Secrets) < ig.Capture.Entries/100*2 {
		t.Fatalf("%d secrets: the rotating tokens are not all remembered", len(ig.Capture.Secrets))
	}
}
