package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/config"
	"github.com/Contio-AI/contio-doctor/sandbox"
)

func init() { extraCommands = append(extraCommands, subcommand{"demo", (*env).demoCmd}) }

// The demo's partner app, as registered in the sandbox.
const (
	demoRedirect = "https://app.example.com/oauth/callback"
	demoWebhook  = "https://app.example.com/webhooks"
)

func (e *env) demoCmd() *cobra.Command {
	o := &runOptions{}
	var fixed, keep bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole doctor against the built-in sandbox (no setup, no network)",
		Long: `demo starts the embedded Contio sandbox on a loopback port, registers a partner
app and a user who granted only part of the consent, writes a config with the
mistakes partners make most, and runs every check against it, offline and live.

  --fixed   the same, with every mistake corrected: a clean report
  --keep    keep the generated config and .env and print where they are

It exits 0 whenever the report was produced, whatever it found: the report
is run with --fail-on never, and its last line says so.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.runDemo(cmd, o, fixed, keep)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&fixed, "fixed", false, "run against the corrected config")
	f.BoolVar(&keep, "keep", false, "keep the generated config files")
	f.StringVarP(&o.format, "format", "f", "text", "output format")
	f.BoolVar(&o.noColor, "no-color", false, "never colour the output")
	f.BoolVar(&o.ascii, "ascii", false, "use ASCII marks")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "also list passed checks and each probe exchange")
	f.BoolVar(&o.offline, "offline", false, "only the offline checks")
	f.DurationVar(&o.timeout, "timeout", 20*time.Second, "bound for the whole run")
	return cmd
}

func (e *env) runDemo(cmd *cobra.Command, o *runOptions, fixed, keep bool) error {
	var err error
	if o.format, err = parseFormat("--format", o.format); err != nil {
		return usageErr(err)
	}
	if err := checkTimeout(o.timeout); err != nil {
		return usageErr(err)
	}
	var log strings.Builder
	sb := sandbox.New(sandbox.Options{Seed: 2026, Log: &log})
	base, stop, err := sb.Start()
	if err != nil {
		return fmt.Errorf("start the sandbox: %w", err)
	}
	defer stop()

	app := sb.DefaultApp()
	if err := sb.UpdateApp(app.ClientID, func(a *sandbox.App) {
		a.RedirectURIs = []string{demoRedirect}
		a.WebhookURL = demoWebhook
	}); err != nil {
		return err
	}
	app, _ = sb.App(app.ClientID)
	// The user unticked action items on the consent screen.
	granted := []string{"openid", "profile", "meetings:read"}
	if fixed {
		granted = append(granted, "action-items:read")
	}
	tok, err := sb.IssueTokens(sandbox.TokenSpec{Scopes: granted})
	if err != nil {
		return err
	}

	dir, err := os.MkdirTemp("", "contio-doctor-demo-")
	if err != nil {
		return err
	}
	if !keep {
		defer os.RemoveAll(dir)
	}
	cfg := filepath.Join(dir, "contio-doctor.yaml")
	envFile := filepath.Join(dir, ".env")
	if err := os.WriteFile(cfg, []byte(demoConfig(base, fixed)), 0o600); err != nil {
		return err
	}
	basic := app.ClientID + ":" + app.ClientSecret
	if !fixed {
		basic += "\n" // echo without -n
	}
	dotenv := fmt.Sprintf("CONTIO_CLIENT_ID=%s\nCONTIO_CLIENT_SECRET=%s\nCONTIO_BASIC_AUTH=Basic %s\nCONTIO_ACCESS_TOKEN=%s\nCONTIO_REFRESH_TOKEN=%s\nCONTIO_API_KEY=%s\nCONTIO_WEBHOOK_SECRET=%s\n",
		app.ClientID, app.ClientSecret, base64.StdEncoding.EncodeToString([]byte(basic)),
		tok.AccessToken, tok.RefreshToken, app.APIKey, app.WebhookSecret)
	if err := os.WriteFile(envFile, []byte(dotenv), 0o600); err != nil {
		return err
	}

	// The demo's own variables must not leak in from the caller's shell.
	saved := e.lookupEnv
	e.lookupEnv = func(k string) (string, bool) {
		if strings.HasPrefix(k, "CONTIO_") {
			return "", false
		}
		return saved(k)
	}
	// Without --keep the folder is gone when the report is read: name the
	// file as what it is rather than by a path that will not exist.
	name := cfg
	if !keep {
		name = "demo/contio-doctor.yaml"
	}
	ig, red, err := e.loadConfig(config.Options{Path: cfg, PathExplicit: true, EnvFile: envFile, LookupEnv: e.lookupEnv, Name: name})
	e.lookupEnv = saved
	if err != nil {
		return fmt.Errorf("the demo config does not load (a bug, please report it): %w", err)
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), o.timeout)
	defer cancel()
	mode := "fault-laden"
	if fixed {
		mode = "corrected"
	}
	where := "config demo/contio-doctor.yaml (temporary, removed on exit; --keep keeps it)"
	if keep {
		where = "config " + cfg
	}
	fmt.Fprintf(e.stderr, "contio-doctor demo: sandbox at %s, %s %s\n", base, mode, where)
	rep, err := diagnosis.Run(ctx, ig, diagnosis.Options{
		Timeout: o.timeout,
		// The demo's exit code is 0 whatever it finds; the report's last
		// line must say the same.
		FailOn:   diagnosis.SeverityNone,
		Probe:    e.liveProbe(!o.offline, false, o.timeout), // its quota is the sandbox's: not remembered
		Redactor: red,
		Stuck:    e.stuck,
		Verbose:  o.verbose,
		Clock:    e.clock,
		RunID:    e.runID,
	})
	if err != nil {
		return err
	}
	if err := e.writeReports(rep, o, nil, red); err != nil {
		return &exitError{code: diagnosis.ExitInternal, err: red.Error(err)}
	}
	if !fixed {
		fmt.Fprintln(e.stderr, "\nThis was the fault-laden config. Run `contio-doctor demo --fixed` to see the same integration corrected.")
	}
	if keep {
		fmt.Fprintf(e.stderr, "kept %s and %s\n", cfg, envFile)
	}
	return nil
}

// demoConfig is the demo integration. Without fixed it carries the
// mistakes of the troubleshooting guide; with fixed it is correct.
func demoConfig(base string, fixed bool) string {
	redirect, scope, tokenAuth, adminHeaders := demoRedirect+"/", "meeting:read", "bearer", ""
	if fixed {
		redirect, scope, tokenAuth, adminHeaders = demoRedirect, "meetings:read", "basic", "\n    headers: [X-Client-ID]"
	}
	return fmt.Sprintf(`# contio-doctor demo: an integration against the embedded sandbox.
version: 1
api_url: %[1]s
auth_url: %[1]s
oauth:
  client_id: ${CONTIO_CLIENT_ID}
  client_secret: ${CONTIO_CLIENT_SECRET}
  redirect_uri: %[2]s
  registered_redirect_uris: [%[3]s]
  scopes: [openid, profile, %[4]s, action-items:read]
  basic_auth_header: ${CONTIO_BASIC_AUTH}
tokens:
  access_token: ${CONTIO_ACCESS_TOKEN}
  refresh_token: ${CONTIO_REFRESH_TOKEN}
admin:
  api_key: ${CONTIO_API_KEY}
  client_id: ${CONTIO_CLIENT_ID}
calls:
  - name: exchange code for tokens
    method: POST
    path: /oauth2/token
    auth: %[5]s
  - name: profile
    method: GET
    path: /v1/partner/user/profile
    auth: bearer
  - name: list meetings
    method: GET
    path: /v1/partner/user/meetings
    auth: bearer
    per_minute: 30
  - name: list action items
    method: GET
    path: /v1/partner/user/action-items
    auth: bearer
  - name: app settings
    method: GET
    path: /v1/partner/admin/app
    auth: api_key%[6]s
http:
  timeout: 30s
  max_retries: 3
  backoff: exponential
  honors_retry_after: true
  retry_statuses: [429, 500, 502, 503, 504]
webhooks:
  url: %[7]s
  secret: ${CONTIO_WEBHOOK_SECRET}
`, base, redirect, demoRedirect, scope, tokenAuth, adminHeaders, demoWebhook)
}
