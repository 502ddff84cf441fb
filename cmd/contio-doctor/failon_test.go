package main

import "testing"

// TestFailOnTableEveryFormat: the same findings give the same process exit
// code in every format, for each --fail-on value (DESIGN.md exit codes).
func TestFailOnTableEveryFormat(t *testing.T) {
	inRepoRoot(t)
	cases := []struct {
		name string
		base []string
		want map[string]int // --fail-on → exit code
	}{
		{"healthy", healthyArgs, map[string]int{"error": 0, "warning": 0, "info": 0, "never": 0}},
		{"multi-fault", multiFaultArgs, map[string]int{"error": 1, "warning": 1, "info": 1, "never": 0}},
		{"warning only", warningOnly, map[string]int{"error": 0, "warning": 1, "info": 1, "never": 0}},
	}
	for _, c := range cases {
		for failOn, want := range c.want {
			for _, format := range []string{"text", "json", "markdown", "sarif", "junit", "github"} {
				got := runCLI(t, nil, args(c.base, "--fail-on", failOn, "--format", format)...)
				if got.code != want {
					t.Errorf("%s --fail-on %s --format %s: exit %d, want %d\n%s", c.name, failOn, format, got.code, want, got.stderr)
				}
			}
		}
	}
}
