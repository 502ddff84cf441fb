package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/config"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/scan"
	"github.com/Contio-AI/contio-doctor/report"
)

func init() { extraCommands = append(extraCommands, subcommand{"scan", (*env).scanCmd}) }

// scanOptions are the flags of `contio-doctor scan`: run's output flags
// plus the scanner's own.
type scanOptions struct {
	runOptions
	maxFileSize int64
}

func (e *env) scanCmd() *cobra.Command {
	o := &scanOptions{}
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Find integration mistakes in the app's source code, at file:line:col",
		Long: `scan reads the app's source (default: the working directory) and reports each
integration mistake at the line that makes it, with the same symptom, cause, fix
and guide entry as run: webhook bodies parsed before the signature check, Basic
credentials built with a newline or sent as Bearer, the wrong header for a path,
GET to POST-only endpoints, SDK 1.9.0 options it silently ignores, credentials
written into code or committed .env files, 429 handlers that do not wait.

It reads JavaScript and TypeScript (.js .mjs .cjs .jsx .ts .tsx) with a real
parser, Go, Python (requests, httpx), shell scripts, Dockerfiles, Makefiles, CI
workflows and .env files. It honours .gitignore and skips node_modules, vendored,
generated and build output, and files over --max-file-size.

With --config (or a contio-doctor.yaml in the first PATH), redirect URIs in code
are compared with the registered ones. SARIF output carries source regions, so
GitHub code scanning annotates the pull request on the offending lines.`,
		Example: `  contio-doctor scan
  contio-doctor scan src scripts --format sarif --output doctor.sarif
  contio-doctor scan --format github --fail-on warning .`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.runScan(cmd, args, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.config, "config", "c", "", "config to compare against (registered redirect URIs); default: PATH/"+config.DefaultFile+" when present")
	f.StringVar(&o.envFile, "env-file", "", "dotenv file to expand the config's ${VAR} from")
	stringSliceVar(f, &o.only, "only", "run only these checks (IDs or names, comma-separated)")
	stringSliceVar(f, &o.skip, "skip", "skip these checks (IDs or names, comma-separated)")
	f.StringVar(&o.failOn, "fail-on", "error", "lowest severity that makes the exit code 1: error, warning, info or never")
	f.StringVarP(&o.format, "format", "f", "text", "output format: "+strings.Join(report.FormatNames(), ", "))
	f.StringVarP(&o.output, "output", "o", "", "write the report to this file instead of stdout")
	stringArrayVar(f, &o.reports, "report", "also write FORMAT=FILE (repeatable), e.g. --report sarif=doctor.sarif")
	f.DurationVar(&o.timeout, "timeout", 60*time.Second, "bound for the whole scan")
	f.BoolVar(&o.noColor, "no-color", false, "never colour the output (NO_COLOR is honoured too)")
	f.BoolVar(&o.ascii, "ascii", false, "use ASCII marks instead of ✓ ✗ ! - ~")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "also list passed checks and what they verified")
	f.Int64Var(&o.maxFileSize, "max-file-size", scan.DefaultMaxFileSize, "skip files larger than this many bytes")
	return cmd
}

func (e *env) runScan(cmd *cobra.Command, paths []string, o *scanOptions) error {
	failOn, extra, err := o.outputs()
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	ig := &integration.Integration{}
	cfg := o.config
	if cfg == "" {
		if st, err := os.Stat(paths[0]); err == nil && st.IsDir() {
			if p := filepath.Join(paths[0], config.DefaultFile); fileExists(p) {
				cfg = p
			}
		}
	}
	if cfg != "" {
		if ig, _, err = e.loadIntegration(cfg, o.envFile, false); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), o.timeout)
	defer cancel()
	if err := attachScan(ctx, ig, paths, o.maxFileSize); err != nil {
		return err
	}
	// Built after the scan: the credentials the code holds are secrets too.
	red := diagnosis.Redactor(ig)
	for _, s := range config.URLCredentials(ig) {
		red.Add(s)
	}
	only := o.only
	if len(only) == 0 {
		for _, c := range diagnosis.All() {
			if c.Needs&diagnosis.NeedsSource != 0 {
				only = append(only, c.ID)
			}
		}
	}
	rep, err := diagnosis.Run(ctx, ig, diagnosis.Options{
		Only: only, Skip: o.skip, Timeout: o.timeout, Redactor: red,
		FailOn:  failOn,
		Verbose: o.verbose,
		Clock:   e.clock,
		RunID:   e.runID,
		Stuck:   e.stuck,
	})
	if err != nil {
		return usageErr(red.Error(err))
	}
	rep.Notes = append(rep.Notes, scanNotes(ig.Code)...)
	return e.finish(rep, &o.runOptions, extra, red)
}

// attachScan scans paths into ig.Code. A path that does not exist is a
// usage error; so is JavaScript/TypeScript that this build cannot parse,
// since a gate that read nothing must not pass.
func attachScan(ctx context.Context, ig *integration.Integration, paths []string, maxSize int64) error {
	code, err := scan.Scan(ctx, paths, scan.Options{MaxFileSize: maxSize})
	if err != nil {
		return usageErr(err)
	}
	for _, s := range code.Skipped {
		if strings.Contains(s, scan.ErrUnavailable.Error()) {
			return usageErr(errors.New("this contio-doctor was built without cgo and cannot parse JavaScript/TypeScript; use a release build (cgo) or `go install` with CGO_ENABLED=1"))
		}
	}
	ig.Code = code
	return nil
}

func scanNotes(c *integration.Code) []string {
	notes := []string{fmt.Sprintf("scanned %d files (%d lines) under %s", c.Files, c.Lines, strings.Join(c.Roots, ", "))}
	for i, s := range c.Skipped {
		if i == 5 {
			notes = append(notes, fmt.Sprintf("… and %d more files skipped", len(c.Skipped)-5))
			break
		}
		notes = append(notes, "skipped "+s)
	}
	return notes
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}
