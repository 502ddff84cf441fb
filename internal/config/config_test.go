package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

const (
	fullYAML = "testdata/full.yaml"
	fullEnv  = "testdata/full.env"
)

// loadFull loads testdata/full.yaml with testdata/full.env and an empty
// process environment.
func loadFull(t *testing.T) *integration.Integration {
	t.Helper()
	in, err := Load(Options{Path: fullYAML, PathExplicit: true, EnvFile: fullEnv, LookupEnv: mapEnv(nil)})
	if err != nil {
		t.Fatalf("load %s: %v", fullYAML, err)
	}
	return in
}

// loadString writes yaml (and env, when not "") to a temp dir and loads it
// with the given process environment. The returned path is the config's.
func loadString(t *testing.T, yaml, env string, procEnv map[string]string) (*integration.Integration, string, error) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, DefaultFile)
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	if env != "" {
		if err := os.WriteFile(filepath.Join(dir, DefaultEnvFile), []byte(env), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	in, err := Load(Options{Path: path, PathExplicit: true, LookupEnv: mapEnv(procEnv)})
	return in, path, err
}

func pos(file string, line, col int) integration.Source {
	return integration.Source{File: file, Line: line, Column: col}
}

func TestValuePositions(t *testing.T) {
	in := loadFull(t)
	withVar := func(s integration.Source, v string) integration.Source { s.EnvVar = v; return s }
	tests := []struct {
		name string
		got  integration.Source
		want integration.Source
	}{
		{"api_url", in.APIURL.From, pos(fullYAML, 3, 10)},
		{"auth_url (default used)", in.AuthURL.From, withVar(pos(fullYAML, 4, 11), "AUTH_URL")},
		{"oauth.client_id", in.OAuth.ClientID.From, withVar(pos(fullYAML, 6, 14), "CONTIO_CLIENT_ID")},
		{"oauth.client_secret", in.OAuth.ClientSecret.From, withVar(pos(fullYAML, 7, 18), "CONTIO_CLIENT_SECRET")},
		{"registered_redirect_uris[1]", in.OAuth.RegisteredRedirectURIs[1].From, pos(fullYAML, 12, 7)},
		{"scopes key", in.OAuth.ScopesFrom, pos(fullYAML, 13, 3)},
		{"scopes[2]", in.OAuth.Scopes[2].From, pos(fullYAML, 13, 29)},
		{"calls[0]", in.Calls[0].At, pos(fullYAML, 23, 5)},
		{"calls[0].per_minute", in.Calls[0].PerMinuteFrom, pos(fullYAML, 27, 17)},
		{"calls[1].headers[1]", in.Calls[1].Headers[1].From, pos(fullYAML, 32, 28)},
		{"http.timeout", in.HTTP.TimeoutFrom, pos(fullYAML, 38, 12)},
		{"http.retry_statuses key", in.HTTP.RetryStatusFrom, pos(fullYAML, 42, 3)},
		{"http.retries_code_exchange", in.HTTP.RetriesCodeExchangeFrom, pos(fullYAML, 43, 26)},
		{"webhooks.secret", in.Webhooks.Secret.From, withVar(pos(fullYAML, 46, 11), "CONTIO_WEBHOOK_SECRET")},
		{"ignore[1]", in.Ignore[1].At, pos(fullYAML, 52, 5)},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s at %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestFullConfigValues(t *testing.T) {
	in := loadFull(t)
	if in.ConfigPath != fullYAML || in.Version != 1 {
		t.Errorf("path %q version %d", in.ConfigPath, in.Version)
	}
	data, _ := os.ReadFile(fullYAML)
	if string(in.ConfigBytes) != string(data) {
		t.Error("ConfigBytes differ from the file")
	}
	if got := in.OAuth.ClientSecret.Raw; got != "mONrhIZ8SYcWOluT4Cp8Q06Xd33rSBurMDPOpzx8KGHXf0e4" {
		t.Errorf("client_secret from single-quoted .env value = %q", got)
	}
	if got := in.Tokens.AccessToken.Raw; got != "cto_at_v1_hW6FygCa9tpDyGVxglBZhzFrRHivX0JCHEgIwEZtjLS" {
		t.Errorf("access_token with a trailing # comment = %q", got)
	}
	if in.AuthURL.Raw != DefaultAuthURL || !in.AuthURL.Set || in.AuthURL.Literal {
		t.Errorf("auth_url from ${AUTH_URL:-…} = %+v", in.AuthURL)
	}
	c := in.Calls[0]
	if c.Method.Raw != "GET" || c.Path.Raw != "/v1/partner/user/meetings" || c.Query.Raw != "limit=50&offset=0" || !c.Query.Set {
		t.Errorf("calls[0] method %q path %q query %+v", c.Method.Raw, c.Path.Raw, c.Query)
	}
	if c.Auth.Raw != integration.AuthBearer || c.PerMinute != 30 || c.Name.Raw != "list meetings" {
		t.Errorf("calls[0] auth %q per_minute %d name %q", c.Auth.Raw, c.PerMinute, c.Name.Raw)
	}
	if in.Calls[1].Query.Set || !in.Calls[1].HasHeader("x-client-id") {
		t.Errorf("calls[1] query %+v headers %v", in.Calls[1].Query, in.Calls[1].Headers)
	}
	h := in.HTTP
	if h.Timeout != 30*time.Second || h.MaxRetries != 3 || h.Backoff.Raw != "exponential" || !h.HonorsRetryAfter ||
		len(h.RetryStatuses) != 5 || h.RetryStatuses[0] != 429 || h.RetriesCodeExchange {
		t.Errorf("http = %+v", h)
	}
	if !h.TimeoutSet || !h.MaxRetriesSet || !h.HonorsRetrySet || !h.RetryStatusSet {
		t.Errorf("http keys present but not marked set: %+v", h)
	}
	if in.Webhooks.Probe || in.Webhooks.URL.Raw != "https://app.example.com/webhooks" {
		t.Errorf("webhooks = %+v", in.Webhooks)
	}
	if in.Admin.ClientID.Raw != in.OAuth.ClientID.Raw || in.Admin.APIKey.Raw == "" {
		t.Errorf("admin = %+v", in.Admin)
	}
	if got := in.OAuth.AuthorizationURL.Raw; !strings.HasPrefix(got, "https://auth.contio.ai/oauth2/auth?") {
		t.Errorf("authorization_url = %q", got)
	}
}

func TestDefaultsAreNotSet(t *testing.T) {
	in, _, err := loadString(t, "version: 1\n", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if in.APIURL.Raw != DefaultAPIURL || in.APIURL.Set || in.AuthURL.Raw != DefaultAuthURL || in.AuthURL.Set {
		t.Errorf("defaults: api %+v auth %+v", in.APIURL, in.AuthURL)
	}
	if in.OAuth.ClientID.Set || in.OAuth.ScopesSet || in.HTTP.TimeoutSet || in.HTTP.Backoff.Set || in.EffectiveTokenRedirectURI().Set {
		t.Errorf("absent keys marked set: %+v %+v", in.OAuth, in.HTTP)
	}
	// An empty file is a valid (if empty) config.
	for _, empty := range []string{"", "# only a comment\n", "---\n", "\ufeff"} {
		if _, _, err := loadString(t, empty, "", nil); err != nil {
			t.Errorf("empty file %q: %v", empty, err)
		}
	}
	// A key with no value is set, to the empty string.
	in, _, err = loadString(t, "oauth:\n  client_secret:\n", "", nil)
	if err != nil || !in.OAuth.ClientSecret.Set || in.OAuth.ClientSecret.Raw != "" {
		t.Errorf("empty client_secret: %+v, %v", in.OAuth.ClientSecret, err)
	}
}

// TestRawValuesSurvive: whatever the app would receive ("\r" of a CRLF
// .env, quotes, a BOM, YAML escapes) reaches the checks unchanged.
func TestRawValuesSurvive(t *testing.T) {
	crlf, err := os.ReadFile("testdata/crlf.env")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, yaml, env string
		proc            map[string]string
		want            string
	}{
		{"crlf .env keeps \\r", "oauth:\n  client_secret: ${CONTIO_CLIENT_SECRET}\n", string(crlf), nil, "secret-with-cr\r"},
		{"crlf .env quoted value ends at its quote", "oauth:\n  client_secret: ${QUOTED}\n", string(crlf), nil, "quoted"},
		{"stray quote stays", "oauth:\n  client_secret: ${STRAY}\n", string(crlf), nil, "\"unterminated\r"},
		{"BOM in .env value", "oauth:\n  client_secret: ${BOMVAL}\n", string(crlf), nil, "\ufeffbom\r"},
		{".env double-quoted escapes", "oauth:\n  client_secret: ${ESCAPED}\n", string(crlf), nil, "line1\nline2\r"},
		{"quotes inside unquoted value", "oauth:\n  client_secret: ${PLAIN}\n", string(crlf), nil, "a\"b'c\r"},
		{"YAML double-quoted \\r", "oauth:\n  client_secret: \"abc\\r\"\n", "", nil, "abc\r"},
		{"YAML double-quoted \\n", "oauth:\n  client_secret: \"abc\\n\"\n", "", nil, "abc\n"},
		{"YAML BOM escape", "oauth:\n  client_secret: \"\\ufeffabc\"\n", "", nil, "\ufeffabc"},
		{"YAML quotes kept inside single quotes", "oauth:\n  client_secret: '\"abc\"'\n", "", nil, `"abc"`},
		{"YAML trailing space in quotes", "oauth:\n  client_secret: \"abc \"\n", "", nil, "abc "},
		{"process env value not re-parsed", "oauth:\n  client_secret: ${S}\n", "", map[string]string{"S": "a: b\r\n# c ${X} \"q\""}, "a: b\r\n# c ${X} \"q\""},
		{"YAML literal block keeps newline", "oauth:\n  client_secret: |\n    abc\n", "", nil, "abc\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, _, err := loadString(t, tt.yaml, tt.env, tt.proc)
			if err != nil {
				t.Fatal(err)
			}
			if got := in.OAuth.ClientSecret.Raw; got != tt.want {
				t.Errorf("client_secret = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExpansion(t *testing.T) {
	env := map[string]string{"A": "alpha", "B": "beta", "EMPTY": ""}
	tests := []struct {
		scalar  string
		want    string
		literal bool
		envVar  string
	}{
		{"${A}", "alpha", false, "A"},
		{"pre-${A}-post", "pre-alpha-post", false, "A"},
		{"${A}${B}", "alphabeta", false, "A"},
		{"${UNSET:-fallback}", "fallback", false, "UNSET"},
		{"${EMPTY:-fallback}", "fallback", false, "EMPTY"},
		{"${EMPTY}", "", false, "EMPTY"},
		{"${UNSET:-}", "", false, "UNSET"},
		{"${A:-fallback}", "alpha", false, "A"},
		{"${UNSET:-a b:c}", "a b:c", false, "UNSET"},
		{"$$", "$", true, ""},
		{"$${A}", "${A}", true, ""},
		{"cost $5", "cost $5", true, ""},
		{"$A", "$A", true, ""},
		{"trailing $", "trailing $", true, ""},
		{"plain", "plain", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.scalar, func(t *testing.T) {
			in, _, err := loadString(t, "oauth:\n  client_id: '"+tt.scalar+"'\n", "", env)
			if err != nil {
				t.Fatal(err)
			}
			v := in.OAuth.ClientID
			if v.Raw != tt.want || v.Literal != tt.literal || v.From.EnvVar != tt.envVar || !v.Set {
				t.Errorf("got raw %q literal %v envvar %q, want %q %v %q", v.Raw, v.Literal, v.From.EnvVar, tt.want, tt.literal, tt.envVar)
			}
		})
	}
}

func TestBadReferences(t *testing.T) {
	for _, scalar := range []string{"${A", "${}", "${1A}", "${A B}", "x${-}y", "${A:-${B}}"} {
		_, path, err := loadString(t, "oauth:\n  client_id: '"+scalar+"'\n", "", map[string]string{"A": "a"})
		want := path + ":2:14: oauth.client_id: "
		if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "$$") {
			t.Errorf("%s: got %v, want an error starting %q that mentions $$", scalar, err, want)
		}
	}
}

// TestPrecedence: the process environment wins over the env file.
func TestPrecedence(t *testing.T) {
	yaml := "oauth:\n  client_id: ${ID}\n  client_secret: ${ONLY_FILE}\n"
	env := "ID=from-file\nONLY_FILE=file-secret\n"
	in, _, err := loadString(t, yaml, env, map[string]string{"ID": "from-process"})
	if err != nil {
		t.Fatal(err)
	}
	if in.OAuth.ClientID.Raw != "from-process" || in.OAuth.ClientSecret.Raw != "file-secret" {
		t.Errorf("client_id %q (want from-process), client_secret %q (want file-secret)", in.OAuth.ClientID.Raw, in.OAuth.ClientSecret.Raw)
	}
	// Set but empty in the process environment still wins.
	in, _, err = loadString(t, yaml, env, map[string]string{"ID": ""})
	if err != nil || in.OAuth.ClientID.Raw != "" {
		t.Errorf("empty process value: %q, %v", in.OAuth.ClientID.Raw, err)
	}
}

func TestMissingVariableError(t *testing.T) {
	yaml := "version: 1\noauth:\n  client_id: abc\n  client_secret: ${CONTIO_CLIENT_SECRET}\n"
	_, path, err := loadString(t, yaml, "", nil)
	want := path + ":4:18: oauth.client_secret: variable CONTIO_CLIENT_SECRET is not set; export CONTIO_CLIENT_SECRET, " +
		"add CONTIO_CLIENT_SECRET=... to a .env file beside the config, or pass --env-file, or give a default with ${CONTIO_CLIENT_SECRET:-value}"
	if err == nil || err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
	var e *Error
	if !errors.As(err, &e) || e.Line != 4 || e.Column != 18 {
		t.Errorf("errors.As(*Error) = %+v", e)
	}
	// With an env file in use, the message names it.
	_, path, err = loadString(t, yaml, "OTHER=1\n", nil)
	envPath := filepath.Join(filepath.Dir(path), DefaultEnvFile)
	if err == nil || !strings.Contains(err.Error(), "add CONTIO_CLIENT_SECRET=... to "+envPath) {
		t.Errorf("got %v, want it to name %s", err, envPath)
	}
}

func TestUnknownKeySuggestions(t *testing.T) {
	tests := []struct {
		yaml string
		want string
	}{
		{"oauth:\n  client_secert: x\n", `:2:3: unknown key "client_secert" in oauth; did you mean "client_secret"?`},
		{"oauth:\n  redirect_url: x\n", `:2:3: unknown key "redirect_url" in oauth; did you mean "redirect_uri"?`},
		{"oauth:\n  scope: [openid]\n", `:2:3: unknown key "scope" in oauth; did you mean "scopes"?`},
		{"oauth:\n  Client_ID: x\n", `:2:3: unknown key "Client_ID" in oauth; did you mean "client_id"?`},
		{"client_secret: x\n", `:1:1: unknown key "client_secret" at the top level; "client_secret" belongs under oauth`},
		{"oauth:\n  timeout: 3s\n", `:2:3: unknown key "timeout" in oauth; "timeout" belongs under http`},
		{"webhook:\n  url: x\n", `:1:1: unknown key "webhook" at the top level; did you mean "webhooks"?`},
		{"calls:\n  - methd: GET\n    path: /x\n    method: GET\n", `:2:5: unknown key "methd" in calls[0]; did you mean "method"?`},
		{"http:\n  retry_status: [429]\n", `:2:3: unknown key "retry_status" in http; did you mean "retry_statuses"?`},
		{"tokens:\n  zzz: x\n", `:2:3: unknown key "zzz" in tokens; valid keys here: access_token, refresh_token`},
	}
	for _, tt := range tests {
		_, path, err := loadString(t, tt.yaml, "", nil)
		if err == nil || err.Error() != path+tt.want {
			t.Errorf("%q:\n got  %v\n want %s%s", tt.yaml, err, path, tt.want)
		}
	}
}

func TestWrongTypes(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"mapping for a string", "oauth:\n  client_id:\n    a: b\n", ":3:5: oauth.client_id must be a single value, found a mapping"},
		{"list for a string", "api_url: [a]\n", ":1:10: api_url must be a single value, found a list"},
		{"section not a mapping", "oauth: yes\n", ":1:8: oauth must be a mapping of keys (like `key: value`), found a single value"},
		{"per_minute words", "calls:\n  - method: GET\n    path: /x\n    per_minute: lots\n", ":4:17: calls[0].per_minute must be the expected peak requests per minute, a whole number from 0 to 1000000"},
		{"negative per_minute", "calls:\n  - {method: GET, path: /x, per_minute: -1}\n", ":2:41: calls[0].per_minute must be"},
		{"timeout without unit", "http:\n  timeout: 30\n", ":2:12: http.timeout needs a unit: write 30s, 1m or 1500ms"},
		{"timeout words", "http:\n  timeout: soon\n", ":2:12: http.timeout must be a duration like 30s"},
		{"negative timeout", "http:\n  timeout: -1s\n", ":2:12: http.timeout cannot be negative"},
		{"max_retries float", "http:\n  max_retries: 2.5\n", ":2:16: http.max_retries must be how many times"},
		{"bool words", "http:\n  honors_retry_after: maybe\n", ":2:23: http.honors_retry_after must be true or false"},
		{"status out of range", "http:\n  retry_statuses: [429, 42]\n", ":2:25: http.retry_statuses[1] must be an HTTP status code from 100 to 599"},
		{"bad backoff", "http:\n  backoff: exponentail\n", `:2:12: http.backoff must be one of none, fixed, exponential; did you mean "exponential"?`},
		{"bad auth", "calls:\n  - {method: GET, path: /x, auth: Bearer}\n", `:2:35: calls[0].auth must be one of bearer, basic, api_key, none; did you mean "bearer"?`},
		{"calls not a list", "calls:\n  method: GET\n", ":2:3: calls must be a list of calls"},
		{"call without path", "calls:\n  - method: GET\n", ":2:5: calls[0] has no path"},
		{"empty call", "calls:\n  -\n", ":2:4: calls[0] is empty"},
		{"version 2", "version: 2\n", ":1:10: unsupported config version; this contio-doctor reads `version: 1`"},
		{"bad date", "ignore:\n  - check: CD2104\n    reason: r\n    until: 31/01/2027\n", ":4:12: ignore[0].until must be a date written YYYY-MM-DD, like 2027-01-31"},
		{"impossible date", "ignore:\n  - check: CD2104\n    reason: r\n    until: 2027-02-30\n", ":4:12: ignore[0].until must be a date"},
		{"waiver without reason", "ignore:\n  - check: CD2104\n", ":2:5: ignore[0] has no reason"},
		{"waiver blank reason", "ignore:\n  - check: CD2104\n    reason: '  '\n", ":2:5: ignore[0] has no reason"},
		{"waiver without check", "ignore:\n  - reason: r\n", ":2:5: ignore[0] has no check"},
		{"duplicate key", "oauth:\n  client_id: a\n  client_id: b\n", `:3:3: duplicate key "client_id" in oauth (first set at line 2)`},
		{"complex key", "oauth:\n  ? [a]\n  : b\n", ":2:5: oauth: a key must be a plain name, found a list"},
		{"second document", "version: 1\n---\nversion: 1\n", ":2:1: a second YAML document (after ---): the config is one document"},
		{"top level list", "- a\n", ":1:1: the config must be a mapping of keys"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, path, err := loadString(t, tt.yaml, "", nil)
			if err == nil || !strings.HasPrefix(err.Error(), path+tt.want) {
				t.Errorf("got  %v\nwant %s%s…", err, path, tt.want)
			}
		})
	}
}

func TestBadYAML(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unclosed flow list", "a: 1\nb: [1, 2\nc: 3\n", ":2:1: invalid YAML: did not find expected ',' or ']'"},
		{"unclosed quote", "version: 1\noauth:\n  client_id: \"abc\n  client_secret: x\n", ":3:3: invalid YAML: found unexpected end of stream (an unclosed quote or bracket)"},
		{"over-indented key", "version: 1\n  api_url: x\n", ":2:3: invalid YAML: mapping values are not allowed in this context"},
		{"tab indent", "oauth:\n  client_id: x\n\tclient_secret: y\n", ":3:1: invalid YAML: found a tab character that violates indentation"},
		{"stray list item", "version: 1\n- x\n", ":2:1: invalid YAML: did not find expected key"},
		{"unknown alias", "version: 1\napi_url: *nope\n", ":2:10: invalid YAML: an alias refers to an anchor that is not defined above it"},
		{"control character", "version: 1\napi_url: a\x07b\n", ":2:11: invalid YAML: control characters are not allowed"},
		{"invalid UTF-8", "version: 1\n\napi_url: a\xffb\n", ":3:11: invalid YAML: invalid"},
		{"first line", "api_url: @x\n", ":1:10: invalid YAML: found character that cannot start any token"},
		{"deep nesting on one line", strings.Repeat("[", 1000), ":1:1: invalid YAML: did not find expected node content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, path, err := loadString(t, tt.yaml, "", nil)
			if err == nil || !strings.HasPrefix(err.Error(), path+tt.want) {
				t.Errorf("got  %v\nwant %s%s…", err, path, tt.want)
			}
		})
	}
}

// TestSeveralErrorsSortedByPosition: one load reports every problem, one
// per line, in file order.
func TestSeveralErrorsSortedByPosition(t *testing.T) {
	yaml := "http:\n  timeout: soon\noauth:\n  scope: x\n  client_secret: ${MISSING}\nversion: 3\n"
	_, path, err := loadString(t, yaml, "", nil)
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("got %T %v, want Errors", err, err)
	}
	var got []string
	for _, line := range strings.Split(err.Error(), "\n") {
		rest := strings.TrimPrefix(line, path+":")
		got = append(got, rest[:strings.IndexByte(rest, ' ')])
	}
	want := []string{"2:12:", "4:3:", "5:18:", "6:10:"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("positions %v, want %v\n%v", got, want, err)
	}
}

func TestTooManyProblemsAreCounted(t *testing.T) {
	yaml := "calls:\n" + strings.Repeat("  - {method: GET, path: /x, per_minute: x}\n", maxErrors+7)
	_, path, err := loadString(t, yaml, "", nil)
	var es Errors
	if !errors.As(err, &es) || len(es) != maxErrors+1 {
		t.Fatalf("got %d errors, want %d and a count of the rest", len(es), maxErrors)
	}
	if last := es[len(es)-1].Error(); last != path+": and 7 more problems not shown; fix the ones above first" {
		t.Errorf("last line = %q", last)
	}
}

func TestEnvOnlyMode(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	env := map[string]string{
		"CONTIO_API_URL":       "https://api.example.test",
		"CONTIO_CLIENT_ID":     "ctp_env",
		"CONTIO_CLIENT_SECRET": "secret\r",
		"CONTIO_REDIRECT_URI":  "https://app.example.com/cb",
		"CONTIO_SCOPES":        "openid  profile meetings:read,action-items:read\r",
		"CONTIO_API_KEY":       "cak_env",
		"HTTPS_PROXY":          "http://proxy.internal:3128",
		"no_proxy":             "localhost",
	}
	in, err := Load(Options{LookupEnv: mapEnv(env)})
	if err != nil {
		t.Fatal(err)
	}
	if in.ConfigPath != "" || in.ConfigBytes != nil || in.Version != 1 {
		t.Errorf("env-only: path %q bytes %v version %d", in.ConfigPath, in.ConfigBytes, in.Version)
	}
	if in.OAuth.ClientSecret.Raw != "secret\r" || in.OAuth.ClientSecret.From.EnvVar != "CONTIO_CLIENT_SECRET" || in.OAuth.ClientSecret.Literal {
		t.Errorf("client_secret = %+v", in.OAuth.ClientSecret)
	}
	if in.APIURL.Raw != "https://api.example.test" || !in.APIURL.Set || in.AuthURL.Raw != DefaultAuthURL || in.AuthURL.Set {
		t.Errorf("api %+v auth %+v", in.APIURL, in.AuthURL)
	}
	var scopes []string
	for _, s := range in.OAuth.Scopes {
		scopes = append(scopes, s.Raw)
		if s.From.EnvVar != "CONTIO_SCOPES" {
			t.Errorf("scope %q from %v", s.Raw, s.From)
		}
	}
	if got := strings.Join(scopes, "|"); got != "openid|profile|meetings:read,action-items:read\r" || !in.OAuth.ScopesSet {
		t.Errorf("scopes = %q", got)
	}
	if in.Admin.APIKey.Raw != "cak_env" || in.Admin.ClientID.Raw != "ctp_env" {
		t.Errorf("admin = %+v", in.Admin)
	}
	if in.Tokens.AccessToken.Set || in.Webhooks.Secret.Set || in.Webhooks.URL.Set {
		t.Errorf("unset variables marked set")
	}
	if len(in.Env) != 2 || in.Env["HTTPS_PROXY"] != "http://proxy.internal:3128" || in.Env["no_proxy"] != "localhost" {
		t.Errorf("env snapshot = %v", in.Env)
	}

	// A .env in the working directory feeds the same variables; its values
	// point at their line.
	if err := os.WriteFile(DefaultEnvFile, []byte("# creds\nCONTIO_WEBHOOK_SECRET=whsec_x\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	in, err = Load(Options{LookupEnv: mapEnv(env)})
	if err != nil {
		t.Fatal(err)
	}
	want := integration.Source{File: DefaultEnvFile, Line: 2, Column: 23, EnvVar: "CONTIO_WEBHOOK_SECRET"}
	if in.Webhooks.Secret.Raw != "whsec_x\r" || in.Webhooks.Secret.From != want {
		t.Errorf("webhook secret %q from %+v, want from %+v", in.Webhooks.Secret.Raw, in.Webhooks.Secret.From, want)
	}
}

func TestDefaultFileInWorkingDirectory(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile(DefaultFile, []byte("oauth:\n  client_id: ${ID}\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(DefaultEnvFile, []byte("ID=from-dotenv\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	in, err := Load(Options{LookupEnv: mapEnv(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if in.ConfigPath != DefaultFile || in.ConfigMode != 0o640 || in.OAuth.ClientID.Raw != "from-dotenv" {
		t.Errorf("path %q mode %o client_id %q", in.ConfigPath, in.ConfigMode, in.OAuth.ClientID.Raw)
	}
}

func TestMissingFiles(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, DefaultFile)
	if err := os.WriteFile(cfg, []byte("version: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"explicit config missing", Options{Path: filepath.Join(dir, "nope.yaml"), PathExplicit: true},
			filepath.Join(dir, "nope.yaml") + ": config file not found"},
		{"explicit env file missing", Options{Path: cfg, PathExplicit: true, EnvFile: filepath.Join(dir, "nope.env")},
			filepath.Join(dir, "nope.env") + ": env file not found (check --env-file)"},
		{"config is a directory", Options{Path: dir, PathExplicit: true}, dir + ": is a directory, not a file"},
	}
	for _, tt := range tests {
		tt.opts.LookupEnv = mapEnv(nil)
		_, err := Load(tt.opts)
		var e *Error
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) || !errors.As(err, &e) {
			t.Errorf("%s: got %v, want %s…", tt.name, err, tt.want)
		}
	}
	// A non-explicit path that is missing falls back to the environment.
	in, err := Load(Options{Path: filepath.Join(dir, "nope.yaml"), LookupEnv: mapEnv(map[string]string{"CONTIO_CLIENT_ID": "x"})})
	if err != nil || in.ConfigPath != "" || in.OAuth.ClientID.Raw != "x" {
		t.Errorf("fallback to env: %v %+v", err, in)
	}
}

func TestEnvFileErrorsHavePositions(t *testing.T) {
	_, path, err := loadString(t, "version: 1\n", "OK=1\nnot a line\n", nil)
	want := filepath.Join(filepath.Dir(path), DefaultEnvFile) + ":2:5: expected KEY=value"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %s…", err, want)
	}
}

// TestSecretsNeverInErrors: a canary secret in a malformed line, or
// expanded into a value of the wrong type, is never echoed by an error.
func TestSecretsNeverInErrors(t *testing.T) {
	const canary = "CANARYs3cr3tVALUE9f8e7d"
	proc := map[string]string{"SECRET": canary}
	tests := []struct {
		name, yaml, env string
	}{
		{"dotenv line without =", "version: 1\n", canary + "\n"},
		{"dotenv key then space", "version: 1\n", "CONTIO_CLIENT_SECRET " + canary + "\n"},
		{"dotenv colon form", "version: 1\n", "CONTIO_CLIENT_SECRET: " + canary + "\n"},
		{"dotenv text after quote", "version: 1\n", "S=\"" + canary + "\"" + canary + "\n"},
		{"dotenv bad name", "version: 1\n", "1" + canary + "=x\n"},
		{"yaml unclosed quote", "oauth:\n  client_secret: \"" + canary + "\n  x: 1\n", ""},
		{"yaml secret as key", "oauth:\n  " + canary + ": x\n", ""},
		{"yaml secret as long key", "oauth:\n  client_secret " + canary + ": x\n", ""},
		{"yaml secret in a mapping", "oauth:\n  client_secret=" + canary + "\n", ""},
		{"yaml secret over-indented", "oauth:\n  client_secret: x\n    " + canary + ": y\n", ""},
		{"secret expanded into per_minute", "calls:\n  - {method: GET, path: /x, per_minute: '${SECRET}'}\n", ""},
		{"secret expanded into timeout", "http:\n  timeout: ${SECRET}\n", ""},
		{"secret expanded into auth", "calls:\n  - {method: GET, path: /x, auth: '${SECRET}'}\n", ""},
		{"secret expanded into until", "ignore:\n  - {check: x, reason: y, until: '${SECRET}'}\n", ""},
		{"secret expanded into version", "version: ${SECRET}\n", ""},
		{"secret literal in enum", "http:\n  backoff: " + canary + "\n", ""},
		{"secret as a reference name", "oauth:\n  client_secret: ${" + canary + "-x}\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := loadString(t, tt.yaml, tt.env, proc)
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), canary[:12]) {
				t.Errorf("error echoes the secret: %v", err)
			}
		})
	}
}

func TestLiteralFlag(t *testing.T) {
	yaml := "oauth:\n  client_id: ctp_literal\n  client_secret: ${S}\n  redirect_uri: https://x/${PATH_PART:-cb}\n  basic_auth_header: Basic $$abc\ntokens:\n  access_token: ''\n"
	in, _, err := loadString(t, yaml, "", map[string]string{"S": "s"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		v    integration.Value
		want bool
	}{
		{"literal", in.OAuth.ClientID, true},
		{"whole reference", in.OAuth.ClientSecret, false},
		{"partial reference", in.OAuth.RedirectURI, false},
		{"escaped dollar", in.OAuth.BasicAuthHeader, true},
		{"empty literal", in.Tokens.AccessToken, true},
	}
	for _, tt := range tests {
		if tt.v.Literal != tt.want || !tt.v.Set {
			t.Errorf("%s: literal %v set %v, want literal %v", tt.name, tt.v.Literal, tt.v.Set, tt.want)
		}
	}
}

func TestIgnoreParsing(t *testing.T) {
	in := loadFull(t)
	if len(in.Ignore) != 2 {
		t.Fatalf("ignore = %+v", in.Ignore)
	}
	w := in.Ignore[0]
	if w.Check != "CD2005" || w.Reason != "staging uses a loopback callback" {
		t.Errorf("waiver = %+v", w)
	}
	lastMoment := time.Date(2027, 1, 31, 23, 59, 59, 999999999, time.UTC)
	if !w.Until.Equal(lastMoment) {
		t.Errorf("until = %v, want the end of 2027-01-31 UTC", w.Until)
	}
	if !w.Until.After(time.Date(2027, 1, 31, 23, 0, 0, 0, time.UTC)) || !w.Until.Before(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("until %v is not within the last hour of the day", w.Until)
	}
	if in.Ignore[1].Check != "basic-auth-trailing-newline" || !in.Ignore[1].Until.IsZero() {
		t.Errorf("waiver without until = %+v", in.Ignore[1])
	}
}

func TestScopesSingleStringKeptWhole(t *testing.T) {
	in, path, err := loadString(t, "oauth:\n  scopes: openid,profile meetings:read\n", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := in.OAuth
	if !s.ScopesSet || len(s.Scopes) != 1 || s.Scopes[0].Raw != "openid,profile meetings:read" || s.ScopesFrom != pos(path, 2, 3) {
		t.Errorf("scopes = %+v from %v", s.Scopes, s.ScopesFrom)
	}
	// An empty list is set, and empty.
	in, _, err = loadString(t, "oauth:\n  scopes: []\n", "", nil)
	if err != nil || !in.OAuth.ScopesSet || len(in.OAuth.Scopes) != 0 {
		t.Errorf("empty scopes: %+v %v", in.OAuth, err)
	}
}

func TestAnchorsAndMergeKeys(t *testing.T) {
	yaml := `x-defaults: &bearer
  auth: bearer
  method: GET
calls:
  - <<: *bearer
    path: /v1/partner/user/meetings
  - <<: *bearer
    method: POST
    path: /v1/partner/user/meetings
oauth:
  redirect_uri: &cb https://app.example.com/cb
  registered_redirect_uris: [*cb]
`
	in, _, err := loadString(t, yaml, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if in.Calls[0].Auth.Raw != "bearer" || in.Calls[0].Method.Raw != "GET" || in.Calls[1].Method.Raw != "POST" {
		t.Errorf("merged calls: %+v", in.Calls)
	}
	if got := in.OAuth.RegisteredRedirectURIs; len(got) != 1 || got[0].Raw != "https://app.example.com/cb" {
		t.Errorf("aliased redirect URI: %+v", got)
	}
}

func TestProxySnapshot(t *testing.T) {
	proc := map[string]string{"HTTP_PROXY": "http://p:1", "ALL_PROXY": "socks5://p:2", "NO_PROXY": "", "UNRELATED": "x"}
	in, _, err := loadString(t, "version: 1\n", "HTTPS_PROXY=http://from-dotenv\n", proc)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Env) != 3 || in.Env["HTTP_PROXY"] != "http://p:1" || in.Env["ALL_PROXY"] != "socks5://p:2" {
		t.Errorf("env = %v", in.Env)
	}
	if v, ok := in.Env["NO_PROXY"]; !ok || v != "" {
		t.Errorf("NO_PROXY set but empty should be kept: %v", in.Env)
	}
}
