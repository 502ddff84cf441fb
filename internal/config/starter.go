package config

// Starter is the commented config `contio-doctor init` writes. Secrets come
// from ${CONTIO_*} variables (export them, or put them in a .env file beside
// this one); tokens default to empty so a first run needs only the client
// credentials and the API key.
const Starter = `# contio-doctor configuration: describe your Contio integration as your
# code runs it, then run ` + "`contio-doctor`" + ` to check it before your users do.
#
# Secrets are never written here: ${NAME} reads the variable NAME from the
# environment, or from a .env file beside this file (the environment wins).
# ${NAME:-fallback} uses the fallback when NAME is unset or empty; $$ is a
# literal dollar sign.
version: 1

# Where your code sends requests. Leave the defaults unless Contio gave you
# other hosts.
api_url: https://api.contio.ai     # user and admin API
auth_url: https://auth.contio.ai   # OAuth authorization and token endpoints

oauth:
  # Your app's credentials, from the Contio Partner Dashboard.
  client_id: ${CONTIO_CLIENT_ID}
  client_secret: ${CONTIO_CLIENT_SECRET}
  # The redirect_uri your code puts in the authorization request ...
  redirect_uri: https://app.example.com/oauth/callback
  # ... and the one it sends when exchanging the code (defaults to
  # redirect_uri; the two must match exactly).
  token_redirect_uri: https://app.example.com/oauth/callback
  # Every redirect URI registered in the Partner Dashboard, exactly as
  # registered there.
  registered_redirect_uris:
    - https://app.example.com/oauth/callback
  # The scopes your code requests, one per item.
  scopes: [openid, profile, meetings:read, action-items:read]
  # Optional: an authorization URL your code generated, to be checked as a
  # whole; and the Authorization header it computes for the token endpoint
  # ("Basic " + base64 of client_id:client_secret).
  authorization_url: ""
  basic_auth_header: ""

tokens:
  # Optional: tokens the doctor may inspect (never printed).
  access_token: ${CONTIO_ACCESS_TOKEN:-}
  refresh_token: ${CONTIO_REFRESH_TOKEN:-}

admin:
  # The API key for /v1/partner/admin/*, and the client ID your code sends
  # with it as X-Client-ID.
  api_key: ${CONTIO_API_KEY}
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

# Your webhook receiver.
webhooks:
  url: https://app.example.com/webhooks
  secret: ${CONTIO_WEBHOOK_SECRET}
  probe: false   # true lets live runs send signed test deliveries to url

# Accepted findings, each with a reason; an expired waiver fails again.
# ignore:
#   - check: CD2104
#     reason: staging uses a loopback callback
#     until: 2027-01-31
`
