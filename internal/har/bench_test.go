package har_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/har"
)

// benchSize is the generated capture's size: big enough that holding it
// in memory would show.
const benchSize = 500 << 20

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
)

// benchCapture writes a ~500 MB capture once per process: Contio calls and
// app traffic with 48 KB bodies full of escapes, as devtools exports are.
// It runs only under -bench (benchmarks are not run otherwise).
func benchCapture(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "har-bench-")
		if err != nil {
			benchErr = err
			return
		}
		benchPath = filepath.Join(dir, "big.har")
		f, err := os.Create(benchPath)
		if err != nil {
			benchErr = err
			return
		}
		w := bufio.NewWriterSize(f, 1<<20)
		body := strings.Repeat(`{\"id\":\"mtg_0123456789\",\"title\":\"Weekly sync \\u2014 \\\"planning\\\"\",\"notes\":\"line one\\nline two\\n\"},`, 48<<10/96)
		start := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
		fmt.Fprint(w, `{"log":{"version":"1.2","creator":{"name":"bench","version":"1"},"entries":[`)
		written := 0
		for i := 0; written < benchSize; i++ {
			if i > 0 {
				w.WriteString(",\n")
			}
			host, path := "https://app.example.com", fmt.Sprintf("/static/chunk-%d.js", i)
			if i%4 == 0 {
				host, path = "https://api.contio.ai", "/v1/partner/user/meetings"
			}
			n, _ := fmt.Fprintf(w, `{"startedDateTime":%q,"time":12.5,"request":{"method":"GET","url":"%s%s","httpVersion":"HTTP/2","headers":[{"name":"Authorization","value":"Bearer cto_at_v1_%032d"},{"name":"Accept","value":"application/json"},{"name":"User-Agent","value":"Mozilla/5.0"}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/2","headers":[{"name":"Content-Type","value":"application/json"}],"cookies":[],"content":{"size":%d,"mimeType":"application/json","text":"[%s{}]"},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":0,"wait":12,"receive":0.5}}`,
				start.Add(time.Duration(i)*time.Second).Format(time.RFC3339Nano), host, path, i%7, len(body), body)
			written += n
		}
		fmt.Fprint(w, "]}}\n")
		if err := w.Flush(); err != nil {
			benchErr = err
			return
		}
		benchErr = f.Close()
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchPath
}

// BenchmarkLoad500MB reads a 500 MB capture into an Integration and
// reports throughput and the peak live heap while doing so.
func BenchmarkLoad500MB(b *testing.B) {
	path := benchCapture(b)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {}) // the file is shared by every run of the benchmark; removed with the temp dir
	b.SetBytes(st.Size())
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
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
	b.ResetTimer()
	for b.Loop() {
		ig, err := har.LoadFile(path, har.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(ig.Calls) == 0 {
			b.Fatal("no calls read")
		}
	}
	b.StopTimer()
	close(stop)
	<-done
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
}
