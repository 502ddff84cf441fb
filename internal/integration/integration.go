// Package integration is the typed model of a partner's Contio integration:
// what the sources (config file, environment, HAR capture) fill and what the
// checks read. Every value keeps where it came from, so a finding can point
// at file:line:col or at a HAR entry.
//
// Values are kept raw: a trailing "\r", a surrounding quote or a BOM that the
// app would send stays in Value.Raw. Nothing is trimmed before checks look.
package integration

import (
	"fmt"
	"io/fs"
	"strconv"
	"time"
)

// Source says where a value came from.
type Source struct {
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	// EndLine and EndColumn close a source range (scan findings); zero
	// when only the start is known.
	EndLine   int `json:"end_line,omitempty"`
	EndColumn int `json:"end_column,omitempty"`

	// EnvVar names the environment variable (or .env key) the value was
	// expanded from, when it came from ${VAR} or from CONTIO_* variables.
	EnvVar string `json:"env_var,omitempty"`

	// HAREntry is the 1-based index of the HAR entry the value was observed
	// in; 0 when the value did not come from a HAR capture.
	HAREntry int       `json:"har_entry,omitempty"`
	HARTime  time.Time `json:"har_time,omitzero"`
	URL      string    `json:"url,omitempty"`
}

// IsZero reports whether s points nowhere.
func (s Source) IsZero() bool {
	return s.File == "" && s.Line == 0 && s.EnvVar == "" && s.HAREntry == 0
}

// String renders s as file:line:col, "HAR entry N (URL)" or "$VAR".
func (s Source) String() string {
	switch {
	case s.HAREntry > 0:
		out := fmt.Sprintf("%s: entry %d", s.File, s.HAREntry)
		if s.File == "" {
			out = fmt.Sprintf("HAR entry %d", s.HAREntry)
		}
		if s.URL != "" {
			out += " (" + s.URL + ")"
		}
		return out
	case s.File != "" && s.Line > 0:
		out := fmt.Sprintf("%s:%d:%d", s.File, s.Line, s.Column)
		if s.EnvVar != "" {
			out += " ($" + s.EnvVar + ")"
		}
		return out
	case s.File != "":
		return s.File
	case s.EnvVar != "":
		return "$" + s.EnvVar
	}
	return ""
}

// Value is one configured string with its origin.
type Value struct {
	Raw string `json:"-"`
	// Set is true when the value was given at all (an empty string can be
	// set explicitly).
	Set  bool   `json:"set"`
	From Source `json:"from"`
	// Literal is true when the config file wrote the value itself rather
	// than a ${VAR} reference. Checks use it to flag secrets committed to
	// a file.
	Literal bool `json:"literal,omitempty"`
}

// Empty reports whether the value is unset or the empty string.
func (v Value) Empty() bool { return v.Raw == "" }

// Auth schemes a call can use.
const (
	AuthBearer = "bearer"
	AuthBasic  = "basic"
	AuthAPIKey = "api_key"
	AuthNone   = "none"
)

// Call is one request the integration makes, as declared in the config's
// `calls` list or as observed in a HAR capture. Both sources produce the
// same value so checks treat them alike.
type Call struct {
	Name   Value
	Method Value
	// Path is the request path (no host, no query) as the code sends it.
	Path Value
	// Query is the raw query string, without "?", when known.
	Query Value
	// Host is the host the call goes to, when known (HAR captures).
	Host Value
	// Auth is the declared or observed scheme: bearer, basic, api_key, none.
	Auth Value
	// Authorization is the raw Authorization header value, when known.
	Authorization Value
	// Headers lists the other headers the call sends, by name; HeaderValues
	// holds their values when known (HAR captures).
	Headers      []Value
	HeaderValues map[string][]string
	// PerMinute is the declared expected peak rate; 0 when not declared.
	PerMinute     int
	PerMinuteFrom Source
	// At is where the call was declared or observed.
	At Source

	// Observed is true for calls taken from real traffic.
	Observed bool
	// Response facts for observed calls.
	Status    int
	RequestID string
	Started   time.Time
	Duration  time.Duration
	// ErrorCode is the "code" (or "error") of a JSON error response.
	ErrorCode string
	// ErrorMessage is its text: "message", else the docs' "error_description",
	// else a sentence in "error".
	ErrorMessage string
	// ResponseHeaders holds the response headers checks read on observed
	// calls (Retry-After, X-RateLimit-*, WWW-Authenticate), by canonical name.
	ResponseHeaders map[string][]string
}

// HasHeader reports whether the call sends a header with that exact name
// (case-insensitive, as HTTP header names are).
func (c Call) HasHeader(name string) bool {
	for _, h := range c.Headers {
		if equalFold(h.Raw, name) {
			return true
		}
	}
	return false
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// OAuth holds the client registration and authorization-request settings.
type OAuth struct {
	ClientID               Value
	ClientSecret           Value
	RedirectURI            Value
	TokenRedirectURI       Value // defaults to RedirectURI when unset
	RegisteredRedirectURIs []Value
	Scopes                 []Value
	ScopesFrom             Source // where the scopes key itself is
	ScopesSet              bool
	AuthorizationURL       Value
	BasicAuthHeader        Value
}

// Tokens are tokens the doctor may introspect.
type Tokens struct {
	AccessToken  Value
	RefreshToken Value
}

// Admin is the API-key credential pair for /v1/partner/admin/*.
type Admin struct {
	APIKey   Value
	ClientID Value
}

// HTTP describes the app's HTTP client behaviour.
type HTTP struct {
	Timeout          time.Duration
	TimeoutFrom      Source
	TimeoutSet       bool
	MaxRetries       int
	MaxRetriesFrom   Source
	MaxRetriesSet    bool
	Backoff          Value // none | fixed | exponential
	HonorsRetryAfter bool
	HonorsRetryFrom  Source
	HonorsRetrySet   bool
	RetryStatuses    []int
	RetryStatusFrom  Source
	RetryStatusSet   bool
	// RetriesCodeExchange is true when the app retries POST /oauth2/token
	// with grant_type=authorization_code.
	RetriesCodeExchange     bool
	RetriesCodeExchangeFrom Source
}

// Webhooks is the partner's webhook receiver.
type Webhooks struct {
	URL    Value
	Secret Value
	Probe  bool
}

// Waiver is one entry of the config's ignore list.
type Waiver struct {
	Check  string
	Reason string
	Until  time.Time // zero: no expiry
	At     Source
}

// Integration is everything the doctor knows about one integration.
type Integration struct {
	// ConfigPath is the config file read, or "" when the CONTIO_*
	// environment variables were the config.
	ConfigPath string
	// ConfigMode is the config file's permission bits (0 when unknown).
	ConfigMode fs.FileMode
	// ConfigBytes is the raw config file (for fingerprinting), nil without one.
	ConfigBytes []byte

	Version  int
	APIURL   Value
	AuthURL  Value
	OAuth    OAuth
	Tokens   Tokens
	Admin    Admin
	Calls    []Call
	HTTP     HTTP
	Webhooks Webhooks
	Ignore   []Waiver

	// Capture holds what a HAR capture shows beyond the calls; nil when
	// the integration came from a config.
	Capture *Capture

	// Code holds what a scan of the partner's source found; nil when no
	// source was scanned (`contio-doctor scan`, `run --scan`).
	Code *Code

	// Env is the snapshot of environment variables that checks may read
	// (HTTPS_PROXY, HTTP_PROXY, NO_PROXY and lower-case forms), so checks
	// stay pure functions of the Integration.
	Env map[string]string
}

// EffectiveTokenRedirectURI is the redirect_uri sent in the token exchange.
func (in *Integration) EffectiveTokenRedirectURI() Value {
	if in.OAuth.TokenRedirectURI.Set {
		return in.OAuth.TokenRedirectURI
	}
	return in.OAuth.RedirectURI
}

// Secret is one secret value with its name, for redaction and for
// credential checks.
type Secret struct {
	Name  string // e.g. "oauth.client_secret"
	Value Value
}

// Secrets lists every secret the integration holds (non-empty only):
// client secret, tokens, API key, webhook secret, the Basic header the app
// computes, and Authorization values of observed calls.
func (in *Integration) Secrets() []Secret {
	// Room for every candidate, so the list is allocated once; names are
	// only formatted for values that are there (checks call this per run).
	n := 6 + len(in.Calls)
	if in.Capture != nil {
		n += len(in.Capture.Secrets)
	}
	if in.Code != nil {
		n += len(in.Code.Literals)
	}
	out := make([]Secret, 0, n)
	add := func(name string, v Value) {
		if v.Raw != "" {
			out = append(out, Secret{Name: name, Value: v})
		}
	}
	add("oauth.client_secret", in.OAuth.ClientSecret)
	add("oauth.basic_auth_header", in.OAuth.BasicAuthHeader)
	add("tokens.access_token", in.Tokens.AccessToken)
	add("tokens.refresh_token", in.Tokens.RefreshToken)
	add("admin.api_key", in.Admin.APIKey)
	add("webhooks.secret", in.Webhooks.Secret)
	for i, c := range in.Calls {
		if c.Authorization.Raw != "" {
			add("calls["+strconv.Itoa(i)+"].authorization", c.Authorization)
		}
	}
	if in.Capture != nil {
		for i, s := range in.Capture.Secrets {
			if s != "" {
				add("capture.secrets["+strconv.Itoa(i)+"]", Value{Raw: s, Set: true})
			}
		}
	}
	if in.Code != nil {
		for _, l := range in.Code.Literals {
			add("source "+l.Name, Value{Raw: l.Value, Set: true, From: l.At, Literal: true})
		}
	}
	if len(out) == 0 {
		return nil // as before the list was preallocated
	}
	return out
}

// Credentials lists every credential-like value a check of stray
// characters should look at: the secrets plus the client IDs.
func (in *Integration) Credentials() []Secret {
	out := make([]Secret, 0, 7) // the seven below: one allocation
	add := func(name string, v Value) {
		if v.Set {
			out = append(out, Secret{Name: name, Value: v})
		}
	}
	add("oauth.client_id", in.OAuth.ClientID)
	add("oauth.client_secret", in.OAuth.ClientSecret)
	add("admin.api_key", in.Admin.APIKey)
	add("admin.client_id", in.Admin.ClientID)
	add("webhooks.secret", in.Webhooks.Secret)
	add("tokens.access_token", in.Tokens.AccessToken)
	add("tokens.refresh_token", in.Tokens.RefreshToken)
	if len(out) == 0 {
		return nil // as before the list was preallocated
	}
	return out
}

// Capture is what a HAR capture shows beyond its calls: the OAuth and
// sign-in steps in order with their times, and every secret seen in it, so
// capture-only checks can judge the flow and no output prints a secret.
type Capture struct {
	// File is the capture's path; Entries the number of entries read.
	File    string
	Entries int
	// Steps are the OAuth and sign-in requests, in capture order.
	Steps []FlowStep
	// Secrets are values seen in the capture (headers, cookies, tokens,
	// codes, OTPs) that must never be printed.
	Secrets []string
	// Repeats are the Contio calls that repeat an earlier call's shape
	// (method, host, path template, headers, credentials, a success
	// status): only what the rate and retry checks read is kept of them,
	// a few dozen bytes each, so a large capture stays small in memory.
	// The call they repeat is Integration.Calls[Of].
	Repeats []CallRepeat
	// Tokens are the Authorization values of repeats whose token differs
	// from their shape's (secrets: never print them).
	Tokens []string
}

// CallRepeat is an observed call with the shape of an earlier one.
type CallRepeat struct {
	Of     int32 // index in Integration.Calls
	Entry  int32 // 1-based HAR entry
	Status int32
	// Token is this call's Authorization value as an index in
	// Capture.Tokens, -1 when it is the repeated call's own (Bearer
	// tokens rotate; the shape does not count them).
	Token int32
	// Started is the start in Unix nanoseconds (UTC).
	Started  int64
	Duration time.Duration
	// Path and Query are this call's own (ids differ between repeats).
	Path, Query string
}

// FlowKind names a step of the OAuth or sign-in flow.
type FlowKind string

// Flow steps.
const (
	FlowAuthorize  FlowKind = "authorize"  // the authorization request (GET /oauth2/authorize)
	FlowConsent    FlowKind = "consent"    // POST /oauth2/authorize or /oauth2/check-consent
	FlowCode       FlowKind = "code"       // a response or redirect that hands out a code
	FlowToken      FlowKind = "token"      // POST /oauth2/token
	FlowIntrospect FlowKind = "introspect" // POST /oauth2/introspect
	FlowInitiate   FlowKind = "initiate"   // POST /auth/initiate
	FlowVerify     FlowKind = "verify"     // POST /auth/verify
)

// FlowStep is one OAuth or sign-in step seen in a capture. Fields marked
// secret are kept for comparison only: never print them (show
// redact.Fingerprint instead).
type FlowStep struct {
	Kind FlowKind
	// At points at the entry (At.HARTime is when it started).
	At        Source
	Status    int
	ErrorCode string
	// Duration is how long the response took to arrive (0 when unknown):
	// ordering is judged by when responses arrived, not when requests left.
	Duration time.Duration
	// Decision is a consent step's answer (allow, deny), when it shows one.
	Decision string

	ClientID    string
	RedirectURI string
	Scope       string
	GrantType   string
	Email       string
	// CodeChallenge and CodeChallengeMethod are an authorization request's
	// PKCE parameters; HasCodeChallenge and HasChallengeMethod say whether
	// each was present at all.
	CodeChallenge                        string
	CodeChallengeMethod                  string
	HasCodeChallenge, HasChallengeMethod bool

	// Code is the authorization code issued (FlowCode) or presented
	// (FlowToken). Secret.
	Code string
	// RefreshToken is the refresh token presented in a refresh grant. Secret.
	RefreshToken string
	// Token is the token an introspection asked about. Secret.
	Token string
	// Session is the OTP session issued (initiate) or presented (verify). Secret.
	Session string
	// IssuedAccess and IssuedRefresh are what a successful token response
	// handed out. Secret.
	IssuedAccess, IssuedRefresh string
	// GrantedScope is the scope of a token response or an introspection.
	GrantedScope string
	// Active is an introspection's answer.
	Active bool
}
