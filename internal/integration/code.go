package integration

// Code is what a scan of the partner's source found: observations, each
// at file:line:col, that the source-reading checks judge. Nil when no
// source was scanned.
type Code struct {
	// Roots are the paths scanned; Files and Lines count what was read.
	Roots []string
	Files int
	Lines int
	// Skipped lists files that could not be read or parsed, with why.
	Skipped []string

	Calls        []CodeCall
	SDKOptions   []SDKOptions
	SDKCalls     []SDKCall
	Webhooks     []WebhookHandler
	BasicBuilds  []BasicBuild
	Literals     []LiteralCredential
	RateHandlers []RateLimitHandler
	// ErrorCodeTests are `err.code === '…'` tests in the catch of a try
	// whose block calls an OAuth-client method (exchangeCodeForToken, …).
	ErrorCodeTests []ErrorCodeTest
}

// CodeHeader is one header a call sets in code. Value is the source text
// of the value (a literal's contents, or the expression as written).
type CodeHeader struct {
	Name  string
	Value string
	At    Source
}

// CodeCall is one HTTP request visible in code: fetch, axios, curl,
// requests/httpx or net/http, with what one call site shows.
type CodeCall struct {
	At Source
	// Lib names the client: fetch, axios, curl, requests, httpx, net/http.
	Lib string
	// Method is upper-case, "" when the code does not show it.
	Method   string
	MethodAt Source
	// URL is the URL as written; Path the /oauth2/… or /v1/partner/… path
	// in it, parameters as {id}; "" when the URL shows no Contio path.
	URL  string
	Path string
	// HeadersKnown is true when every header the call sends is visible
	// (a literal object, no spread, no unresolved variable).
	HeadersKnown bool
	Headers      []CodeHeader
}

// Header returns the header named name (case-insensitive) and whether
// the call sets it.
func (c CodeCall) Header(name string) (CodeHeader, bool) {
	for _, h := range c.Headers {
		if equalFold(h.Name, name) {
			return h, true
		}
	}
	return CodeHeader{}, false
}

// Auth is the scheme the visible headers carry: bearer, basic, api_key
// or none; "" when an Authorization value is computed out of sight.
func (c CodeCall) Auth() string {
	if h, ok := c.Header("Authorization"); ok {
		v := h.Value
		switch {
		case len(v) >= 6 && equalFold(v[:6], "bearer"):
			return AuthBearer
		case len(v) >= 5 && equalFold(v[:5], "basic"):
			return AuthBasic
		}
		return ""
	}
	if _, ok := c.Header("X-API-Key"); ok {
		return AuthAPIKey
	}
	return AuthNone
}

// SDKOptions is the options object given to an SDK constructor or
// factory: ContioPartnerSDK.forUser / forAdmin, new ContioPartnerSDK,
// new OAuthClient, new ApiKeyClient.
type SDKOptions struct {
	At     Source
	Callee string
	// Keys are the option names written, each with its position; Values
	// holds literal string values (a fallback after || or ?? counts).
	Keys   map[string]Source
	Values map[string]string
	// Lists holds literal string arrays (scope: ['openid', …]).
	Lists map[string][]string
	// Spread is true when the object spreads another (...opts): keys not
	// written may still be there.
	Spread bool
}

// SDKCall is a call of an SDK method: user.getMeetings(…),
// oauth.getAuthorizationUrl(…), oauth.exchangeCodeForToken(…).
type SDKCall struct {
	At     Source
	Method string
	// Receiver is the object it is called on, as written (user, admin, oauth).
	Receiver string
	// Args are the kinds of the arguments: array, object, string, other.
	Args []string
	// InRetry is true when the call sits in a loop or in a function given
	// to a retry helper.
	InRetry bool
	RetryAt Source
}

// WebhookHandler is a route whose handler verifies a webhook signature
// (the SDK's verifyWebhookSignature/parseWebhook/createWebhookMiddleware
// or a hand-written HMAC).
type WebhookHandler struct {
	At     Source
	Method string
	Path   string
	// ParsedBy names the JSON body parser that runs before the handler
	// (express.json(), bodyParser.json()), "" for none or a raw parser.
	ParsedBy   string
	ParsedAt   Source
	Verifier   string
	VerifierAt Source
	// Input is what the verifier is given: raw, stringified (JSON.stringify
	// of the parsed body), body (req.body), other.
	Input   string
	InputAt Source
	// ReadsSignature is true when the handler reads X-Contio-Signature;
	// ChecksPresence when it tests the header exists before verifying.
	ReadsSignature bool
	ChecksPresence bool
	SignatureAt    Source
	// Compare is set when the handler compares signatures itself;
	// ConstantTime when it does so with timingSafeEqual (or the like).
	Compare      bool
	CompareAt    Source
	ConstantTime bool
}

// BasicBuild is code that builds a Basic credential: base64 of
// "id:secret" in JavaScript, echo … | base64 in a shell, and so on.
type BasicBuild struct {
	At Source
	// Text is the source text, credentials masked by the caller's redactor.
	Text string
	// Newline: the encoded text ends with a line ending (echo without -n,
	// "\n" in a template, a file read without trimming).
	Newline bool
	// NoColon: the two parts are joined without ":".
	NoColon bool
	// Scheme is the scheme word the encoded pair is sent under, "" unknown.
	Scheme string
}

// LiteralCredential is a credential written into source or a committed
// .env file. Value is secret: never print it.
type LiteralCredential struct {
	At Source
	// Name is the variable, key or property name it is assigned to.
	Name  string
	Value string
	// File kind: "source" or "env".
	Kind string
}

// RateLimitHandler is code that handles a 429 answer.
type RateLimitHandler struct {
	At Source
	// Retries: the handler tries again (loop continue, recursion, a
	// retry call). Waits: it sleeps before doing so. ReadsRetryAfter: it
	// reads the Retry-After header.
	Retries         bool
	Waits           bool
	ReadsRetryAfter bool
}

// ErrorCodeTest is a test of an error's code after an OAuth-client call.
type ErrorCodeTest struct {
	At     Source
	Code   string
	Method string
}

// RedirectURIs lists the literal redirect URIs the code configures.
func (c *Code) RedirectURIs() []Value {
	if c == nil {
		return nil
	}
	var out []Value
	for _, o := range c.SDKOptions {
		if v, ok := o.Values["redirectUri"]; ok && v != "" {
			out = append(out, Value{Raw: v, Set: true, From: o.Keys["redirectUri"], Literal: true})
		}
	}
	return out
}
