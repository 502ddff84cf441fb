package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// runTree runs args in-process as runCLI does, the command tree built
// whole when full, and says how many times it was built again whole.
func runTree(t *testing.T, full bool, args ...string) (cliResult, int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin:     strings.NewReader(""),
		stdout:    &out,
		stderr:    &errb,
		lookupEnv: func(string) (string, bool) { return "", false },
		getwd:     os.Getwd,
		clock:     func() time.Time { return fixedNow },
		runID:     "run-test",
		fullTree:  full,
	}
	code := e.run(args)
	return cliResult{code: code, stdout: out.String(), stderr: errb.String()}, e.rebuilds
}

// TestSubcommandsParseTheirOwnFlags invokes every command with each of its
// own flags, then one it does not have: the error must name the unknown
// one, so the command itself parsed the line, built at the first attempt.
func TestSubcommandsParseTheirOwnFlags(t *testing.T) {
	inRepoRoot(t)
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		for _, sub := range c.Commands() {
			p := append(append([]string{}, path...), sub.Name())
			sub.LocalFlags().VisitAll(func(f *pflag.Flag) {
				value := f.DefValue
				if f.Value.Type() == "bool" {
					value = "true"
				}
				args := append(append([]string{}, p...), "--"+f.Name+"="+value, "--zz-not-a-flag")
				res, rebuilt := runTree(t, false, args...)
				if res.code != 2 || !strings.Contains(res.stderr, "unknown flag: --zz-not-a-flag") || rebuilt != 0 {
					t.Errorf("%q: exit %d, built again %d times, stderr %q; want exit 2 for --zz-not-a-flag alone, built once", args, res.code, rebuilt, res.stderr)
				}
			})
			walk(sub, p)
		}
	}
	root := (&env{}).rootCmd(nil, true)
	walk(root, nil)
	if len(root.Commands()) != len(subcommands()) {
		t.Errorf("the whole tree has %d commands, subcommands() %d", len(root.Commands()), len(subcommands()))
	}
}

// TestSubcommandNames: rootCmd knows a command by its name alone before it
// builds it, so the command must have no other (an alias cobra finds it by).
func TestSubcommandNames(t *testing.T) {
	for _, s := range subcommands() {
		c := s.build(&env{})
		if c.Name() != s.name || len(c.Aliases) > 0 || c.Hidden {
			t.Errorf("%s: built as %q (aliases %q, hidden %v); rootCmd builds it for %q only", s.name, c.Name(), c.Aliases, c.Hidden, s.name)
		}
	}
}

// TestLazyTreeAnswersAsWholeTree: whatever the line, building only what it
// invokes answers exactly as building every command: output, exit code,
// suggestions, help and completion, and at the first attempt.
func TestLazyTreeAnswersAsWholeTree(t *testing.T) {
	inRepoRoot(t)
	lines := [][]string{
		nil,
		{"--help"}, {"-h"}, {"-vh"}, {"--help=false"}, {"help"}, {"help", "run"}, {"help", "webhook", "verify"}, {"help", "nosuch"},
		{"run", "--help"}, {"checks", "--help"}, {"webhook", "--help"}, {"webhook", "sign", "-h"}, {"har", "--help"},
		{"completion", "bash"}, {"completion", "fish"}, {"__complete", ""}, {"__complete", "ch"}, {"__complete", "run", "--"},
		{"__complete", "webhook", ""}, {"__completeNoDesc", ""},
		{"--version"}, {"version"}, {"version", "extra"}, {"version", "--bogus"},
		{"checks"}, {"checks", "extra"}, {"explain"}, {"explain", "CD1001"}, {"explain", "nosuch"},
		{"chekcs"}, {"verison"}, {"webhok"}, {"CHECKS"}, {"testdata/healthy.yaml"}, {"foo.yaml"}, {""}, {"", "checks"},
		{"--no-color", "checks"}, {"--", "checks"}, {"--version", "checks"}, {"--verbose", "checks"}, {"-v", "checks"},
		{"--config", "checks"}, {"-c", "checks", "version"}, {"--config=testdata/healthy.yaml", "checks"},
		args(healthyArgs, "--no-color"), args(healthyArgs, "--format", "json"), args([]string{"run"}, healthyArgs...),
		{"--config", "testdata/healthy.yaml", "run", "--env-file", "testdata/healthy.env", "--offline"},
		{"--offline", "--config", "testdata/healthy.yaml", "--", "extra"},
		args([]string{"run"}, append(healthyArgs, "extra")...),
		{"--bogus"}, {"--only"}, {"-c"}, {"run", "--bogus"}, {"--confg", "x"}, {"--secret", "x"},
		{"webhook"}, {"webhook", "bogus"}, {"webhook", "verify", "--secret", "x"}, {"webhook", "verify", "extra"},
		{"har"}, {"har", "/nonexistent.har"}, {"proxy"}, {"scan", "--max-file-size", "x"}, {"init", "--confg", "x"},
		{"sandbox", "--seed", "x"}, {"demo", "--fixed=maybe"}, {"demo", "extra"},
	}
	for _, line := range lines {
		whole, _ := runTree(t, true, line...)
		lazy, rebuilt := runTree(t, false, line...)
		if lazy != whole || rebuilt != 0 {
			t.Errorf("%q: built lazily (again %d times) exit %d\nstdout %q\nstderr %q\nbuilt whole exit %d\nstdout %q\nstderr %q",
				line, rebuilt, lazy.code, lazy.stdout, lazy.stderr, whole.code, whole.stdout, whole.stderr)
		}
	}
}
