package report_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/config"
	"github.com/Contio-AI/contio-doctor/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// repoRoot is the module root, where testdata/ and schema/ live.
func repoRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(wd)
}

// envFileFor follows the checks harness: faults/<base>.env beside a fault
// config, else testdata/healthy.env.
func envFileFor(cfg string) string {
	if own := strings.TrimSuffix(cfg, ".yaml") + ".env"; fileExists(own) {
		return own
	}
	return "testdata/healthy.env"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// runConfig runs the offline doctor on a config path relative to the repo
// root, in-process, with a fixed clock and run ID, and normalises what
// varies between machines and runs. The caller must have chdir'd to the
// repo root so report paths read "testdata/…".
func runConfig(t *testing.T, cfg string, failOn diagnosis.Severity) *report.Report {
	t.Helper()
	ig, err := config.Load(config.Options{
		Path: cfg, PathExplicit: true, EnvFile: envFileFor(cfg),
		LookupEnv: func(string) (string, bool) { return "", false },
	})
	if err != nil {
		t.Fatalf("load %s: %v", cfg, err)
	}
	now := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	rep, err := diagnosis.Run(context.Background(), ig, diagnosis.Options{
		FailOn: failOn,
		Clock:  func() time.Time { return now },
		RunID:  "0123456789abcdef",
	})
	if err != nil {
		t.Fatalf("run %s: %v", cfg, err)
	}
	rep.Tool.Version = "test"
	rep.Run.GoVersion, rep.Run.OS, rep.Run.Arch = "go1.x", "linux", "amd64"
	rep.Run.FinishedAt = rep.Run.StartedAt.Add(42 * time.Millisecond)
	for i := range rep.Results {
		rep.Results[i].Duration = 0
	}
	// What the CLI does: values redacted before rendering.
	return rep.Redacted(diagnosis.Redactor(ig).String)
}

// testdataConfigs lists testdata/*.yaml and testdata/faults/*.yaml,
// relative to the repo root.
func testdataConfigs(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, pat := range []string{"testdata/*.yaml", "testdata/faults/*.yaml"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	if len(out) == 0 {
		t.Fatal("no testdata configs found")
	}
	return out
}

// CI formats with goldens; text and json have their own.
var ciFormats = []string{"markdown", "sarif", "junit", "github"}

func TestGoldens(t *testing.T) {
	goldenDir := filepath.Join(mustWd(t), "testdata")
	t.Chdir(repoRoot(t))
	for _, name := range []string{"healthy", "multi-fault"} {
		cfg := "testdata/" + name + ".yaml"
		rep := (*report.Report)(nil)
		if fileExists(cfg) {
			rep = runConfig(t, cfg, diagnosis.SeverityError)
		}
		for _, format := range ciFormats {
			t.Run(format+"-"+name, func(t *testing.T) {
				if rep == nil {
					t.Skipf("%s has not landed yet", cfg)
				}
				var b bytes.Buffer
				if err := report.Write(&b, rep, format, report.Options{}, nil); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, filepath.Join(goldenDir, format+"-"+name+".golden"), b.Bytes())
			})
		}
	}
}

func mustWd(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./report -update` to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (a new check changes every golden: review the diff, then run `go test ./report -update`)\n%s",
			filepath.Base(path), firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first differing line with a little context.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n want: " + w + "\n  got: " + g
		}
	}
	return ""
}
