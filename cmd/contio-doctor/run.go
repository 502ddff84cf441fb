package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/config"
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
	stringSliceVar(f, &o.only, "only", "run only these checks (IDs or names, comma-separated)")
	stringSliceVar(f, &o.skip, "skip", "skip these checks (IDs or names, comma-separated)")
	f.StringVar(&o.failOn, "fail-on", "error", "lowest severity that makes the exit code 1: error, warning, info or never")
	f.StringVarP(&o.format, "format", "f", "text", "output format: "+strings.Join(report.FormatNames(), ", "))
	f.StringVarP(&o.output, "output", "o", "", "write the report to this file instead of stdout")
	stringArrayVar(f, &o.reports, "report", "also write FORMAT=FILE (repeatable), e.g. --report sarif=doctor.sarif")
	f.DurationVar(&o.timeout, "timeout", 20*time.Second, "bound for the whole run")
	f.BoolVar(&o.noColor, "no-color", false, "never colour the output (NO_COLOR is honoured too)")
	f.BoolVar(&o.ascii, "ascii", false, "use ASCII marks instead of ✓ ✗ ! - ~")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "also list passed checks and what they verified")
	f.BoolVar(&o.probeWebhook, "probe-webhook", false, "send signed test deliveries to webhooks.url (changes nothing at Contio)")
	f.BoolVar(&o.insecure, "insecure-skip-verify", false, "skip TLS verification, for loopback hosts only")
	stringArrayVar(f, &o.scan, "scan", "also read the app's source at PATH (repeatable) and run the source checks")
}

// loadIntegration reads the config as the flags say and builds the one
// redactor for everything derived from it; errors are usage errors.
// refuseEmpty turns "no config and no CONTIO_* variable" into an error that
// says how to start, rather than a run against production with nothing set.
func (e *env) loadIntegration(path, envFile string, refuseEmpty bool) (*integration.Integration, *redact.Redactor, error) {
	return e.loadConfig(config.Options{
		Path:         path,
		PathExplicit: path != "",
		EnvFile:      envFile,
		LookupEnv:    e.lookupEnv,
		RefuseEmpty:  refuseEmpty,
	})
}

// loadConfig is loadIntegration with every option open (the demo names its
// temporary files).
func (e *env) loadConfig(opts config.Options) (*integration.Integration, *redact.Redactor, error) {
	ig, err := config.Load(opts)
	if err != nil {
		return nil, nil, usageErr(err)
	}
	red := diagnosis.Redactor(ig)
	for _, s := range config.URLCredentials(ig) {
		red.Add(s)
	}
	return ig, red, nil
}

func (e *env) runDoctor(cmd *cobra.Command, o *runOptions) error {
	failOn, extra, err := o.outputs()
	if err != nil {
		return err
	}
	ig, red, err := e.loadIntegration(o.config, o.envFile, true)
	if err != nil {
		return err
	}
	if len(o.scan) > 0 {
		if err := attachScan(cmd.Context(), ig, o.scan, 0); err != nil {
			return err
		}
		for _, s := range ig.Secrets() { // credentials the code holds
			red.Add(s.Value.Raw)
		}
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), o.timeout)
	defer cancel()
	live := !o.offline
	client := e.liveProbe(live, o.insecure, o.timeout)
	done := e.progress(client, ig, red, o.noColor)
	rep, err := diagnosis.Run(ctx, ig, diagnosis.Options{
		Only: o.only, Skip: o.skip, Timeout: o.timeout,
		FailOn:       failOn,
		Probe:        client,
		ProbeWebhook: o.probeWebhook,
		Verbose:      o.verbose,
		Clock:        e.clock,
		RunID:        e.runID,
		Redactor:     red,
		Stuck:        e.stuck,
	})
	done()
	if client != nil {
		client.SaveQuotas() // the next run in this window leaves the rest alone
	}
	if err != nil {
		return usageErr(red.Error(err))
	}
	if note := config.TemplateNote(config.TemplateLeftovers(ig)); note != "" {
		rep.Notes = append([]string{note}, rep.Notes...)
	}
	return e.finish(rep, o, extra, red)
}

// outputs checks the flags that shape the result (--fail-on, --format,
// --report) before any work is done, so a typo costs no probes.
func (o *runOptions) outputs() (diagnosis.Severity, []reportTarget, error) {
	failOn, err := parseFailOn(o.failOn)
	if err != nil {
		return 0, nil, usageErr(err)
	}
	if o.format, err = parseFormat("--format", o.format); err != nil {
		return 0, nil, usageErr(err)
	}
	if err := checkTimeout(o.timeout); err != nil {
		return 0, nil, usageErr(err)
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
		return &exitError{code: diagnosis.ExitInternal, err: red.Error(err)}
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
		format, err := parseFormat("--report "+s, format)
		if err != nil {
			return nil, err
		}
		out = append(out, reportTarget{format, path})
	}
	return out, nil
}

// renderOptions decides the report's colour (useColour) and marks.
func (e *env) renderOptions(o *runOptions, toTerminal bool) report.Options {
	ropts := report.Options{Color: e.useColour(toTerminal, o.noColor), ASCII: o.ascii || !unicodeOK(e.lookupEnv)}
	if toTerminal {
		ropts.Width = e.width()
	}
	return ropts
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
		ropts := e.renderOptions(o, e.stdoutTTY() && o.format == "text")
		var w io.Writer = e.stdout
		if ropts.ASCII && o.format == "text" {
			w = asciiWriter{e.stdout}
		}
		if err := report.Write(w, rep, o.format, ropts, red); err != nil {
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

// asciiWriter spells the one non-ASCII unit Go's durations use, µs, as us,
// for a terminal whose locale cannot show it (LC_ALL=C). doctor.Write hands
// it the whole document in one Write, so a rune is never split.
type asciiWriter struct{ w io.Writer }

func (a asciiWriter) Write(p []byte) (int, error) {
	if _, err := a.w.Write(bytes.ReplaceAll(p, []byte("µs"), []byte("us"))); err != nil {
		return 0, err
	}
	return len(p), nil
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
	werr := report.Write(f, rep, format, ropts, red)
	cerr := f.Close()
	return errors.Join(werr, cerr)
}
