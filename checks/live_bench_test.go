package checks_test

import (
	"context"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/diagnosis"

	_ "github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/probe"
	"github.com/Contio-AI/contio-doctor/sandbox"
)

// BenchmarkLiveRun100msLatency runs every live check against a sandbox
// that delays each answer by 100 ms (≈ 50 ms each way). Probes that need
// nothing from each other go out together, and facts are computed once,
// so a run costs its longest dependency chain, not the sum of its ~15
// requests (≈ 1.5 s): the token probe, introspection and the user and
// admin calls all leave at once; only the scope catalogue waits for the
// client credentials (two round trips, ≈ 200 ms; it was three, ≈ 310 ms).
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
	// The chain's length in 100 ms round trips (ns/op says the same).
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(100*time.Millisecond), "round-trips/op")
}
