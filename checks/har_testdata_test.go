package checks_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/diagnosis"

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
			results := runCapture(t, path)
			assertFailing(t, path, results, want)
			assertGuides(t, wantFile, results)
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

// assertGuides checks a capture's `# guide:` line, when it has one: the
// failing checks sit under exactly those guide entries, so a seeded
// mistake raises nothing under an unrelated one.
func assertGuides(t *testing.T, wantFile string, results []diagnosis.Result) {
	t.Helper()
	data, err := os.ReadFile(wantFile)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	found := false
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "# guide:"); ok {
			found = true
			want = append(want, strings.Fields(rest)...)
		}
	}
	if !found {
		return
	}
	var got []string
	for _, r := range results {
		if r.Status == diagnosis.StatusFail && !slices.Contains(got, string(r.Check.Guide)) {
			got = append(got, string(r.Check.Guide))
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s: failing checks sit under guide entries %v, want %v", wantFile, got, want)
	}
}
