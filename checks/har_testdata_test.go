package checks_test

import (
	"context"
	"github.com/Contio-AI/contio-doctor/diagnosis"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/har"
)

// The capture harness: every testdata/har/<name>.har has a <name>.want
// whose `# want:` lines list exactly the checks that must fail on it, with
// every offline check run on the capture as `contio-doctor har` runs them.

func harCaptures(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(testdataDir, "har", "*.har"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no captures under testdata/har")
	}
	return paths
}

func runCapture(t *testing.T, path string) []diagnosis.Result {
	t.Helper()
	ig, err := har.LoadFile(path, har.Options{})
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	in := &diagnosis.Input{Integration: ig, Now: harnessNow}
	results := diagnosis.RunChecks(context.Background(), offlineChecks(), in, diagnosis.RunnerOptions{
		Clock: func() time.Time { return harnessNow },
	})
	assertNoSecretInFindings(t, ig.Secrets(), results)
	return results
}

func TestCapturesFailExactlyTheWantedChecks(t *testing.T) {
	for _, path := range harCaptures(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".har")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			wantFile := strings.TrimSuffix(path, ".har") + ".want"
			want, found, err := wants(wantFile)
			if err != nil {
				t.Fatal(err)
			}
			if !found {
				t.Fatalf("%s has no `# want:` line (an empty one for a healthy capture)", wantFile)
			}
			assertFailing(t, path, runCapture(t, path), want)
		})
	}
}

// Every capture-only check is proven by a capture that makes it fail.
func TestEveryCaptureCheckHasACapture(t *testing.T) {
	wanted := map[string]bool{}
	for _, path := range harCaptures(t) {
		ids, _, err := wants(strings.TrimSuffix(path, ".har") + ".want")
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, id := range ids {
			wanted[id] = true
		}
	}
	var missing []string
	for _, c := range checks.All() {
		if c.Needs&diagnosis.NeedsCapture != 0 && !wanted[c.ID] {
			missing = append(missing, c.ID+" ("+c.Name+")")
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		t.Errorf("capture checks no testdata/har/*.want lists: %s", strings.Join(missing, ", "))
	}
}

// A config run never reaches the capture checks: they skip with a reason.
func TestCaptureChecksSkipOnConfigRuns(t *testing.T) {
	results := runConfig(t, filepath.Join(testdataDir, "healthy.yaml"))
	for _, r := range results {
		if r.Check.Needs&diagnosis.NeedsCapture != 0 && r.Status != diagnosis.StatusSkip {
			t.Errorf("%s on a config run: status %s, want skip", r.Check.ID, r.Status)
		}
	}
}
