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

	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/config"
	"github.com/Contio-AI/contio-doctor/internal/doctor"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/redact"
	"github.com/Contio-AI/contio-doctor/report"
)

// runOptions are the flags of `contio-doctor [run]`.
type runOptions struct {
	config       string
	envFile      string
	offline      bool
	only, skip   []string
	failOn       string
	format       string
	output       string
	reports      []string
	timeout      time.Duration
	noColor      bool
	ascii        bool
	verbose      bool
	probeWebhook bool
	insecure     bool
	scan         []string
}

func (o *runOptions) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVarP(&o.config, "config", "c", "", "config file (default: ./"+config.DefaultFile+", else the CONTIO_* environment variables)")
	f.StringVar(&o.envFile, "env-file", "", "dotenv file to expand ${VAR} from (default: .env beside the config, when present)")
	f.BoolVar(&o.offline, "offline", false, "run only the checks that need no network")
	f.StringSliceVar(&o.only, "only", nil, "run only these checks (IDs or names, comma-separated)")
	f.StringSliceVar(&o.skip, "skip", nil, "skip these checks (IDs or names, comma-separated)")
	f.StringVar(&o.failOn, "fail-on", "error", "lowest severity that makes the exit code 1: error, warning, info or never")
	f.StringVarP(&o.format, "format", "f", "text", "output format: "+strings.Join(report.FormatNames(), ", "))
	f.StringVarP(&o.output, "output", "o", "", "write the report to this file instead of stdout")
	f.StringArrayVar(&o.reports, "report", nil, "also write FORMAT=FILE (repeatable), e.g. --report sarif=doctor.sarif")
	f.DurationVar(&o.timeout, "timeout", 20*time.Second, "bound for the whole run")
	f.BoolVar(&o.noColor, "no-color", false, "never colour the output (NO_COLOR is honoured too)")
	f.BoolVar(&o.ascii, "ascii", false, "use ASCII marks instead of ✓ ✗ ! - ~")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "also list passed checks and what they verified")
	f.BoolVar(&o.probeWebhook, "probe-webhook", false, "send signed test deliveries to webhooks.url (changes nothing at Contio)")
	f.BoolVar(&o.insecure, "insecure-skip-verify", false, "skip TLS verification, for loopback hosts only")
	f.StringArrayVar(&o.scan, "scan", nil, "also read the app's source at PATH (repeatable) and run the source checks")
}

// loadIntegration reads the config as the flags say; errors are usage errors.
func (e *env) loadIntegration(path, envFile string) (*integration.Integration, error) {
	ig, err := config.Load(config.Options{
		Path:         path,
		PathExplicit: path != "",
		EnvFile:      envFile,
		LookupEnv:    e.lookupEnv,
	})
	if err != nil {
		return nil, usageErr(err)
	}
	return ig, nil
}

func (e *env) runDoctor(cmd *cobra.Command, o *runOptions) error {
	failOn, extra, err := o.outputs()
	if err != nil {
		return err
	}
	ig, err := e.loadIntegration(o.config, o.envFile)
	if err != nil {
		return err
	}
	if len(o.scan) > 0 {
		if err := attachScan(cmd.Context(), ig, o.scan, 0); err != nil {
			return err
		}
	}
	red := doctor.Redactor(ig)
	ctx, cancel := context.WithTimeout(cmd.Context(), o.timeout)
	defer cancel()
	live := !o.offline
	shared := liveShared(ig, live, o.insecure)
	done := e.progress(live, ig, red)
	rep, err := doctor.Run(ctx, ig, doctor.Options{
		Checks:       checks.Options{Only: o.only, Skip: o.skip, CheckTimeout: o.timeout},
		FailOn:       failOn,
		Live:         live,
		ProbeWebhook: o.probeWebhook,
		Verbose:      o.verbose,
		Shared:       shared,
		Clock:        e.clock,
		RunID:        e.runID,
	})
	done()
	if err != nil {
		return usageErr(red.Error(err))
	}
	return e.finish(rep, o, extra, red)
}

// outputs checks the flags that shape the result (--fail-on, --format,
// --report) before any work is done, so a typo costs no probes.
func (o *runOptions) outputs() (checks.Severity, []reportTarget, error) {
	failOn, err := checks.ParseSeverity(o.failOn)
	if err != nil {
		return 0, nil, usageErr(fmt.Errorf("--fail-on: %w", err))
	}
	if _, err := report.For(o.format, report.Options{}); err != nil {
		return 0, nil, usageErr(fmt.Errorf("--format: %w", err))
	}
	extra, err := parseReports(o.reports)
	if err != nil {
		return 0, nil, usageErr(err)
	}
	return failOn, extra, nil
}

// finish writes every requested report and turns the report's exit code
// into the command's.
func (e *env) finish(rep *report.Report, o *runOptions, extra []reportTarget, red *redact.Redactor) error {
	if err := e.writeReports(rep, o, extra, red); err != nil {
		return &exitError{code: doctor.ExitInternal, err: red.Error(err)}
	}
	if rep.ExitCode != 0 {
		return exitCode(rep.ExitCode)
	}
	return nil
}

type reportTarget struct{ format, path string }

func parseReports(specs []string) ([]reportTarget, error) {
	var out []reportTarget
	for _, s := range specs {
		format, path, ok := strings.Cut(s, "=")
		if !ok || path == "" {
			return nil, fmt.Errorf("--report %q: want FORMAT=FILE, e.g. sarif=doctor.sarif", s)
		}
		if _, err := report.For(format, report.Options{}); err != nil {
			return nil, fmt.Errorf("--report %q: %w", s, err)
		}
		out = append(out, reportTarget{format, path})
	}
	return out, nil
}

// renderOptions decides colour and marks in one place.
func (e *env) renderOptions(o *runOptions, toTerminal bool) report.Options {
	_, noColorEnv := e.lookupEnv("NO_COLOR")
	color := toTerminal && !o.noColor && !noColorEnv
	if term, _ := e.lookupEnv("TERM"); term == "dumb" {
		color = false
	}
	return report.Options{Color: color, ASCII: o.ascii || !unicodeOK(e.lookupEnv)}
}

// unicodeOK guesses whether the terminal can show ✓ ✗: a UTF-8 locale, or
// no locale set at all (modern terminals and CI logs).
func unicodeOK(lookup func(string) (string, bool)) bool {
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v, ok := lookup(k); ok && v != "" {
			v = strings.ToLower(v)
			return strings.Contains(v, "utf-8") || strings.Contains(v, "utf8")
		}
	}
	return true
}

func (e *env) writeReports(rep *report.Report, o *runOptions, extra []reportTarget, red *redact.Redactor) error {
	toStdout := o.output == "" || o.output == "-"
	if toStdout {
		if err := doctor.Write(e.stdout, rep, o.format, e.renderOptions(o, e.isTTY && o.format == "text"), red); err != nil {
			return err
		}
	} else if err := writeFile(o.output, rep, o.format, e.renderOptions(o, false), red); err != nil {
		return err
	}
	for _, t := range extra {
		if err := writeFile(t.path, rep, t.format, e.renderOptions(o, false), red); err != nil {
			return err
		}
	}
	return e.writeGitHub(rep, o, red)
}

func writeFile(path string, rep *report.Report, format string, ropts report.Options, red *redact.Redactor) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", dir, err)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	werr := doctor.Write(f, rep, format, ropts, red)
	cerr := f.Close()
	return errors.Join(werr, cerr)
}
