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
	"github.com/Contio-AI/contio-doctor/internal/har"
	"github.com/Contio-AI/contio-doctor/internal/redact"
	"github.com/Contio-AI/contio-doctor/report"
)

func init() { extraCommands = append(extraCommands, subcommand{"har", (*env).harCmd}) }

// harOptions are the flags of `contio-doctor har`: run's output flags plus
// the capture's own.
type harOptions struct {
	runOptions
	apiURL, authURL string
	redactOut       string
}

func (e *env) harCmd() *cobra.Command {
	o := &harOptions{}
	cmd := &cobra.Command{
		Use:   "har FILE.har",
		Short: "Diagnose real traffic from a HAR capture",
		Long: `har reads a HAR capture (Chromium/Chrome and Firefox devtools, Safari, Playwright,
Charles, Proxyman, mitmproxy) and runs the same checks as run on the Contio requests
it holds (Contio's hosts and those of --api-url/--auth-url; the app's own hosts are
left alone, on loopback too): methods, auth schemes,
headers and Basic credentials of every call, each error response mapped to its
troubleshooting-guide entry, the OAuth flow's order and timing (late or reused
codes, redirect_uri drift, expired OTPs and sessions, rotated refresh tokens) and
the request rate per endpoint class. Findings point at the entry, its time and URL.

The file is streamed entry by entry, so captures of any size work; --timeout covers
reading it. Secrets in it (any header, parameter, form field or JSON key whose name
says token, secret, key, password, signature, code or session, and any body that
does not parse) are never printed; --redact-out writes a copy with them replaced by
fingerprints, safe to attach to a support ticket.`,
		Example: `  contio-doctor har session.har
  contio-doctor har --api-url http://127.0.0.1:8080 --format json capture.har
  contio-doctor har --redact-out ticket.har capture.har`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.runHAR(cmd, args[0], o)
		},
	}
	f := cmd.Flags()
	stringSliceVar(f, &o.only, "only", "run only these checks (IDs or names, comma-separated)")
	stringSliceVar(f, &o.skip, "skip", "skip these checks (IDs or names, comma-separated)")
	f.StringVar(&o.failOn, "fail-on", "error", "lowest severity that makes the exit code 1: error, warning, info or never")
	f.StringVarP(&o.format, "format", "f", "text", "output format: "+strings.Join(report.FormatNames(), ", "))
	f.StringVarP(&o.output, "output", "o", "", "write the report to this file instead of stdout")
	stringArrayVar(f, &o.reports, "report", "also write FORMAT=FILE (repeatable), e.g. --report sarif=doctor.sarif")
	f.DurationVar(&o.timeout, "timeout", 60*time.Second, "bound for the whole run")
	f.BoolVar(&o.noColor, "no-color", false, "never colour the output (NO_COLOR is honoured too)")
	f.BoolVar(&o.ascii, "ascii", false, "use ASCII marks instead of ✓ ✗ ! - ~")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "also list passed checks and what they verified")
	f.StringVar(&o.apiURL, "api-url", "", "also treat this API base URL's host as Contio (sandbox, staging, a proxy)")
	f.StringVar(&o.authURL, "auth-url", "", "also treat this OAuth base URL's host as Contio")
	f.StringVar(&o.redactOut, "redact-out", "", "write a copy of the capture with every secret replaced by a fingerprint")
	return cmd
}

func (e *env) runHAR(cmd *cobra.Command, path string, o *harOptions) error {
	failOn, extra, err := o.outputs()
	if err != nil {
		return err
	}
	if o.redactOut != "" && sameFile(o.redactOut, path) {
		return usageErr(errors.New("--redact-out must not be the capture itself"))
	}
	if o.redactOut != "" {
		if fi, err := os.Stat(o.redactOut); err == nil && !fi.Mode().IsRegular() {
			return usageErr(fmt.Errorf("--redact-out %s is not a regular file (%s): give a file path", o.redactOut, fi.Mode().Type()))
		}
	}
	defer har.UseSoftMemoryLimit()()
	// --timeout bounds the whole run, reading the capture included.
	ctx, cancel := context.WithTimeout(cmd.Context(), o.timeout)
	defer cancel()
	ig, err := har.LoadFile(path, har.Options{File: path, APIURL: o.apiURL, AuthURL: o.authURL, Context: ctx})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return &exitError{code: diagnosis.ExitInternal, err: fmt.Errorf("--timeout %s: %w", o.timeout, err)}
		}
		// Load errors quote positions and field names, never values.
		return usageErr(err)
	}
	red := diagnosis.Redactor(ig)
	rep, err := diagnosis.Run(ctx, ig, diagnosis.Options{
		Only: o.only, Skip: o.skip, Timeout: o.timeout, Capture: diagnosis.SourceHAR, Redactor: red,
		FailOn:  failOn,
		Verbose: o.verbose,
		Clock:   e.clock,
		RunID:   e.runID,
		Stuck:   e.stuck,
	})
	if err != nil {
		return usageErr(red.Error(err))
	}
	phraseSkipsForCapture(rep.Results)
	rep.Notes = append(rep.Notes, captureNote(ig.Capture.Entries, len(ig.Calls)+len(ig.Capture.Repeats)))
	if o.redactOut != "" {
		if err := writeRedactedCopy(path, o.redactOut, red); err != nil {
			return &exitError{code: diagnosis.ExitInternal, err: red.Error(err)}
		}
	}
	return e.finish(rep, &o.runOptions, extra, red)
}

func captureNote(entries, calls int) string {
	return fmt.Sprintf("capture: %d entries, %d of them Contio requests", entries, calls)
}

// writeRedactedCopy writes the redacted capture next to its destination
// and renames it into place, so a failed run never leaves half a file. A
// symlink is written through (its target gets the copy, the link stays);
// a destination that is not a regular file (a device, a pipe, a
// directory) is refused rather than replaced.
func writeRedactedCopy(src, dst string, red *redact.Redactor) error {
	if target, err := filepath.EvalSymlinks(dst); err == nil {
		dst = target
	} else if fi, lerr := os.Lstat(dst); lerr == nil && fi.Mode()&os.ModeSymlink != 0 {
		// A dangling link: write where it points.
		link, rerr := os.Readlink(dst)
		if rerr != nil {
			return fmt.Errorf("--redact-out %s: %w", dst, rerr)
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(dst), link)
		}
		dst = link
	}
	if fi, err := os.Stat(dst); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("--redact-out %s is not a regular file (%s): give a file path", dst, fi.Mode().Type())
	}
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("open capture: %w", err)
	}
	defer in.Close()
	if dir := filepath.Dir(dst); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", dir, err)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".redacted-*.har")
	if err != nil {
		return fmt.Errorf("write redacted capture: %w", err)
	}
	defer os.Remove(tmp.Name())
	werr := har.WriteRedacted(tmp, in, red)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("write redacted capture: %w", err)
	}
	return nil
}

func sameFile(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// phraseSkipsForCapture rewords the skips of config checks for a capture
// run: there is no config to "set oauth.redirect_uri" in, only traffic
// that did or did not show the value.
func phraseSkipsForCapture(results []diagnosis.Result) {
	for i := range results {
		r := &results[i]
		if r.Status != diagnosis.StatusSkip || strings.HasPrefix(r.SkipReason, "a capture is read") {
			continue
		}
		configish := func(s string) bool {
			for _, k := range []string{"oauth.", "tokens.", "admin.", "webhooks.", "config", "CONTIO_"} {
				if strings.Contains(s, k) {
					return true
				}
			}
			return false
		}
		if !configish(r.SkipReason) && !configish(r.Enable) {
			continue
		}
		if reason, ok := strings.CutPrefix(r.SkipReason, "no "); ok {
			reason = strings.TrimSuffix(strings.TrimSuffix(reason, " in the config"), " configured")
			r.SkipReason = "the capture shows no " + reason
		} else {
			r.SkipReason = "the capture does not show what it reads"
		}
		r.Enable = "capture the steps that send it (sign-in, token exchange, API calls), or run `contio-doctor run` with a config"
	}
}
