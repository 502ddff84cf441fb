package config

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// Starter is the commented config `contio-doctor init` writes. Every value
// that differs between environments reads a ${CONTIO_*} variable, with the
// production value or an example as its default, so the export lines that
// `contio-doctor sandbox` prints point the same file at the sandbox. Only
// the client credentials are required; the API key, the webhook secret and
// the tokens expand to empty when unset, and the checks that need them are
// skipped with the reason.
const Starter = `# contio-doctor configuration: describe your Contio integration as your
# code runs it, then run ` + "`contio-doctor`" + ` to check it before your users do.
#
# Secrets are never written here: ${NAME} reads the variable NAME from the
# environment, or from a .env file beside this file (the environment wins).
# ${NAME:-fallback} uses the fallback when NAME is unset or empty; $$ is a
# literal dollar sign.
version: 1

# Where your code sends requests: production unless CONTIO_API_URL and
# CONTIO_AUTH_URL say otherwise (` + "`contio-doctor sandbox`" + ` prints both).
api_url: ${CONTIO_API_URL:-https://api.contio.ai}     # user and admin API
auth_url: ${CONTIO_AUTH_URL:-https://auth.contio.ai}  # OAuth endpoints

oauth:
  # Your app's credentials, from the Contio Partner Dashboard.
  client_id: ${CONTIO_CLIENT_ID}
  client_secret: ${CONTIO_CLIENT_SECRET}
  # The redirect_uri your code puts in the authorization request. Replace
  # the app.example.com examples with your app's own URLs: the doctor says
  # so while they are still here.
  redirect_uri: ${CONTIO_REDIRECT_URI:-https://app.example.com/oauth/callback}
  # The one it sends when exchanging the code, when it differs (the two
  # must match exactly):
  # token_redirect_uri: https://app.example.com/oauth/callback
  # Every redirect URI registered in the Partner Dashboard, exactly as
  # registered there.
  registered_redirect_uris:
    - ${CONTIO_REDIRECT_URI:-https://app.example.com/oauth/callback}
  # The scopes your code requests, one per item.
  scopes: [openid, profile, meetings:read, action-items:read]
  # Optional: an authorization URL your code generated, to be checked as a
  # whole; and the Authorization header it computes for the token endpoint
  # ("Basic " + base64 of client_id:client_secret).
  authorization_url: ""
  basic_auth_header: ""

tokens:
  # Optional: tokens the doctor may inspect (never printed). Unset, the
  # token checks are skipped.
  access_token: ${CONTIO_ACCESS_TOKEN:-}
  refresh_token: ${CONTIO_REFRESH_TOKEN:-}

admin:
  # Optional: the API key for /v1/partner/admin/* (unset, the admin checks
  # are skipped), and the client ID your code sends with it as X-Client-ID.
  api_key: ${CONTIO_API_KEY:-}
  client_id: ${CONTIO_CLIENT_ID}

# The requests your code makes, as it makes them. auth is bearer, basic,
# api_key or none; headers names the other headers sent; per_minute is the
# expected peak rate.
calls:
  - name: list meetings
    method: GET
    path: /v1/partner/user/meetings
    auth: bearer
    per_minute: 30
  - name: app settings
    method: GET
    path: /v1/partner/admin/app
    auth: api_key
    headers: [X-Client-ID]
  - name: exchange code for tokens
    method: POST
    path: /oauth2/token
    auth: basic

# How your HTTP client behaves when a request fails.
http:
  timeout: 30s                 # per request, a Go duration (30s, 1m)
  max_retries: 3
  backoff: exponential         # none, fixed or exponential
  honors_retry_after: true     # waits as long as a 429's Retry-After says
  retry_statuses: [429, 500, 502, 503, 504]
  retries_code_exchange: false # true if a failed code exchange is retried

# Your webhook receiver. Optional: unset, the webhook checks are skipped.
webhooks:
  url: ${CONTIO_WEBHOOK_URL:-https://app.example.com/webhooks}
  secret: ${CONTIO_WEBHOOK_SECRET:-}
  probe: false   # true lets live runs send signed test deliveries to url

# Accepted findings, each with a reason; an expired waiver fails again.
# ignore:
#   - check: CD2005
#     reason: staging registers a callback on localhost
#     until: 2027-01-31
`

// templateHost is the example host of Starter's URLs.
const templateHost = "app.example.com"

// starterMark is Starter's first line: a config that holds it was written
// by init. (A function, so nothing is computed at package init.)
func starterMark() string {
	first, _, _ := strings.Cut(Starter, "\n")
	return first
}

// TemplateLeftovers returns where a config written by init still holds the
// starter's example URLs (app.example.com): it passes the offline checks
// while describing no real app. Other configs that use the example host
// (documentation, test fixtures) are not the template and are left alone.
func TemplateLeftovers(in *integration.Integration) []integration.Source {
	if in == nil || !strings.Contains(string(in.ConfigBytes), starterMark()) {
		return nil
	}
	values := []integration.Value{in.OAuth.RedirectURI, in.OAuth.TokenRedirectURI, in.Webhooks.URL}
	values = append(values, in.OAuth.RegisteredRedirectURIs...)
	var out []integration.Source
	for _, v := range values {
		if u, err := url.Parse(v.Raw); err == nil && strings.EqualFold(u.Hostname(), templateHost) {
			out = append(out, v.From)
		}
	}
	slices.SortFunc(out, func(a, b integration.Source) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return out
}

// TemplateNote is the report's note for TemplateLeftovers' result ("" for
// none).
func TemplateNote(at []integration.Source) string {
	if len(at) == 0 {
		return ""
	}
	lines := make([]string, 0, len(at))
	for _, s := range at {
		if s.Line > 0 {
			lines = append(lines, strconv.Itoa(s.Line))
		}
	}
	where := "the config"
	if at[0].File != "" {
		where = at[0].File
	}
	if len(lines) > 0 {
		where += " (line " + strings.Join(slices.Compact(lines), ", ") + ")"
	}
	return "this is still the starter template: " + where + " uses the example host " + templateHost +
		"; replace it with your app's redirect and webhook URLs (or export CONTIO_REDIRECT_URI and CONTIO_WEBHOOK_URL), or these results describe no real app"
}
