package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUsageMessages: the mistakes of a first session each get a message
// that names the fix, and exit 2.
func TestUsageMessages(t *testing.T) {
	inRepoRoot(t)
	tab := filepath.Join(t.TempDir(), "tab.yaml")
	os.WriteFile(tab, []byte("version: 1\noauth:\n\tclient_id: x\n"), 0o600)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"format in capitals", args(healthyArgs, "--format", "SARIF", "--fail-on", "never"), ""},
		{"format typo", args(healthyArgs, "--format", "sraif"), `contio-doctor: --format: unknown format "sraif" (did you mean sarif?); choose text, github, json, junit, markdown or sarif` + "\n"},
		{"report format typo", args(healthyArgs, "--report", "jsn=x.json"), `contio-doctor: --report jsn=x.json: unknown format "jsn" (did you mean json?); choose text, github`},
		{"fail-on plural", args(healthyArgs, "--fail-on", "warnings"), `contio-doctor: --fail-on: unknown severity "warnings" (did you mean warning?); choose error, warning, info or never` + "\n"},
		{"config as argument", []string{"base.yaml"}, `contio-doctor: "base.yaml" is not a command; to read a config file, pass it with --config: contio-doctor --config base.yaml` + "\n"},
		{"command typo", []string{"demoo"}, `contio-doctor: unknown command "demoo" (did you mean demo?)`},
		{"flag typo", []string{"--formt", "json"}, "contio-doctor: unknown flag: --formt (did you mean --format?)\n"},
		{"secret on the command line", []string{"webhook", "verify", "--secret", "X"}, "contio-doctor: unknown flag: --secret: a secret is never taken on the command line (shell history, ps); export it and name the variable: --secret-env VAR\n"},
		{"missing body file", []string{"webhook", "verify", "--body", "nosuch.json", "--signature", "x", "--secret-env", "S"}, "contio-doctor: --body nosuch.json: cannot read the file: no such file or directory\n"},
		{"zero timeout", args(healthyArgs, "--timeout", "0s"), "contio-doctor: --timeout 0s: give a positive duration, like 20s or 1m\n"},
		{"negative timeout", args(healthyArgs, "--timeout", "-1s"), "contio-doctor: --timeout -1s: give a positive duration, like 20s or 1m\n"},
		{"demo zero timeout", []string{"demo", "--timeout", "0s"}, "contio-doctor: --timeout 0s: give a positive duration"},
		{"tab-indented config", []string{"--config", tab, "--offline"}, "contio-doctor: " + tab + ":3:1: invalid YAML: a tab in the indentation (YAML indents with spaces only; replace the tabs with spaces)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runCLI(t, map[string]string{"S": "whsec_usage"}, tt.args...)
			if tt.want == "" {
				if got.code != 0 {
					t.Errorf("exit %d: %s", got.code, got.stderr)
				}
				return
			}
			if got.code != 2 || !strings.HasPrefix(got.stderr, tt.want) {
				t.Errorf("exit %d\n got %q\nwant %q…", got.code, got.stderr, tt.want)
			}
		})
	}
}

// TestWebhookBodyIsBounded: an endless body (/dev/zero, a pipe) is refused
// at the limit with exit 2, not read until memory runs out.
func TestWebhookBodyIsBounded(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	got := runCLI(t, map[string]string{"S": "whsec_usage"}, "webhook", "verify", "--body", "/dev/zero", "--signature", "x", "--secret-env", "S")
	if got.code != 2 || !strings.Contains(got.stderr, "--body /dev/zero: larger than the limit of 1 MiB") {
		t.Errorf("exit %d: %s", got.code, got.stderr)
	}
}
