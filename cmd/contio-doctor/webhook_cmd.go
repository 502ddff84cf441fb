package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/redact"
	"github.com/Contio-AI/contio-doctor/internal/webhookdiag"
	"github.com/Contio-AI/contio-doctor/webhook"
)

func init() { extraCommands = append(extraCommands, subcommand{"webhook", (*env).webhookCmd}) }

func (e *env) webhookCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "webhook",
		Short: "Check webhook deliveries offline (verify, sign)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageErr(errors.New(`webhook: say "verify" or "sign" (see --help)`))
		},
	}
	cmd.AddCommand(e.webhookVerifyCmd(), e.webhookSignCmd())
	return cmd
}

// webhookInput are the flags that say where a delivery and its secret come from.
type webhookInput struct {
	body, request, har string
	entry              int
	signature          string
	secretEnv          string
	config, envFile    string
}

func (o *webhookInput) bindSecret(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.secretEnv, "secret-env", "", "environment variable holding the webhook secret (default: webhooks.secret from the config)")
	f.StringVarP(&o.config, "config", "c", "", "config file to read webhooks.secret from (default: ./contio-doctor.yaml, else CONTIO_WEBHOOK_SECRET)")
	f.StringVar(&o.envFile, "env-file", "", "dotenv file to expand ${VAR} from")
}

func (e *env) webhookVerifyCmd() *cobra.Command {
	o := &webhookInput{}
	var format string
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Say whether a delivery's X-Contio-Signature verifies and, if not, why",
		Long: `verify checks one webhook delivery against the webhook secret. When the
signature does not verify it finds out why: a malformed header, stray
characters in the secret, a body that was re-serialised or whose bytes changed
(BOM, CRLF, Latin-1), or another secret (a rotation mismatch).

The delivery comes from --body FILE (or stdin) with --signature, from a raw
HTTP request dump (--request FILE), or from a HAR capture (--har FILE
[--entry N]). The secret comes from --secret-env VAR or webhooks.secret in
the config; it is never taken as a flag value, and never printed.

Exit status: 0 verifies, 1 does not, 2 bad input.`,
		Example: `  contio-doctor webhook verify --body delivery.json --signature 'sha256=3f1c…' --secret-env CONTIO_WEBHOOK_SECRET
  contio-doctor webhook verify --request captured.http --config contio-doctor.yaml
  contio-doctor webhook verify --har capture.har --entry 12 --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return usageErr(fmt.Errorf("--format %q: want text or json", format))
			}
			return e.webhookVerify(cmd, o, format)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.body, "body", "", `file holding the raw body ("-": stdin; the default when no other input is given)`)
	f.StringVar(&o.request, "request", "", "raw HTTP request dump: request line, headers, blank line, body")
	f.StringVar(&o.har, "har", "", "HAR capture holding the delivery")
	f.IntVar(&o.entry, "entry", 0, "HAR entry, from 1 (default: the first one with X-Contio-Signature)")
	f.StringVar(&o.signature, "signature", "", "the X-Contio-Signature value as received (overrides the capture's)")
	f.StringVarP(&format, "format", "f", "text", "output format: text or json")
	o.bindSecret(cmd)
	return cmd
}

func (e *env) webhookSignCmd() *cobra.Command {
	o := &webhookInput{}
	cmd := &cobra.Command{
		Use:   "sign",
		Short: "Print the X-Contio-Signature value Contio would send for a body",
		Long: `sign prints "sha256=<hex>" for a body, as Contio computes it, so you can
unit-test your verifier or replay a delivery with curl.`,
		Example: `  contio-doctor webhook sign --body event.json --secret-env CONTIO_WEBHOOK_SECRET`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			body, err := e.readInput("--body", o.body, maxWebhookInput)
			if err != nil {
				return usageErr(err)
			}
			secret, _, _, red, err := e.webhookSecret(o)
			if err != nil {
				return err
			}
			w := red.Writer(e.stdout)
			fmt.Fprintln(w, webhook.Sign(secret.Value, body))
			return w.Close()
		},
	}
	cmd.Flags().StringVar(&o.body, "body", "", `file holding the body ("-" or none: stdin)`)
	o.bindSecret(cmd)
	return cmd
}

func (e *env) webhookVerify(cmd *cobra.Command, o *webhookInput, format string) error {
	sources := 0
	for _, s := range []string{o.body, o.request, o.har} {
		if s != "" {
			sources++
		}
	}
	if sources > 1 {
		return usageErr(errors.New("give one of --body, --request and --har"))
	}
	if o.entry != 0 && o.har == "" {
		return usageErr(errors.New("--entry needs --har"))
	}
	var (
		body        []byte
		header      string
		notes       []string
		from        string
		sigFromFlag = cmd.Flags().Changed("signature")
	)
	switch {
	case o.request != "":
		data, err := e.readInput("--request", o.request, maxWebhookInput)
		if err != nil {
			return usageErr(err)
		}
		d, err := webhookdiag.ParseRequest(data)
		if err != nil {
			return usageErr(fmt.Errorf("%s: %w", o.request, err))
		}
		body, notes, from = d.Body, d.Notes, o.request
		header, _ = d.Header(webhook.Header)
	case o.har != "":
		data, err := e.readInput("--har", o.har, maxHARInput)
		if err != nil {
			return usageErr(err)
		}
		d, n, err := webhookdiag.ParseHAR(data, o.entry)
		if err != nil {
			return usageErr(fmt.Errorf("%s: %w", o.har, err))
		}
		body, notes, from = d.Body, d.Notes, fmt.Sprintf("%s entry %d", o.har, n)
		header, _ = d.Header(webhook.Header)
	default:
		if !sigFromFlag {
			return usageErr(errors.New("--signature is required with --body or stdin (give the X-Contio-Signature value as received; '' for a request that had none)"))
		}
		var err error
		if body, err = e.readInput("--body", o.body, maxWebhookInput); err != nil {
			return usageErr(err)
		}
		from = o.body
		if from == "" || from == "-" {
			from = "stdin"
		}
	}
	if sigFromFlag {
		header = o.signature
	}
	secret, others, _, red, err := e.webhookSecret(o)
	if err != nil {
		return err
	}
	d := webhookdiag.Diagnose(webhookdiag.Input{Body: body, Header: header, Secret: secret, Others: others})
	w := red.Writer(e.stdout)
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(struct {
			SchemaVersion int    `json:"schema_version"`
			Input         string `json:"input"`
			Signature     string `json:"signature"`
			webhookdiag.Diagnosis
			Notes []string `json:"notes,omitempty"`
		}{1, from, header, d, notes})
	} else {
		writeDiagnosis(w, d, from, notes, unicodeOK(e.lookupEnv), newPalette(e.useColour(e.stdoutTTY(), false)))
	}
	if err := w.Close(); err != nil {
		return &exitError{code: diagnosis.ExitInternal, err: err}
	}
	if !d.Verified {
		return exitCode(diagnosis.ExitFindings)
	}
	return nil
}

// webhookSecret finds the secret to verify with, the other secrets the
// user holds (to compare against), and a redactor for all of them.
func (e *env) webhookSecret(o *webhookInput) (webhookdiag.Secret, []webhookdiag.Secret, *integration.Integration, *redact.Redactor, error) {
	var secret webhookdiag.Secret
	ig, red, cfgErr := e.loadIntegration(o.config, o.envFile, false)
	explicit := o.config != "" || o.envFile != ""
	if cfgErr != nil && (explicit || o.secretEnv == "") {
		if o.secretEnv == "" && !explicit {
			return secret, nil, nil, nil, usageErr(fmt.Errorf("no webhook secret: give --secret-env VAR, or a config with webhooks.secret (%v)", cfgErr))
		}
		return secret, nil, nil, nil, cfgErr
	}
	if red == nil {
		red = diagnosis.Redactor(nil)
	}
	named := func(label string, v integration.Value) webhookdiag.Secret {
		if at := v.From.String(); at != "" {
			label += " at " + at
		}
		return webhookdiag.Secret{Name: label, Value: v.Raw}
	}
	var others []webhookdiag.Secret
	if ig != nil {
		for _, s := range []webhookdiag.Secret{
			named("webhooks.secret", ig.Webhooks.Secret),
			named("oauth.client_secret", ig.OAuth.ClientSecret),
			named("admin.api_key", ig.Admin.APIKey),
		} {
			if s.Value != "" {
				others = append(others, s)
			}
		}
	}
	if o.secretEnv != "" {
		v, ok := e.lookupEnv(o.secretEnv)
		if !ok || v == "" {
			return secret, nil, nil, nil, usageErr(fmt.Errorf("--secret-env %s: the variable is not set or empty", o.secretEnv))
		}
		red.Add(v)
		return webhookdiag.Secret{Name: "$" + o.secretEnv, Value: v}, others, ig, red, nil
	}
	if ig.Webhooks.Secret.Empty() {
		return secret, nil, nil, nil, usageErr(errors.New("no webhook secret: set webhooks.secret in the config (or CONTIO_WEBHOOK_SECRET), or give --secret-env VAR"))
	}
	return others[0], others[1:], ig, red, nil
}

func writeDiagnosis(w io.Writer, d webhookdiag.Diagnosis, from string, notes []string, unicode bool, pal palette) {
	mark := "FAIL"
	if d.Verified {
		mark = "OK"
	}
	if unicode {
		mark = map[bool]string{true: "✓", false: "✗"}[d.Verified]
	}
	verdict := pal.fail
	if d.Verified {
		verdict = pal.ok
	}
	fmt.Fprintf(w, "%s %s\n", verdict.Sprint(mark), verdict.Sprint(d.Verdict))
	if d.GuideURL != "" {
		fmt.Fprintf(w, "  guide: %s\n", d.GuideURL)
	}
	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s\n", title)
		for _, s := range items {
			fmt.Fprintf(w, "  - %s\n", s)
		}
	}
	list("Why", d.Why)
	list("Fix", d.Fix)
	if len(d.Recipes) > 0 {
		fmt.Fprintln(w, "\nKeep the raw body")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, r := range d.Recipes {
			fmt.Fprintf(tw, "  %s\t%s\n", r.Stack, r.Code)
		}
		_ = tw.Flush()
	}
	if d.NodeSDK != "" {
		fmt.Fprintf(w, "\nNode SDK: %s\n", d.NodeSDK)
	}
	list("Notes", notes)
	fmt.Fprintln(w, "\nChecked")
	what := fmt.Sprintf("%d bytes from %s, sha256 %s…", d.Body.Bytes, from, d.Body.SHA256[:12])
	if d.Body.EventType != "" {
		what += fmt.Sprintf(", %s %s", d.Body.EventType, d.Body.EventID)
	}
	fmt.Fprintf(w, "  body:      %s\n", what)
	header := fmt.Sprintf("%q", d.Header.Raw)
	if d.Header.Raw == "" {
		header = "(none)"
	}
	fmt.Fprintf(w, "  signature: %s\n", header)
	for _, s := range d.Secrets {
		fmt.Fprintf(w, "  secret:    %s = %s\n", s.Name, s.Fingerprint)
	}
}
