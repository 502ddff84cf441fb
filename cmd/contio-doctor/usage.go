package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/textdist"
	"github.com/Contio-AI/contio-doctor/report"
)

// The messages a user trips on in the first minutes: each names what was
// wrong, the choices, and the closest one when a typo is likely.

// didYouMean returns " (did you mean X?)" for the candidate closest to s,
// within two edits or sharing its prefix; "" when none is close.
func didYouMean(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		d := textdist.Distance(strings.ToLower(s), c)
		if len(s) >= 3 && strings.HasPrefix(c, strings.ToLower(s)) {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

// choiceList renders choices as "a, b or c".
func choiceList(choices []string) string {
	if len(choices) < 2 {
		return strings.Join(choices, "")
	}
	return strings.Join(choices[:len(choices)-1], ", ") + " or " + choices[len(choices)-1]
}

// formatOrder is the order formats are offered in: the terminal's first.
func formatNames() []string {
	out := []string{"text"}
	for _, f := range report.FormatNames() {
		if f != "text" {
			out = append(out, f)
		}
	}
	return out
}

// parseFormat accepts a format name in any case (--format SARIF).
func parseFormat(flag, name string) (string, error) {
	lower := strings.ToLower(strings.TrimSpace(name))
	if _, err := report.For(lower, report.Options{}); err != nil {
		return "", fmt.Errorf("%s: unknown format %q%s; choose %s", flag, name, didYouMean(lower, formatNames()), choiceList(formatNames()))
	}
	return lower, nil
}

var severityNames = []string{"error", "warning", "info", "never"}

// parseFailOn reads --fail-on, in any case, with a suggestion for a typo
// (--fail-on warnings).
func parseFailOn(s string) (diagnosis.Severity, error) {
	sev, err := diagnosis.ParseSeverity(strings.ToLower(strings.TrimSpace(s)))
	if err != nil {
		return 0, fmt.Errorf("--fail-on: unknown severity %q%s; choose %s", s, didYouMean(s, severityNames), choiceList(severityNames))
	}
	return sev, nil
}

// checkTimeout refuses a --timeout that would end the run before it starts.
func checkTimeout(d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("--timeout %s: give a positive duration, like 20s or 1m", d)
	}
	return nil
}

// rootArgs refuses arguments to the root command with a hint: a config
// file passed without --config, or a mistyped command.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	a := args[0]
	ext := strings.ToLower(filepath.Ext(a))
	if _, err := os.Stat(a); err == nil || ext == ".yaml" || ext == ".yml" {
		return fmt.Errorf("%q is not a command; to read a config file, pass it with --config: contio-doctor --config %s", a, a)
	}
	msg := fmt.Sprintf("unknown command %q", a)
	if s := cmd.SuggestionsFor(a); len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", s[0])
	}
	return errors.New(msg + "; run contio-doctor --help for the list")
}

// flagError adds a suggestion to cobra's "unknown flag" errors.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, "unknown flag: --")
	if !ok {
		return err
	}
	if name == "secret" && cmd.Flags().Lookup("secret-env") != nil {
		return fmt.Errorf("%s: a secret is never taken on the command line (shell history, ps); export it and name the variable: --secret-env VAR", msg)
	}
	var names []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	if s := didYouMean(name, names); s != "" {
		return fmt.Errorf("%s%s", msg, strings.Replace(s, "mean ", "mean --", 1))
	}
	return fmt.Errorf("%s; see %s --help", msg, cmd.CommandPath())
}

// Bounds on what webhook commands read: a delivery is a few KiB, a HAR
// capture a few MiB.
const (
	maxWebhookInput = 1 << 20
	maxHARInput     = 64 << 20
)

// readInput reads the file a flag names, or stdin for "" and "-", refusing
// more than limit bytes (a named pipe or /dev/zero never ends).
func (e *env) readInput(flag, path string, limit int64) ([]byte, error) {
	var r io.Reader = e.stdin
	what := "stdin"
	if path != "" && path != "-" {
		f, err := os.Open(path)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, fmt.Errorf("%s %s: cannot read the file: %w", flag, path, err)
		}
		defer f.Close()
		r, what = f, path
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: cannot read: %w", flag, what, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s %s: larger than the limit of %d MiB; give the raw body of one delivery", flag, what, limit>>20)
	}
	return b, nil
}
