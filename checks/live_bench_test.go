package checks_test

import (
	"context"
	"github.com/Contio-AI/contio-doctor/diagnosis"
	"testing"
	"time"

	_ "github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/probe"
	"github.com/Contio-AI/contio-doctor/sandbox"
)

// BenchmarkLiveRun100msLatency runs every live check against a sandbox
// that delays each answer by 100 ms. Probes run in parallel and share
// memoised results, so a run should cost about its longest dependency
// chain (client credentials → introspection → user API: ≈ 3 × 100 ms),
// not the sum of its ~20 requests (≈ 2 s).
func BenchmarkLiveRun100msLatency(b *testing.B) {
	w := newLiveWorldB(b, sandbox.Options{Faults: []sandbox.FaultRule{{Path: "/*", Kind: sandbox.FaultLatency, Latency: 100 * time.Millisecond}}})
	list := networkChecks()
	b.ResetTimer()
	for b.Loop() {
		live := probe.New(probe.Options{Clock: w.sb.Now})
		in := &diagnosis.Input{Integration: w.ig, Now: w.sb.Now(), Probe: live}
		res := diagnosis.RunChecks(context.Background(), list, in, diagnosis.RunnerOptions{CheckTimeout: 10 * time.Second})
		for _, r := range res {
			if r.Status == diagnosis.StatusFail || r.Status == diagnosis.StatusError {
				b.Fatalf("%s: %s %q %+v", r.Check.ID, r.Status, r.Err, r.Findings)
			}
		}
		b.ReportMetric(float64(len(live.Exchanges())), "requests/op")
	}
}
