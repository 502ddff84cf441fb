package main

import (
	"encoding/base64"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/report"
)

// Canary secrets: distinctive values put in every credential field, with
// faults that make checks talk about exactly those fields. None of them,
// nor any encoding of them, may appear in anything the program prints.
// The cores hold '+', '/' and '%' so that their URL, form and base64
// forms all differ from the raw value.
const (
	canaryClientID      = "ctp_CanaryClientId7Qx2"
	canaryClientSecret  = "CanaryCS+k3J/9xQ%vT7mW2pL8sR4nZ6"
	canaryOtherSecret   = "CanaryOS+q8D/2wE%rY5tU1iO3pA7sD9"
	canaryAccessToken   = "cto_at_v1_CanaryAT7hQ2mZ9xK4pL8sR3nW6vT1yB5"
	canaryRefreshToken  = "cto_rt_v1_CanaryRT4gF6hJ8kL1zX3cV5bN7mQ9wE2"
	canaryAPIKey        = "cak_CanaryAK2sD4fG6hJ8kL0qW3eR5tY7uI9oP"
	canaryWebhookSecret = "whsec_CanaryWH3xC5vB7nM9aS1dF4gH6jK8lZ0"
	canaryPlaceholder   = "your-client-secret-CanaryPH5tG7yH9uJ2"
)

func basic(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

// canaryForms are the shapes a secret takes on the wire or in a careless
// log line: raw, base64 (std, URL, unpadded), URL/form encoded, and the
// base64 of id:secret that a Basic header carries.
func canaryForms(id, secret string) []string {
	forms := []string{secret, url.QueryEscape(secret), url.PathEscape(secret), strings.ReplaceAll(url.QueryEscape(secret), "+", "%20")}
	for _, v := range []string{secret, id + ":" + secret, id + ":" + secret + "\n"} {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
			forms = append(forms, enc.EncodeToString([]byte(v)))
		}
	}
	return forms
}

func allCanaryForms() map[string]string {
	out := map[string]string{}
	for name, s := range map[string]string{
		"client secret": canaryClientSecret, "Basic header's other secret": canaryOtherSecret,
		"access token": canaryAccessToken, "refresh token": canaryRefreshToken,
		"API key": canaryAPIKey, "webhook secret": canaryWebhookSecret, "placeholder-looking secret": canaryPlaceholder,
	} {
		for _, f := range canaryForms(canaryClientID, s) {
			out[f] = name
		}
	}
	return out
}

// assertNoCanary fails when out holds any canary form.
func assertNoCanary(t *testing.T, what, out string) {
	t.Helper()
	for form, name := range allCanaryForms() {
		if strings.Contains(out, form) {
			i := strings.Index(out, form)
			t.Errorf("%s leaks the %s as %q:\n…%s…", what, name, form, out[max(0, i-120):min(len(out), i+len(form)+40)])
		}
	}
}

const canaryConfig = `version: 1
api_url: https://api.contio.ai
auth_url: https://auth.contio.ai
oauth:
  client_id: ${CONTIO_CLIENT_ID}
  client_secret: ${CONTIO_CLIENT_SECRET}
  redirect_uri: https://app.example.com/oauth/callback
  registered_redirect_uris: [https://app.example.com/oauth/callback]
  scopes: [openid, profile, meetings:read]
  basic_auth_header: ${CONTIO_BASIC_AUTH}
tokens:
  access_token: ${CONTIO_ACCESS_TOKEN}
  refresh_token: ${CONTIO_REFRESH_TOKEN}
admin:
  api_key: ${CONTIO_API_KEY}
  client_id: ${CONTIO_CLIENT_ID}
calls:
  - name: list meetings
    method: GET
    path: /v1/partner/user/meetings?access_token=${CONTIO_ACCESS_TOKEN}
    auth: bearer
  - name: app settings
    method: GET
    path: /v1/partner/admin/app
    auth: api_key
webhooks:
  url: https://app.example.com/webhooks
  secret: ` + canaryWebhookSecret + `
`

// canaryScenarios are env files whose faults make checks quote around
// the secrets: quotes, a trailing newline in the Basic header, a CR, a
// placeholder-looking secret, a Basic header for another secret, a token
// in the wrong slot and a token used as API key.
var canaryScenarios = map[string]string{
	"quoted and trailing newline": "CONTIO_CLIENT_ID=" + canaryClientID + "\n" +
		`CONTIO_CLIENT_SECRET='"` + canaryClientSecret + `"'` + "\n" +
		"CONTIO_BASIC_AUTH=" + basic(canaryClientID, canaryClientSecret+"\n") + "\n" +
		"CONTIO_ACCESS_TOKEN=" + canaryAccessToken + "\r\n" +
		"CONTIO_REFRESH_TOKEN=" + canaryRefreshToken + " \n" +
		"CONTIO_API_KEY=" + canaryAPIKey + "\n",
	"placeholder, mismatch and swapped": "CONTIO_CLIENT_ID=" + canaryClientID + "\n" +
		"CONTIO_CLIENT_SECRET=" + canaryPlaceholder + "\n" +
		"CONTIO_BASIC_AUTH=" + basic(canaryClientID, canaryOtherSecret) + "\n" +
		"CONTIO_ACCESS_TOKEN=" + canaryRefreshToken + "\n" +
		"CONTIO_REFRESH_TOKEN=" + canaryAccessToken + "\n" +
		"CONTIO_API_KEY=" + canaryAccessToken + "\n",
	"form-encoding and raw Basic": "CONTIO_CLIENT_ID=" + canaryClientID + "\n" +
		"CONTIO_CLIENT_SECRET=" + canaryClientSecret + "\n" +
		"CONTIO_BASIC_AUTH=" + canaryClientID + ":" + canaryClientSecret + "\n" +
		"CONTIO_ACCESS_TOKEN=" + canaryAccessToken + "\n" +
		"CONTIO_REFRESH_TOKEN=" + canaryRefreshToken + "\n" +
		"CONTIO_API_KEY=\"" + canaryAPIKey + "\u200b\"\n",
}

func TestCanarySecretsNeverPrinted(t *testing.T) {
	for name, envFile := range canaryScenarios {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "contio-doctor.yaml")
			// 0644 on purpose: the readable-config check quotes the file.
			if err := os.WriteFile(cfg, []byte(canaryConfig), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(cfg, 0o644); err != nil {
				t.Fatal(err)
			}
			envPath := filepath.Join(dir, "canary.env")
			if err := os.WriteFile(envPath, []byte(envFile), 0o600); err != nil {
				t.Fatal(err)
			}
			base := []string{"--config", cfg, "--env-file", envPath, "--offline"}
			failed := false
			for _, format := range report.FormatNames() {
				got := runCLI(t, nil, args(base, "--format", format, "-v")...)
				if got.code != 1 {
					t.Errorf("--format %s: exit %d, want 1 (the faults must make checks fail and talk)\n%s", format, got.code, got.stderr)
				}
				if format == "json" && strings.Count(got.stdout, `"status": "fail"`) >= 3 {
					failed = true
				}
				assertNoCanary(t, "--format "+format+" stdout", got.stdout)
				assertNoCanary(t, "--format "+format+" stderr", got.stderr)
			}
			if !failed {
				t.Errorf("fewer than 3 checks failed: the scenario no longer exercises the checks that quote secrets")
			}
			// The same through the environment instead of an env file.
			vars := parseEnvForTest(envFile)
			got := runCLI(t, vars, "--config", cfg, "--offline", "-v")
			assertNoCanary(t, "text from the environment", got.stdout+got.stderr)
		})
	}
}

// parseEnvForTest reads KEY=VALUE lines, removing one level of quotes.
func parseEnvForTest(s string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		out[k] = v
	}
	return out
}

// TestCanaryNotInConfigErrors: a malformed config with a secret next to
// the error position gives an error that points at the place without
// quoting the secret.
func TestCanaryNotInConfigErrors(t *testing.T) {
	s := canaryClientSecret
	cases := map[string]string{
		"syntax error after the secret":  "version: 1\noauth:\n  client_secret: " + s + "\n  scopes: [openid\n",
		"tab before the secret":          "version: 1\noauth:\n\tclient_secret: " + s + "\n",
		"secret as the version":          "version: " + s + "\n",
		"secret as a duration":           "version: 1\nhttp:\n  timeout: " + s + "\n",
		"secret as a number":             "version: 1\nhttp:\n  max_retries: " + s + "\n",
		"secret as a bool":               "version: 1\nwebhooks:\n  probe: " + s + "\n",
		"secret as a section":            "version: 1\noauth: " + s + "\n",
		"secret as a key":                "version: 1\noauth:\n  " + strings.NewReplacer("+", "", "/", "", "%", "").Replace(s) + ": x\n  " + s + ": y\n",
		"secret in a bad date":           "version: 1\nignore:\n  - check: CD1103\n    reason: r\n    until: " + s + "\n",
		"secret in an unclosed ${":       "version: 1\noauth:\n  client_secret: ${" + s + "\n",
		"secret in a bad ${VAR":          "version: 1\noauth:\n  client_secret: ${CONTIO_" + s + "}\n",
		"duplicate key holding a secret": "version: 1\noauth:\n  client_secret: " + s + "\n  client_secret: " + s + "x\n",
		"secret in a flow map":           "version: 1\noauth: {client_secret: " + s + ", scopes: [\n",
		"secret in a bad auth scheme":    "version: 1\ncalls:\n  - name: x\n    method: GET\n    path: /v1/partner/user/meetings\n    auth: " + s + "\n",
		"secret in a bad backoff":        "version: 1\nhttp:\n  backoff: " + s + "\n",
		"secret in a quoted scalar":      "version: 1\noauth:\n  client_secret: \"" + s + "\\q\"\n",
	}
	for name, yaml := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := filepath.Join(t.TempDir(), "contio-doctor.yaml")
			if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			for _, format := range []string{"text", "json"} {
				got := runCLI(t, nil, "--config", cfg, "--offline", "--format", format)
				if got.code != 2 {
					t.Errorf("exit %d, want 2 (a config error)\nstderr: %s", got.code, got.stderr)
				}
				if !strings.Contains(got.stderr, cfg+":") {
					t.Errorf("the error does not point into the file: %q", got.stderr)
				}
				assertNoCanary(t, "config error", got.stderr+got.stdout)
			}
		})
	}
}

// TestCanaryNotInEnvFileErrors: the same for a malformed env file.
func TestCanaryNotInEnvFileErrors(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "contio-doctor.yaml")
	if err := os.WriteFile(cfg, []byte("version: 1\noauth:\n  client_secret: ${CONTIO_CLIENT_SECRET}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"unclosed quote":   "CONTIO_CLIENT_SECRET=\"" + canaryClientSecret + "\n",
		"no equals sign":   canaryClientSecret + "\n",
		"bad key":          "CONTIO CLIENT=" + canaryClientSecret + "\n",
		"trailing garbage": "CONTIO_CLIENT_SECRET=\"" + canaryClientSecret + "\" " + canaryAPIKey + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			envPath := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".env")
			if err := os.WriteFile(envPath, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			got := runCLI(t, nil, "--config", cfg, "--env-file", envPath, "--offline", "-v")
			assertNoCanary(t, "env file error", got.stderr+got.stdout)
		})
	}
}
