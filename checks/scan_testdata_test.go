package checks_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/config"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/scan"
)

// The source harness: the sample apps under testdata/scan say, in
// `// want: CD…` (or `# want:`) comments at the end of a line, which check
// must report that line. Scanning a sample and running every source check
// must report exactly those (file, line, check) triples; the clean twin and
// the realistic app want nothing.

var sourceWant = regexp.MustCompile(`(?://|#)\s*want:\s*((?:CD[0-9]{4}[ ,]*)+)\s*$`)

func requireJSScanner(t *testing.T) {
	t.Helper()
	if scan.JSAvailable {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("this build cannot parse JavaScript/TypeScript (CGO_ENABLED=0?): CI must run the scanner tests")
	}
	t.Skip("JavaScript/TypeScript scanning needs a cgo build")
}

// sourceWants reads every want comment under dir as "rel:line ID".
func sourceWants(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			m := sourceWant.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			rel, _ := filepath.Rel(dir, p)
			for _, id := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ' ' || r == ',' }) {
				out = append(out, fmt.Sprintf("%s:%d %s", filepath.ToSlash(rel), line, id))
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func sourceChecks() []*diagnosis.Check {
	var out []*diagnosis.Check
	for _, c := range checks.All() {
		if c.Needs&diagnosis.NeedsSource != 0 {
			out = append(out, c)
		}
	}
	return out
}

// scanSample scans dir (with its contio-doctor.yaml when present) and runs
// the source checks.
func scanSample(t *testing.T, dir string) (*integration.Integration, []diagnosis.Result) {
	t.Helper()
	code, err := scan.Scan(context.Background(), []string{dir}, scan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(code.Skipped) > 0 {
		t.Fatalf("files skipped: %v", code.Skipped)
	}
	ig := &integration.Integration{}
	if cfg := filepath.Join(dir, "contio-doctor.yaml"); fileExists(cfg) {
		ig, err = config.Load(config.Options{Path: cfg, PathExplicit: true, LookupEnv: func(string) (string, bool) { return "", false }})
		if err != nil {
			t.Fatal(err)
		}
	}
	ig.Code = code
	results := diagnosis.RunChecks(context.Background(), sourceChecks(), &diagnosis.Input{Integration: ig, Now: harnessNow}, diagnosis.RunnerOptions{})
	assertNoSecretInFindings(t, ig.Secrets(), results)
	return ig, results
}

func sourceFindings(t *testing.T, dir string, results []diagnosis.Result) []string {
	t.Helper()
	var out []string
	for _, r := range results {
		if r.Status == diagnosis.StatusError {
			t.Errorf("%s could not decide: %s", r.Check.ID, r.Err)
		}
		for _, f := range r.Findings {
			rel, err := filepath.Rel(dir, f.Location.File)
			if err != nil || f.Location.Line == 0 {
				t.Errorf("%s finding has no source position: %+v", r.Check.ID, f.Location)
				continue
			}
			out = append(out, fmt.Sprintf("%s:%d %s", filepath.ToSlash(rel), f.Location.Line, r.Check.ID))
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func diffLists(want, got []string) string {
	var b strings.Builder
	for _, w := range want {
		if !slices.Contains(got, w) {
			fmt.Fprintf(&b, "  missing:    %s\n", w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			fmt.Fprintf(&b, "  unexpected: %s\n", g)
		}
	}
	return b.String()
}

func TestScanFaultySampleReportsEachWantAtItsLine(t *testing.T) {
	requireJSScanner(t)
	dir := filepath.Join(testdataDir, "scan", "faulty")
	want := sourceWants(t, dir)
	if len(want) == 0 {
		t.Fatal("no want comments in the faulty sample")
	}
	_, results := scanSample(t, dir)
	if d := diffLists(want, sourceFindings(t, dir, results)); d != "" {
		t.Errorf("%s:\n%s", dir, d)
	}
}

func TestScanCleanSamplesHaveNoFindings(t *testing.T) {
	requireJSScanner(t)
	for _, name := range []string{"clean", "app"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(testdataDir, "scan", name)
			if w := sourceWants(t, dir); len(w) > 0 {
				t.Fatalf("a clean sample must want nothing: %v", w)
			}
			_, results := scanSample(t, dir)
			if got := sourceFindings(t, dir, results); len(got) > 0 {
				t.Errorf("false alarms in %s:\n  %s", dir, strings.Join(got, "\n  "))
			}
		})
	}
}

func TestEverySourceCheckHasAFaultySample(t *testing.T) {
	want := strings.Join(sourceWants(t, filepath.Join(testdataDir, "scan", "faulty")), "\n")
	for _, c := range sourceChecks() {
		if !strings.Contains(want, " "+c.ID) {
			t.Errorf("%s (%s) reads source but no line of testdata/scan/faulty wants it", c.ID, c.Name)
		}
	}
}
