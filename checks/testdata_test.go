package checks_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/diagnosis"

	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/config"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// The testdata harness: every config under testdata/ says, in `# want:`
// comment lines, which checks must fail on it. Loading it the way the CLI
// does and running every offline check must fail exactly those checks.
// healthy.yaml wants nothing: a false alarm there fails the build.

const testdataDir = "../testdata"

// harnessNow is the fixed clock of harness runs, so waiver expiries and
// token ages never depend on the day the tests run.
var harnessNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

var (
	wantLine = regexp.MustCompile(`^\s*#\s*want:(.*)$`)
	idShape  = regexp.MustCompile(`^CD[1-7][0-9]{3}$`)
)

// wants reads the `# want:` lines of a config: the IDs, space- or
// comma-separated, that must fail on it. A malformed ID is an error so that a
// typo cannot silently weaken a test.
func wants(path string) (ids []string, found bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		m := wantLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		found = true
		for _, id := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ' ' || r == ',' || r == '\t' }) {
			if !idShape.MatchString(id) {
				return nil, true, fmt.Errorf("%s:%d: want %q is not a check ID like CD1103", path, line, id)
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	return ids, found, sc.Err()
}

// faultConfigs lists the configs that must fail: testdata/faults/*.yaml and
// testdata/multi-fault.yaml.
func faultConfigs(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(testdataDir, "faults", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if multi := filepath.Join(testdataDir, "multi-fault.yaml"); fileExists(multi) {
		paths = append(paths, multi)
	}
	return paths
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// envFileFor is the .env beside a config with the same base name, or the
// healthy one.
func envFileFor(path string) string {
	if env := strings.TrimSuffix(path, ".yaml") + ".env"; fileExists(env) {
		return env
	}
	return filepath.Join(testdataDir, "healthy.env")
}

// offlineChecks is every registered check that needs no network.
func offlineChecks() []*diagnosis.Check {
	var out []*diagnosis.Check
	for _, c := range checks.All() {
		if c.Needs&diagnosis.NeedsNetwork == 0 {
			out = append(out, c)
		}
	}
	return out
}

// runConfig loads path as the CLI would (explicit --config and --env-file,
// an empty process environment so the machine's CONTIO_* never leak in) and
// runs every offline check with waivers applied.
func runConfig(t *testing.T, path string) []diagnosis.Result {
	t.Helper()
	ig, err := config.Load(config.Options{
		Path:         path,
		PathExplicit: true,
		EnvFile:      envFileFor(path),
		LookupEnv:    procEnv(t, path),
	})
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	in := &diagnosis.Input{Integration: ig, Now: harnessNow}
	results := diagnosis.RunChecks(context.Background(), offlineChecks(), in, diagnosis.RunnerOptions{
		Clock: func() time.Time { return harnessNow },
	})
	diagnosis.ApplyWaivers(results, ig.Ignore, harnessNow)
	assertNoSecretInFindings(t, ig.Secrets(), results)
	return results
}

// unless is s, or "" when s is the default text def.
func unless(s, def string) string {
	if s == def {
		return ""
	}
	return s
}

// assertNoSecretInFindings holds every check, whatever its family, to the
// rule that findings show only masked values. Short values are skipped:
// the redactor leaves them alone too.
func assertNoSecretInFindings(t *testing.T, secrets []integration.Secret, results []diagnosis.Result) {
	t.Helper()
	for _, r := range results {
		for _, f := range r.Findings {
			// The check's own texts are fixed prose; only what a finding adds can leak.
			text := strings.Join(append([]string{f.Message, f.Evidence,
				unless(f.Symptom, r.Check.Symptom), unless(f.Cause, r.Check.Cause), unless(f.Fix, r.Check.Fix)}, f.Commands...), "\n")
			for _, s := range secrets {
				if v := strings.TrimSpace(s.Value.Raw); len(v) >= 8 && strings.Contains(text, v) {
					t.Errorf("%s (%s) prints %s in a finding at %s", r.Check.ID, r.Check.Name, s.Name, f.Location)
				}
			}
		}
	}
}

// envLine is a `# env: NAME=value` comment: a process environment variable
// the harness sets for that config (proxy variables are read only from the
// process environment, never from .env).
var envLine = regexp.MustCompile(`^\s*#\s*env:\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$`)

// procEnv is the process environment of a harness run: empty, except for
// the config's `# env:` lines.
func procEnv(t *testing.T, path string) func(string) (string, bool) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if m := envLine.FindStringSubmatch(line); m != nil {
			vars[m[1]] = strings.TrimSpace(m[2])
		}
	}
	return func(name string) (string, bool) { v, ok := vars[name]; return v, ok }
}

// assertFailing compares the failing checks with want and reports a
// readable diff: what failed unexpectedly (with its findings), what did
// not fail, and any check that could not decide.
func assertFailing(t *testing.T, path string, results []diagnosis.Result, want []string) {
	t.Helper()
	var got []string
	var b strings.Builder
	for _, r := range results {
		switch r.Status {
		case diagnosis.StatusFail:
			got = append(got, r.Check.ID)
			if !slices.Contains(want, r.Check.ID) {
				fmt.Fprintf(&b, "  unexpected failure %s (%s):\n", r.Check.ID, r.Check.Name)
				for _, f := range r.Findings {
					fmt.Fprintf(&b, "      %s: %s\n", f.Location, f.Message)
				}
			}
		case diagnosis.StatusError:
			fmt.Fprintf(&b, "  %s (%s) could not decide: %s\n", r.Check.ID, r.Check.Name, r.Err)
		}
	}
	for _, id := range want {
		if slices.Contains(got, id) {
			continue
		}
		status := "is not registered"
		for _, r := range results {
			if r.Check.ID == id {
				status = "status " + string(r.Status)
				if r.SkipReason != "" {
					status += " (" + r.SkipReason + ")"
				}
			}
		}
		fmt.Fprintf(&b, "  wanted %s did not fail: %s\n", id, status)
	}
	if b.Len() > 0 {
		t.Errorf("%s (env %s)\n  want failing: %v\n  got failing:  %v\n%s",
			path, envFileFor(path), want, got, b.String())
	}
}

func TestHealthyConfigHasNoFindings(t *testing.T) {
	path := filepath.Join(testdataDir, "healthy.yaml")
	ids, found, err := wants(path)
	if err != nil {
		t.Fatal(err)
	}
	if found && len(ids) > 0 {
		t.Fatalf("%s must want no failure, has # want: %v", path, ids)
	}
	assertFailing(t, path, runConfig(t, path), nil)
}

func TestFaultConfigsFailExactlyTheWantedChecks(t *testing.T) {
	paths := faultConfigs(t)
	if len(paths) == 0 {
		t.Fatal("no fault configs under testdata/faults")
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".yaml"), func(t *testing.T) {
			t.Parallel()
			want, found, err := wants(path)
			if err != nil {
				t.Fatal(err)
			}
			if !found || len(want) == 0 {
				t.Fatalf("%s has no `# want: CDxxxx` line: a fault config must name the checks it trips", path)
			}
			assertFailing(t, path, runConfig(t, path), want)
		})
	}
}

func TestWantLineParsing(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, body string
		want       []string
		found      bool
		wantErr    bool
	}{
		{"none", "version: 1\n", nil, false, false},
		{"one", "# want: CD1103\nversion: 1\n", []string{"CD1103"}, true, false},
		{"several lines and commas", "# want: CD1103, CD1001\n  #want: CD2101 CD1103\n", []string{"CD1001", "CD1103", "CD2101"}, true, false},
		{"empty want", "# want:\n", nil, true, false},
		{"typo", "# want: CD113\n", nil, true, true},
		{"name instead of id", "# want: basic-auth-trailing-newline\n", nil, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".yaml")
			if err := os.WriteFile(path, []byte(tc.body), 0o600); err != nil {
				t.Fatal(err)
			}
			got, found, err := wants(path)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if tc.wantErr {
				return
			}
			if found != tc.found || !slices.Equal(got, tc.want) {
				t.Errorf("wants = %v, %v; want %v, %v", got, found, tc.want, tc.found)
			}
		})
	}
}
