package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/config"
)

// These tests drive the whole CLI in-process: (&env{...}).run(args) with
// buffers for stdout and stderr, an environment holding only the variables
// a test gives, a fixed clock and a fixed run ID. They run from the
// repository root so that paths in reports read as a user would type them.

func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata/")
	}
}

func updatingGoldens() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// goldenDir is this package's testdata, fixed before any test changes
// directory.
var goldenDir = func() string {
	d, err := filepath.Abs("testdata")
	if err != nil {
		panic(err)
	}
	return d
}()

var fixedNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type cliResult struct {
	code           int
	stdout, stderr string
}

// runCLI runs the program with args and only the environment in vars.
func runCLI(t testing.TB, vars map[string]string, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin:  strings.NewReader(""),
		stdout: &out,
		stderr: &errb,
		lookupEnv: func(k string) (string, bool) {
			v, ok := vars[k]
			return v, ok
		},
		getwd: os.Getwd,
		clock: func() time.Time { return fixedNow },
		runID: "run-test",
	}
	code := e.run(args)
	return cliResult{code: code, stdout: out.String(), stderr: errb.String()}
}

// inRepoRoot makes the repository root the working directory for the test.
func inRepoRoot(t testing.TB) {
	t.Helper()
	t.Chdir(filepath.Join(goldenDir, "..", "..", ".."))
}

var (
	healthyArgs    = []string{"--config", "testdata/healthy.yaml", "--env-file", "testdata/healthy.env", "--offline"}
	multiFaultArgs = []string{"--config", "testdata/multi-fault.yaml", "--env-file", "testdata/multi-fault.env", "--offline"}
	warningOnly    = []string{"--config", "testdata/faults/CD2009-authorization-url-no-state.yaml", "--env-file", "testdata/healthy.env", "--offline"}
)

func args(base []string, more ...string) []string {
	return append(append([]string{}, base...), more...)
}

func TestExitCodes(t *testing.T) {
	inRepoRoot(t)
	dir := t.TempDir()
	badYAML := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(badYAML, []byte("version: 1\noauth:\n  client_id: [unclosed\n  client_secret: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	typo := filepath.Join(dir, "typo.yaml")
	if err := os.WriteFile(typo, []byte("version: 1\noauth:\n  clinet_id: abc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string // regexp that stderr must match; "" means stderr is empty
	}{
		{"healthy", healthyArgs, 0, ""},
		{"healthy via run", args([]string{"run"}, healthyArgs...), 0, ""},
		{"multi-fault", multiFaultArgs, 1, ""},
		{"multi-fault json", args(multiFaultArgs, "--format", "json"), 1, ""},
		{"multi-fault sarif", args(multiFaultArgs, "--format", "sarif"), 1, ""},
		{"fail-on never", args(multiFaultArgs, "--fail-on", "never"), 0, ""},
		{"warning-only at default fail-on", warningOnly, 0, ""},
		{"warning-only --fail-on warning", args(warningOnly, "--fail-on", "warning"), 1, ""},
		{"warning-only --fail-on info", args(warningOnly, "--fail-on", "info"), 1, ""},
		{"unknown flag", args(healthyArgs, "--bogus"), 2, `unknown flag: --bogus`},
		{"unknown format", args(healthyArgs, "--format", "yaml"), 2, `--format: unknown format "yaml"`},
		{"unknown fail-on", args(healthyArgs, "--fail-on", "sometimes"), 2, `--fail-on: unknown severity "sometimes"`},
		{"malformed YAML", []string{"--config", badYAML, "--offline"}, 2, regexp.QuoteMeta(badYAML) + `:3(:\d+)?: invalid YAML`},
		{"unknown key", []string{"--config", typo, "--offline"}, 2, regexp.QuoteMeta(typo) + `:3:3: unknown key "clinet_id" in oauth; did you mean "client_id"\?`},
		{"missing --config file", []string{"--config", filepath.Join(dir, "nope.yaml"), "--offline"}, 2, `nope.yaml: config file not found`},
		{"unknown --only", args(healthyArgs, "--only", "CD1130"), 2, `unknown check "CD1130" \(did you mean CD1\d+\?\)`},
		{"unknown --skip name", args(healthyArgs, "--skip", "basic-auth-trailing-newlin"), 2, `unknown check "basic-auth-trailing-newlin" \(did you mean basic-auth-trailing-newline\?\)`},
		{"extra argument", args(healthyArgs, "stray"), 2, `stray`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := runCLI(t, nil, c.args...)
			if got.code != c.code {
				t.Errorf("exit %d, want %d\nstderr: %s\nstdout: %s", got.code, c.code, got.stderr, got.stdout)
			}
			if c.stderr == "" {
				if got.stderr != "" {
					t.Errorf("stderr not empty: %q", got.stderr)
				}
				return
			}
			if !regexp.MustCompile(c.stderr).MatchString(got.stderr) {
				t.Errorf("stderr %q does not match %q", got.stderr, c.stderr)
			}
			if !strings.HasPrefix(got.stderr, "contio-doctor: ") {
				t.Errorf("an error does not name the program: %q", got.stderr)
			}
			if got.code == 2 && got.stdout != "" && !strings.Contains(c.name, "flag") {
				t.Errorf("a usage error printed a report on stdout: %q", got.stdout)
			}
		})
	}
}

// TestJSONStdoutIsOnlyTheDocument: a CI job pipes stdout into jq.
func TestJSONStdoutIsOnlyTheDocument(t *testing.T) {
	inRepoRoot(t)
	for _, base := range [][]string{healthyArgs, multiFaultArgs} {
		got := runCLI(t, nil, args(base, "--format", "json", "-v")...)
		dec := json.NewDecoder(strings.NewReader(got.stdout))
		var doc struct {
			Summary struct {
				ExitCode int `json:"exit_code"`
				Fail     int `json:"fail"`
			}
			Results []struct{ Check, Status string }
		}
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("%v: stdout is not JSON: %v\n%s", base, err, got.stdout)
		}
		if dec.More() {
			t.Errorf("%v: more than one document on stdout", base)
		}
		if doc.Summary.ExitCode != got.code {
			t.Errorf("%v: summary.exit_code %d, process exit %d", base, doc.Summary.ExitCode, got.code)
		}
		if got.stderr != "" {
			t.Errorf("%v: stderr: %q", base, got.stderr)
		}
		// One result per registered check, except those that read HAR
		// captures or source code: a config run leaves them out.
		want := 0
		for _, c := range checks.All() {
			if c.Needs&(diagnosis.NeedsCapture|diagnosis.NeedsSource) == 0 {
				want++
			}
		}
		if len(doc.Results) != want {
			t.Errorf("%v: %d results, want one per config check (%d)", base, len(doc.Results), want)
		}
	}
}

// TestExitCodeIndependentOfFormat: the exit code never depends on --format.
func TestExitCodeIndependentOfFormat(t *testing.T) {
	inRepoRoot(t)
	for _, base := range [][]string{healthyArgs, multiFaultArgs, warningOnly} {
		want := runCLI(t, nil, base...).code
		for _, f := range []string{"json", "markdown", "sarif", "junit", "github"} {
			if got := runCLI(t, nil, args(base, "--format", f)...); got.code != want {
				t.Errorf("%v --format %s: exit %d, text gives %d", base, f, got.code, want)
			}
		}
	}
}

func jsonResults(t *testing.T, stdout string) map[string]string {
	t.Helper()
	var doc struct {
		Results []struct{ Check, Status string }
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	out := map[string]string{}
	for _, r := range doc.Results {
		out[r.Check] = r.Status
	}
	return out
}

func TestOnlyAndSkip(t *testing.T) {
	inRepoRoot(t)
	got := runCLI(t, nil, args(multiFaultArgs, "--format", "json", "--only", "CD1103,redirect-uri-not-registered")...)
	res := jsonResults(t, got.stdout)
	if len(res) != 2 || res["CD1103"] != "fail" || res["CD2001"] != "fail" {
		t.Errorf("--only CD1103,redirect-uri-not-registered ran %v", res)
	}
	if got.code != 1 {
		t.Errorf("exit %d, want 1", got.code)
	}

	// Skipping every failing check of the multi-fault config makes it pass.
	full := jsonResults(t, runCLI(t, nil, args(multiFaultArgs, "--format", "json")...).stdout)
	var failing []string
	for id, st := range full {
		if st == "fail" {
			failing = append(failing, id)
		}
	}
	got = runCLI(t, nil, args(multiFaultArgs, "--format", "json", "--fail-on", "info", "--skip", strings.Join(failing, ","))...)
	res = jsonResults(t, got.stdout)
	for _, id := range failing {
		if _, ran := res[id]; ran {
			t.Errorf("--skip %s still ran it", id)
		}
	}
	if got.code != 0 || len(res) != len(full)-len(failing) {
		t.Errorf("with the failing checks skipped: exit %d, %d results (want 0, %d)", got.code, len(res), len(full)-len(failing))
	}

	// Lower-case IDs select too.
	if res := jsonResults(t, runCLI(t, nil, args(healthyArgs, "--format", "json", "--only", "cd1103")...).stdout); len(res) != 1 {
		t.Errorf("--only cd1103 ran %v", res)
	}
}

func TestChecksListsEveryCheck(t *testing.T) {
	got := runCLI(t, nil, "checks")
	if got.code != 0 || got.stderr != "" {
		t.Fatalf("exit %d, stderr %q", got.code, got.stderr)
	}
	all := checks.All()
	if len(all) == 0 {
		t.Fatal("no check is registered")
	}
	for _, c := range all {
		if !regexp.MustCompile(`(?m)^` + c.ID + `\s+` + regexp.QuoteMeta(c.Name) + `\s`).MatchString(got.stdout) {
			t.Errorf("checks does not list %s %s", c.ID, c.Name)
		}
	}
	if n := strings.Count(got.stdout, "\nCD"); n != len(all) {
		t.Errorf("checks lists %d rows, want %d", n, len(all))
	}
}

func TestExplain(t *testing.T) {
	byID := runCLI(t, nil, "explain", "CD1103")
	if byID.code != 0 {
		t.Fatalf("explain CD1103: exit %d, %s", byID.code, byID.stderr)
	}
	c, _ := diagnosis.Lookup("CD1103")
	for _, want := range []string{"CD1103 basic-auth-trailing-newline: " + c.Title, "Symptom\n", "Cause\n", "Fix\n", "A pass means\n",
		"https://docs.contio.ai/partner-api/guides/troubleshooting/#basic-auth-encoding-issues"} {
		if !strings.Contains(byID.stdout, want) {
			t.Errorf("explain CD1103 lacks %q:\n%s", want, byID.stdout)
		}
	}
	if byName := runCLI(t, nil, "explain", "basic-auth-trailing-newline"); byName.stdout != byID.stdout {
		t.Errorf("explain by name differs from explain by ID:\n%s", byName.stdout)
	}
	if lower := runCLI(t, nil, "explain", "cd1103"); lower.stdout != byID.stdout {
		t.Errorf("explain cd1103 differs from explain CD1103")
	}
	bad := runCLI(t, nil, "explain", "basic-auth-trailing-newlin")
	if bad.code != 2 || !strings.Contains(bad.stderr, "did you mean basic-auth-trailing-newline?") {
		t.Errorf("explain of a misspelt name: exit %d, stderr %q", bad.code, bad.stderr)
	}
	if none := runCLI(t, nil, "explain"); none.code != 2 {
		t.Errorf("explain without an argument: exit %d", none.code)
	}
}

// TestEveryCheckExplains: every registered check explains by ID and name.
func TestEveryCheckExplains(t *testing.T) {
	for _, c := range checks.All() {
		got := runCLI(t, nil, "explain", c.Name)
		if got.code != 0 || !strings.HasPrefix(got.stdout, c.ID+" "+c.Name+": ") {
			t.Errorf("explain %s: exit %d, %q", c.Name, got.code, got.stdout[:min(len(got.stdout), 80)])
		}
	}
}

func TestInitWritesALoadableStarterAndNeverOverwrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub-less.yaml")
	got := runCLI(t, nil, "init", "--config", path)
	if got.code != 0 || !strings.Contains(got.stdout, "wrote "+path) {
		t.Fatalf("init: exit %d, stdout %q, stderr %q", got.code, got.stdout, got.stderr)
	}
	written, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(written) != config.Starter {
		t.Errorf("init wrote something else than the starter")
	}
	if fi, err := os.Stat(path); err == nil && runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("starter mode %v, want 0600 (it will hold secrets' references next to secrets)", fi.Mode().Perm())
	}
	vars := map[string]string{
		"CONTIO_CLIENT_ID": "ctp_8jIkkDqWIkynui0CTL0WzOPn", "CONTIO_CLIENT_SECRET": "mONrhIZ8SYcWOluT4Cp8Q06Xd33rSBurMDPOpzx8KGHXf0e4",
		"CONTIO_API_KEY": "cak_HSvD5SFoR0MMg0PF4LtPzFtPIs27IDVReY1m9bcd", "CONTIO_WEBHOOK_SECRET": "whsec_AAs586xUhKuhqZdOpaVifoHQjFWcFCuFQVsYevud",
	}
	if _, err := config.Load(config.Options{Path: path, PathExplicit: true, LookupEnv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }}); err != nil {
		t.Errorf("the starter does not load: %v", err)
	}
	// The CLI runs on it, offline, without a usage error.
	if run := runCLI(t, vars, "--config", path, "--offline"); run.code == 2 || run.code == 3 {
		t.Errorf("a run on the starter: exit %d, %s", run.code, run.stderr)
	}

	if err := os.WriteFile(path, []byte("# mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	again := runCLI(t, nil, "init", "--config", path)
	if again.code != 2 || !strings.Contains(again.stderr, "already exists") {
		t.Errorf("init over an existing file: exit %d, stderr %q", again.code, again.stderr)
	}
	if b, _ := os.ReadFile(path); string(b) != "# mine\n" {
		t.Errorf("init overwrote an existing file")
	}
}

func TestVersion(t *testing.T) {
	for _, a := range [][]string{{"version"}, {"--version"}} {
		got := runCLI(t, nil, a...)
		if got.code != 0 || !strings.HasPrefix(got.stdout, "contio-doctor ") {
			t.Errorf("%v: exit %d, %q", a, got.code, got.stdout)
		}
	}
}

// TestNoColourWithoutTerminal: the in-process stdout is a buffer, never a
// terminal, so no escape sequence may reach it, whatever the environment.
func TestNoColourWithoutTerminal(t *testing.T) {
	inRepoRoot(t)
	got := runCLI(t, map[string]string{"TERM": "xterm-256color", "CLICOLOR_FORCE": "1"}, multiFaultArgs...)
	if strings.Contains(got.stdout, "\x1b") {
		t.Errorf("escape sequences in a report written to a non-terminal")
	}
}

// TestASCIIFallbackForNonUTF8Locale: a C locale gets ASCII marks.
func TestASCIIFallbackForNonUTF8Locale(t *testing.T) {
	inRepoRoot(t)
	got := runCLI(t, map[string]string{"LANG": "C"}, multiFaultArgs...)
	if !strings.Contains(got.stdout, "[FAIL]") || strings.Contains(got.stdout, "✗") {
		t.Errorf("LANG=C does not give ASCII marks:\n%s", got.stdout)
	}
}

func TestOutputFile(t *testing.T) {
	inRepoRoot(t)
	out := filepath.Join(t.TempDir(), "reports", "doctor.json")
	got := runCLI(t, nil, args(multiFaultArgs, "--format", "json", "--output", out)...)
	if got.code != 1 || got.stdout != "" {
		t.Errorf("--output: exit %d, stdout %q", got.code, got.stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b) {
		t.Errorf("--output file is not JSON")
	}
}

// Golden files pin the text and JSON reports of the healthy and the
// multi-fault configs. Regenerate with: go test ./cmd/contio-doctor -update
func TestGolden(t *testing.T) {
	inRepoRoot(t)
	cases := []struct {
		name string
		args []string
	}{
		{"healthy", args(healthyArgs, "--no-color")},
		{"healthy_verbose", args(healthyArgs, "--no-color", "-v")},
		{"healthy_ascii", args(healthyArgs, "--no-color", "--ascii")},
		{"healthy_json", args(healthyArgs, "--format", "json")},
		{"multi-fault", args(multiFaultArgs, "--no-color")},
		{"multi-fault_verbose", args(multiFaultArgs, "--no-color", "-v")},
		{"multi-fault_ascii", args(multiFaultArgs, "--no-color", "--ascii")},
		{"multi-fault_json", args(multiFaultArgs, "--format", "json")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := runCLI(t, nil, c.args...)
			if got.code == 2 || got.code == 3 {
				t.Fatalf("exit %d: %s", got.code, got.stderr)
			}
			compareGolden(t, normalise(got.stdout))
		})
	}
}

var (
	durationField = regexp.MustCompile(`"duration_ms": [0-9.e+-]+`)
	toolFacts     = strings.NewReplacer(
		`"go_version": "`+runtime.Version()+`"`, `"go_version": "GOVERSION"`,
		`"os": "`+runtime.GOOS+`"`, `"os": "GOOS"`,
		`"arch": "`+runtime.GOARCH+`"`, `"arch": "GOARCH"`,
	)
)

// normalise removes what differs between machines and runs: durations and
// the Go toolchain. The clock and run ID are fixed by runCLI.
func normalise(s string) string {
	s = durationField.ReplaceAllString(s, `"duration_ms": 0`)
	return toolFacts.Replace(s)
}

func compareGolden(t *testing.T, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, strings.ReplaceAll(t.Name(), "/", "_")+".golden")
	if updatingGoldens() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/contio-doctor -update creates it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (review, then go test ./cmd/contio-doctor -update)\n%s", path, firstDiff(string(want), got))
	}
}

// firstDiff shows the first differing line, enough to see what moved.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n   got: " + gl
		}
	}
	return ""
}

// TestColourDecision: colour only on a terminal, and never with NO_COLOR,
// --no-color or TERM=dumb; ASCII marks with --ascii or a non-UTF-8 locale.
func TestColourDecision(t *testing.T) {
	cases := []struct {
		name       string
		vars       map[string]string
		noColor    bool
		ascii      bool
		terminal   bool
		wantColour bool
		wantASCII  bool
	}{
		{"terminal", nil, false, false, true, true, false},
		{"not a terminal", nil, false, false, false, false, false},
		{"NO_COLOR", map[string]string{"NO_COLOR": ""}, false, false, true, false, false},
		{"--no-color", nil, true, false, true, false, false},
		{"TERM=dumb", map[string]string{"TERM": "dumb"}, false, false, true, false, false},
		{"--ascii", nil, false, true, true, true, true},
		{"C locale", map[string]string{"LANG": "C"}, false, false, true, true, true},
		{"UTF-8 locale", map[string]string{"LC_ALL": "en_US.UTF-8", "LANG": "C"}, false, false, true, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := &env{lookupEnv: func(k string) (string, bool) { v, ok := c.vars[k]; return v, ok }}
			got := e.renderOptions(&runOptions{noColor: c.noColor, ascii: c.ascii}, c.terminal)
			if got.Color != c.wantColour || got.ASCII != c.wantASCII {
				t.Errorf("colour %v ascii %v, want %v %v", got.Color, got.ASCII, c.wantColour, c.wantASCII)
			}
		})
	}
}
