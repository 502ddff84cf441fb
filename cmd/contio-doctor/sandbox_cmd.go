package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

func init() { extraCommands = append(extraCommands, subcommand{"sandbox", (*env).sandboxCmd}) }

// sandboxScopes are what the printed config asks for and the printed token grants.
var sandboxScopes = []string{"openid", "profile", "meetings:read", "meetings:write", "action-items:read", "calendar:read"}

type sandboxOptions struct {
	addr         string
	seed         uint64
	webhookURL   string
	redirectURIs []string
	noRateLimit  bool
}

func (e *env) sandboxCmd() *cobra.Command {
	o := &sandboxOptions{}
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Serve a local, stateful simulator of the Contio Partner API",
		Long: `sandbox serves a simulator of the Contio Partner API on a loopback address:
OAuth sign-in with e-mailed one-time codes (they appear in this log and at
/_sandbox/inbox), consent, tokens, introspection, the user and admin APIs,
rate limits and signed webhooks. Point an integration at it to test offline.

It prints a seeded partner app (client ID and secret, API key, webhook secret)
and a ready contio-doctor.yaml, then serves until interrupted. The same --seed
gives the same credentials on every start. Credentials start with "sbx_": the
real API never accepts them.

The browser sign-in starts at /oauth2/authorize and goes through the
documented /auth/initiate, /auth/verify and consent steps.

The control plane lives under /_sandbox/: POST /_sandbox/clock/advance
{"by":"5m"}, POST /_sandbox/faults, GET /_sandbox/requests, GET /_sandbox/inbox,
GET and PUT /_sandbox/limits, POST /_sandbox/webhooks/trigger,
POST /_sandbox/tokens, POST /_sandbox/reset. It hands out the app's secrets:
keep --addr on loopback (the sandbox warns when it is not).`,
		Example: `  contio-doctor sandbox
  contio-doctor sandbox --addr 127.0.0.1:9000 --seed 7 --webhook-url http://127.0.0.1:3000/webhooks`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return e.serveSandbox(ctx, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on (keep it on loopback: the control plane hands out the app's secrets)")
	f.Uint64Var(&o.seed, "seed", 1, "seed for IDs, credentials and codes (0: random on every start)")
	f.StringVar(&o.webhookURL, "webhook-url", "", "where to send signed webhook deliveries (loopback only)")
	stringArrayVar(f, &o.redirectURIs, "redirect-uri", "register this redirect URI (repeatable; default "+sandbox.DefaultRedirectURI+")")
	f.BoolVar(&o.noRateLimit, "no-rate-limit", false, "turn off the rate limits (100/50/20 a minute per credential, 1,000/500/100 per 5 minutes per IP)")
	return cmd
}

func (e *env) serveSandbox(ctx context.Context, o *sandboxOptions) error {
	if !loopbackOnly(o.addr) {
		fmt.Fprint(e.stderr, exposureWarning(o.addr, e.stderrColor()))
	}
	sb := sandbox.New(sandbox.Options{Addr: o.addr, Seed: o.seed, Log: e.stderr, Limits: sandbox.Limits{Off: o.noRateLimit}})
	app := sb.DefaultApp()
	if o.webhookURL != "" || len(o.redirectURIs) > 0 {
		if err := sb.UpdateApp(app.ClientID, func(a *sandbox.App) {
			if o.webhookURL != "" {
				a.WebhookURL = o.webhookURL
			}
			if len(o.redirectURIs) > 0 {
				a.RedirectURIs = o.redirectURIs
			}
		}); err != nil {
			return err
		}
		app, _ = sb.App(app.ClientID)
	}
	base, stop, err := sb.Start()
	if err != nil {
		return usageErr(fmt.Errorf("sandbox: %w (is another process on %s? try --addr 127.0.0.1:0)", err, o.addr))
	}
	defer stop()
	tok, err := sb.IssueTokens(sandbox.TokenSpec{Scopes: sandboxScopes})
	if err != nil {
		return err
	}
	printSandboxBanner(e.stdout, base, app, sb.DefaultUser().Email, tok, newPalette(e.useColour(e.stdoutTTY(), false)))
	<-ctx.Done()
	fmt.Fprintln(e.stderr, "contio-doctor sandbox: stopping")
	return nil
}

func printSandboxBanner(w io.Writer, base string, app sandbox.App, email string, tok sandbox.Tokens, pal palette) {
	webhookURL := app.WebhookURL
	if webhookURL == "" {
		webhookURL = "(none: pass --webhook-url)"
	}
	fmt.Fprintln(w, pal.accent.Sprint("Contio sandbox listening on "+base)+pal.dim.Sprint(" (a simulator, not the real API)"))
	fmt.Fprintf(w, `
Partner app (sandbox credentials):
  client_id       %[2]s
  client_secret   %[3]s
  redirect URI    %[4]s
  API key         %[5]s
  webhook URL     %[6]s
  webhook secret  %[7]s
  test user       %[8]s (one-time codes: this log and %[1]s/_sandbox/inbox)

Environment (paste into the shell where contio-doctor runs; the config that
"contio-doctor init" writes reads every one of them):
  export CONTIO_API_URL=%[1]s
  export CONTIO_AUTH_URL=%[1]s
  export CONTIO_REDIRECT_URI=%[4]s
  export CONTIO_CLIENT_ID=%[2]s
  export CONTIO_CLIENT_SECRET=%[3]s
  export CONTIO_API_KEY=%[5]s
  export CONTIO_WEBHOOK_SECRET=%[7]s%[14]s
  export CONTIO_ACCESS_TOKEN=%[9]s
  export CONTIO_REFRESH_TOKEN=%[10]s

contio-doctor.yaml:
version: 1
api_url: %[1]s
auth_url: %[1]s
oauth:
  client_id: ${CONTIO_CLIENT_ID}
  client_secret: ${CONTIO_CLIENT_SECRET}
  redirect_uri: %[4]s
  registered_redirect_uris: [%[4]s]
  scopes: [%[11]s]
tokens:
  access_token: ${CONTIO_ACCESS_TOKEN}
  refresh_token: ${CONTIO_REFRESH_TOKEN}
admin:
  api_key: ${CONTIO_API_KEY}
  client_id: ${CONTIO_CLIENT_ID}
webhooks:
  url: %[12]s
  secret: ${CONTIO_WEBHOOK_SECRET}

Authorize in a browser:
  %[1]s/oauth2/authorize?client_id=%[2]s&redirect_uri=%[4]s&response_type=code&scope=%[13]s&state=demo

Serving until interrupted (Ctrl-C).
`, base, app.ClientID, app.ClientSecret, app.RedirectURIs[0], app.APIKey, webhookURL, app.WebhookSecret, email,
		tok.AccessToken, tok.RefreshToken, strings.Join(sandboxScopes, ", "), yamlWebhookURL(app.WebhookURL),
		strings.Join(sandboxScopes, "+"), webhookExport(app.WebhookURL))
}

// webhookExport is the export line for the webhook URL, when one is set.
func webhookExport(u string) string {
	if u == "" {
		return ""
	}
	return "\n  export CONTIO_WEBHOOK_URL=" + u
}

// loopbackOnly reports whether addr (host:port) listens on loopback only:
// 127.0.0.0/8, ::1 or localhost. An empty host, 0.0.0.0 and :: listen on
// every interface.
func loopbackOnly(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// exposureWarning is printed when the sandbox is asked to listen beyond
// loopback: anyone who reaches the port can read the app's secrets from
// the control plane and forge webhook signatures with them.
func exposureWarning(addr string, color bool) string {
	head, tail := "WARNING", ""
	if color {
		head, tail = "\x1b[1;37;41m WARNING \x1b[0m\x1b[1;31m", "\x1b[0m"
	}
	return fmt.Sprintf("%s contio-doctor sandbox will listen on %s, beyond loopback.%s\n"+
		"  Anyone who can reach it can read the partner app's client secret, API key and\n"+
		"  webhook secret at /_sandbox/app, mint tokens at /_sandbox/tokens and reset or\n"+
		"  rewire the sandbox. Use --addr 127.0.0.1:PORT unless this network is yours alone.\n", head, addr, tail)
}

// stderrColor decides colour for stderr as renderOptions does for stdout.
func (e *env) stderrColor() bool {
	if _, ok := e.lookupEnv("NO_COLOR"); ok {
		return false
	}
	if term, _ := e.lookupEnv("TERM"); term == "dumb" {
		return false
	}
	return isTerminal(e.stderr)
}

func yamlWebhookURL(u string) string {
	if u == "" {
		return `""`
	}
	return u
}
