package checks_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/diagnosis"

	_ "github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/config"
)

// BenchmarkChecks measures only checks.Run of every offline check, the
// configuration loaded once beforehand. DESIGN.md asks for the check set
// to take well under 1 ms.
func BenchmarkChecks(b *testing.B) {
	for _, name := range []string{"healthy", "multi-fault"} {
		b.Run(name, func(b *testing.B) {
			path := filepath.Join(testdataDir, name+".yaml")
			ig, err := config.Load(config.Options{
				Path:         path,
				PathExplicit: true,
				EnvFile:      envFileFor(path),
				LookupEnv:    func(string) (string, bool) { return "", false },
			})
			if err != nil {
				b.Fatalf("load %s: %v", path, err)
			}
			list := offlineChecks()
			in := &diagnosis.Input{Integration: ig, Now: harnessNow}
			opts := diagnosis.RunnerOptions{Clock: func() time.Time { return harnessNow }}
			b.ReportAllocs()
			for b.Loop() {
				res := diagnosis.RunChecks(context.Background(), list, in, opts)
				for _, r := range res {
					if r.Status == diagnosis.StatusError {
						b.Fatalf("%s: %s", r.Check.ID, r.Err)
					}
				}
			}
		})
	}
}

// BenchmarkGroup measures folding an offline run's results into problems,
// to set beside BenchmarkChecks: grouping must add under 5 % to a run.
func BenchmarkGroup(b *testing.B) {
	for _, name := range []string{"healthy", "multi-fault"} {
		b.Run(name, func(b *testing.B) {
			path := filepath.Join(testdataDir, name+".yaml")
			ig, err := config.Load(config.Options{
				Path: path, PathExplicit: true, EnvFile: envFileFor(path),
				LookupEnv: func(string) (string, bool) { return "", false },
			})
			if err != nil {
				b.Fatalf("load %s: %v", path, err)
			}
			in := &diagnosis.Input{Integration: ig, Now: harnessNow}
			res := diagnosis.RunChecks(context.Background(), offlineChecks(), in, diagnosis.RunnerOptions{Clock: func() time.Time { return harnessNow }})
			b.ReportAllocs()
			for b.Loop() {
				if p := diagnosis.Group(res, ""); name == "multi-fault" && len(p) == 0 {
					b.Fatal("no problems in multi-fault")
				}
			}
		})
	}
}
