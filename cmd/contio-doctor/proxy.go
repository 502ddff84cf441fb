package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/probe"
	"github.com/Contio-AI/contio-doctor/internal/proxy"
	"github.com/Contio-AI/contio-doctor/report"
)

func init() { extraCommands = append(extraCommands, subcommand{"proxy", (*env).proxyCmd}) }

// proxyOptions are the flags of `contio-doctor proxy`: run's output flags
// plus the proxy's own.
type proxyOptions struct {
	runOptions
	upstream string
	listen   string
	harOut   string
}

func (e *env) proxyCmd() *cobra.Command {
	o := &proxyOptions{}
	cmd := &cobra.Command{
		Use:   "proxy --upstream URL",
		Short: "Diagnose an app's live traffic through a local capture proxy",
		Long: `proxy serves a local reverse proxy: point the app's Contio base URL (the SDK's
baseURL, its OAuth authorizationUrl and tokenUrl) at it, and every request goes on
to --upstream unchanged while the same checks as "har" run on the traffic. Each new
problem is printed on stderr, one line, the moment it is seen.

On Ctrl-C (SIGINT) or SIGTERM it writes the report in --format (to stdout or
--output) and, with --har, the session as a HAR file with every secret replaced by
a fingerprint. The exit code is as for run.

Secrets seen in the traffic (Authorization values, API keys, tokens, client
secrets) are never printed or stored. It listens on loopback unless --listen says
otherwise.`,
		Example: `  contio-doctor proxy --upstream https://api.contio.ai
  contio-doctor proxy --upstream http://127.0.0.1:8080 --listen 127.0.0.1:8787 --har session.har
  # then, in the app:  new PartnerUserClient(oauth, { baseURL: 'http://127.0.0.1:8787' })`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return e.runProxy(ctx, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.upstream, "upstream", "", "where requests go: the real API (https://api.contio.ai) or the sandbox")
	f.StringVar(&o.listen, "listen", "127.0.0.1:8787", "address to listen on (keep it on loopback)")
	f.StringVar(&o.harOut, "har", "", "on exit, write the session as a redacted HAR 1.2 file")
	stringSliceVar(f, &o.only, "only", "run only these checks (IDs or names, comma-separated)")
	stringSliceVar(f, &o.skip, "skip", "skip these checks (IDs or names, comma-separated)")
	f.StringVar(&o.failOn, "fail-on", "error", "lowest severity that makes the exit code 1: error, warning, info or never")
	f.StringVarP(&o.format, "format", "f", "text", "output format: "+strings.Join(report.FormatNames(), ", "))
	f.StringVarP(&o.output, "output", "o", "", "write the report to this file instead of stdout")
	stringArrayVar(f, &o.reports, "report", "also write FORMAT=FILE (repeatable), e.g. --report sarif=doctor.sarif")
	f.DurationVar(&o.timeout, "timeout", 60*time.Second, "bound for the final diagnosis")
	f.BoolVar(&o.noColor, "no-color", false, "never colour the output (NO_COLOR is honoured too)")
	f.BoolVar(&o.ascii, "ascii", false, "use ASCII marks instead of ✓ ✗ ! - ~")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "also list passed checks and what they verified")
	_ = cmd.MarkFlagRequired("upstream")
	return cmd
}

func (e *env) runProxy(ctx context.Context, o *proxyOptions) error {
	failOn, extra, err := o.outputs()
	if err != nil {
		return err
	}
	up, err := url.Parse(strings.TrimSpace(o.upstream))
	if err != nil || up.Host == "" || (up.Scheme != "http" && up.Scheme != "https") {
		return usageErr(fmt.Errorf("--upstream %q: want an absolute http(s) URL such as https://api.contio.ai", o.upstream))
	}
	name := "proxy session"
	if o.harOut != "" {
		name = o.harOut
	}
	s, err := proxy.NewSession(proxy.SessionOptions{
		Proxy: proxy.Options{Upstream: up, Clock: e.clock},
		Name:  name,
		Only:  o.only, Skip: o.skip, Timeout: o.timeout,
		FailOn:   failOn,
		Verbose:  o.verbose,
		RunID:    e.runID,
		Stuck:    e.stuck,
		Announce: e.stderr,
	})
	if err != nil {
		return usageErr(err)
	}
	ln, loopback, err := proxy.Listen(o.listen)
	if err != nil {
		return usageErr(fmt.Errorf("--listen %s: %w", o.listen, err))
	}
	if forwardsToItself(up, ln.Addr()) {
		ln.Close()
		return usageErr(fmt.Errorf("--upstream %s is the proxy's own --listen address: every request would come back to it; point --upstream at the API or the sandbox", o.upstream))
	}
	if !loopback {
		fmt.Fprintf(e.stderr, "contio-doctor proxy: WARNING: listening on %s, not loopback: anyone who can reach it can use the credentials your app sends through it\n", ln.Addr())
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 30 * time.Second, ErrorLog: s.Logger()}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	s.Start(ctx)
	fmt.Fprintf(e.stderr, "contio-doctor proxy: forwarding http://%s to %s; point the app's Contio base URL here. Ctrl-C writes the report.\n", ln.Addr(), up.Redacted())
	select {
	case <-ctx.Done():
	case err := <-served:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			return &exitError{code: diagnosis.ExitInternal, err: fmt.Errorf("proxy: %w", err)}
		}
	}
	// Let requests in flight finish (briefly), then diagnose everything.
	shutCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	_ = srv.Shutdown(shutCtx)
	cancel()
	runCtx, cancelRun := context.WithTimeout(context.Background(), o.timeout)
	defer cancelRun()
	rep, err := s.Close(runCtx)
	red := s.Redactor()
	if err != nil {
		return &exitError{code: diagnosis.ExitInternal, err: red.Error(err)}
	}
	if o.harOut != "" {
		if err := writeSessionHAR(o.harOut, s); err != nil {
			return &exitError{code: diagnosis.ExitInternal, err: red.Error(err)}
		}
	}
	return e.finish(rep, &o.runOptions, extra, red)
}

// writeSessionHAR writes the redacted session beside its destination and
// renames it into place, so a failed write never leaves half a file.
func writeSessionHAR(dst string, s *proxy.Session) error {
	if dir := filepath.Dir(dst); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", dir, err)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".session-*.har")
	if err != nil {
		return fmt.Errorf("write session HAR: %w", err)
	}
	defer os.Remove(tmp.Name())
	werr := s.WriteHAR(tmp)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		return fmt.Errorf("write session HAR: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("write session HAR: %w", err)
	}
	return nil
}

// forwardsToItself reports whether upstream names the address the proxy
// listens on (a loopback name, or the very host, on the same port).
func forwardsToItself(upstream *url.URL, listen net.Addr) bool {
	lhost, lport, err := net.SplitHostPort(listen.String())
	if err != nil {
		return false
	}
	port := upstream.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[upstream.Scheme]
	}
	if port != lport {
		return false
	}
	host := upstream.Hostname()
	return host == lhost || (probe.IsLoopback(host) && probe.IsLoopback(lhost)) ||
		(lhost == "::" || lhost == "0.0.0.0") && probe.IsLoopback(host)
}
