package checks

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
)

// Live is what live checks share in one run: the probe client (budget,
// rate limits, exchange log) and the parsed base URLs. It is a fact
// (liveHosts), built from the run's Input.
type Live struct {
	Probe *probe.Client
	API   *url.URL
	Auth  *url.URL
}

// newLive prepares the shared state of a live run. Base URLs that do not
// parse leave the field nil; the connectivity checks report that.
func newLive(ig *integration.Integration, p *probe.Client) *Live {
	l := &Live{Probe: p}
	parse := func(v integration.Value, def string) *url.URL {
		raw := strings.TrimSpace(v.Raw)
		if raw == "" {
			raw = def
		}
		u, err := url.Parse(strings.TrimRight(raw, "/"))
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil
		}
		return u
	}
	l.API = parse(ig.APIURL, contio.DefaultAPI)
	l.Auth = parse(ig.AuthURL, contio.DefaultAuth)
	return l
}

// liveHosts is the run's Live.
var liveHosts = &diagnosis.Fact[*Live]{
	Name: "live hosts",
	Compute: func(_ context.Context, in *Input) (*Live, error) {
		if in.Probe == nil {
			return nil, errors.New("internal error: live check in an offline run")
		}
		return newLive(in.Integration, in.Probe), nil
	},
}

// probing is what every check that sends a probe requires: the hosts, and
// the first contact with each, which tells a host that does not answer at
// all from an endpoint that fails.
var probing = []diagnosis.Requirement{liveHosts, authContact, apiContact}

// needs is probing plus more facts, in one allocation of the exact size
// (36 checks call it while registering, at every start of the binary).
func needs(more ...diagnosis.Requirement) []diagnosis.Requirement {
	out := make([]diagnosis.Requirement, len(probing), len(probing)+len(more))
	copy(out, probing)
	return append(out, more...)
}

// Roots of the problems live checks report, shared with the offline
// checks that name the same mistakes.
func networkRoot(f probe.Failure) Root   { return Root{Kind: "network", Subject: string(f)} }
func quotaRoot(c contio.Class) Root      { return Root{Kind: "rate_limit", Subject: string(c)} }
func redirectRoot(host string) Root      { return Root{Kind: "credential_redirect", Subject: host} }
func serverErrorRoot(host string) Root   { return Root{Kind: "server_error", Subject: host} }
func endpointNetRoot(where string) Root  { return Root{Kind: "network_endpoint", Subject: where} }
func notJSONRoot(host string) Root       { return Root{Kind: "not_json", Subject: host} }
func redirectURIRoot(uri string) Root    { return Root{Kind: "redirect_uri", Subject: uri} }
func unknownScopeRoot(scope string) Root { return Root{Kind: "scope_unknown", Subject: scope} }

var (
	clientRoot         = Root{Kind: "client_rejected"}
	partialConsentRoot = Root{Kind: "token_partial_scope"}
	noScopesRoot       = Root{Kind: "token_no_scopes"}
	tokenInactiveRoot  = Root{Kind: "token_inactive"}
	missingClientIDRt  = Root{Kind: "missing_client_id"}
)

// clientBlocker blocks a check whose request was refused because the
// partner app itself was rejected: CD1501 reports that once.
func clientBlocker(r *probe.Response) *diagnosis.Blocker {
	return &diagnosis.Blocker{Root: clientRoot, Check: "CD1501",
		Reason: "the API rejected the partner app itself (invalid_client" + requestIDNote(r) + ")",
		Finding: Finding{Message: "the API answered invalid_client: the client credentials are wrong or the app is deactivated",
			RequestID: responseID(r)}}
}

// send is how every live check sends a probe. It returns the answer when
// it is the check's to read; otherwise an error that already says what
// happened, filed under what went wrong rather than under the check:
//
//   - out of budget, or the class's quota is low: a skip;
//   - 429, or the class stopped after one: blocked by the rate-limit problem;
//   - no answer, when the host answered nothing at all: blocked by the
//     network problem of the connectivity checks; when the host answers
//     other requests: a network_error finding naming this endpoint;
//   - 5xx: a network_error finding (the server failed);
//   - invalid_client where the app is not what is being tested: blocked by
//     the client-credential problem (CD1501);
//   - a redirect on a credential-bearing request: blocked by CD6506's;
//   - a 200 that should be JSON and is not: a finding of its own.
func (l *Live) send(ctx context.Context, in *Input, req probe.Request, opt sendOptions) (*probe.Response, error) {
	resp, err := l.Probe.Do(ctx, req)
	return l.settle(ctx, in, req, opt, resp, err)
}

// sendOptions say what a caller reads itself.
type sendOptions struct {
	// ownsClient: the caller interprets invalid_client (CD1501).
	ownsClient bool
	// ownsRedirect: the caller interprets a redirect.
	ownsRedirect bool
	// json: a 200 must carry JSON.
	json bool
}

func (l *Live) settle(ctx context.Context, in *Input, req probe.Request, opt sendOptions, resp *probe.Response, err error) (*probe.Response, error) {
	what := req.Method + " " + pathOf(req.URL)
	if err != nil {
		if s := budgetOrLimited(err); s != nil {
			return nil, s
		}
		var rl *probe.RateLimitedError
		if errors.As(err, &rl) {
			return nil, quotaBlocker(rl.Limit)
		}
		var te *probe.TransportError
		if !errors.As(err, &te) {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if c := l.contactFor(ctx, in, req.URL); c != nil {
			if b := c.blocker(); b != nil {
				return nil, b
			}
		}
		f := networkFinding(what, err)
		f.Guide = contio.GuideNetworkError
		f.Root = endpointNetRoot(te.Host + te.Path)
		f.Severity = SeverityError
		f.Message = fmt.Sprintf("%s got no answer: %s (%s), although the host answers other requests", what, te.Describe(), te.Summary())
		return nil, diagnosis.Found(f)
	}
	switch {
	case resp.Status == http.StatusTooManyRequests:
		return nil, quotaBlocker(probe.RateLimit{Class: req.Class, RequestID: resp.RequestID, Hit: true})
	case resp.Status >= 500:
		return nil, diagnosis.Found(Finding{
			Guide: contio.GuideNetworkError, Root: serverErrorRoot(hostPart(req.URL)), Severity: SeverityError,
			Message:   fmt.Sprintf("%s answered %d %s: the server failed", what, resp.Status, http.StatusText(resp.Status)),
			Cause:     "The API (or a gateway in front of it) failed on its side; the SDK retries 5xx and then reports the error.",
			Fix:       "Retry later; if it persists, send the request_id and the time to Contio support.",
			RequestID: resp.RequestID,
		})
	case resp.Code == "invalid_client" && !opt.ownsClient:
		return nil, clientBlocker(resp)
	case resp.Redirect != "" && req.Credentialed && !opt.ownsRedirect:
		return nil, &diagnosis.Blocker{Root: redirectRoot(hostPart(req.URL)), Check: "CD6506",
			Reason:  fmt.Sprintf("%s answered %d with a redirect (not followed)", what, resp.Status),
			Finding: Finding{Message: fmt.Sprintf("%s answered %d with Location %s", what, resp.Status, resp.Redirect), RequestID: resp.RequestID}}
	case opt.json && resp.Status == http.StatusOK && !json.Valid(resp.Body):
		ct := resp.Header.Get("Content-Type")
		return nil, diagnosis.Found(Finding{
			Guide: contio.GuideNone, Root: notJSONRoot(hostPart(req.URL)), Severity: SeverityError,
			Message:  fmt.Sprintf("%s answered 200 with a body that is not JSON (Content-Type %q, %d bytes)", what, ct, len(resp.Body)),
			Cause:    "Something other than the Contio API answered: a captive portal, a proxy's page, a stub or the wrong host in the base URL.",
			Fix:      "Point the base URL at the Contio API; check what answers with curl from this machine.",
			Evidence: "first bytes: " + firstBytes(resp.Body, 60),
		})
	}
	return resp, nil
}

func quotaBlocker(rl probe.RateLimit) *diagnosis.Blocker {
	return &diagnosis.Blocker{Root: quotaRoot(rl.Class), Check: "CD5501",
		Reason: fmt.Sprintf("%s endpoints answered 429: the quota is spent", rl.Class),
		Finding: Finding{Guide: contio.GuideRateLimitExceeded,
			Message:   fmt.Sprintf("%s endpoints answered 429 rate_limit_exceeded", rl.Class),
			RequestID: rl.RequestID}}
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Path
}

func firstBytes(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	return strings.ToValidUTF8(fmt.Sprintf("%q", b), "?")
}

func responseID(r *probe.Response) string {
	if r == nil {
		return ""
	}
	return r.RequestID
}

// url joins a base and a path, keeping the base's own path prefix.
func joinURL(base *url.URL, path string) string {
	u := *base
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawQuery = ""
	return u.String()
}

// authEndpoint and apiEndpoint build full URLs on each host.
func (l *Live) authEndpoint(path string) (string, error) {
	if l.Auth == nil {
		return "", Skip("auth_url does not parse as an absolute URL", "fix auth_url (see the network checks)")
	}
	return joinURL(l.Auth, path), nil
}

func (l *Live) apiEndpoint(path string) (string, error) {
	if l.API == nil {
		return "", Skip("api_url does not parse as an absolute URL", "fix api_url (see the network checks)")
	}
	return joinURL(l.API, path), nil
}

// basicAuth is the Authorization value the official SDK sends: base64 of
// the raw client_id:client_secret, nothing URL-encoded.
func basicAuth(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

// basicAuthFormEncoded is the RFC 6749 §2.3.1 form: each part
// form-urlencoded before base64.
func basicAuthFormEncoded(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
}

// randomToken returns n random bytes as hex, for codes that must not exist.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// networkFinding describes a transport failure: which step failed, with
// what, and what to do.
func networkFinding(what string, err error) Finding {
	step := probe.Classify(err)
	f := Finding{
		Root:     networkRoot(step),
		Message:  fmt.Sprintf("%s: no response (%s failed): %v", what, step, err),
		Evidence: fmt.Sprintf("failed step: %s", step),
	}
	var te *probe.TransportError
	if errors.As(err, &te) {
		f.Message = fmt.Sprintf("%s: %s (%s)", what, te.Describe(), te.Summary())
		f.Evidence = fmt.Sprintf("stopped at the %s (%s): %v", te.Step, te.Failure, te.Err)
	}
	switch step {
	case probe.FailDNS:
		f.Cause = "The host name does not resolve from this machine: a typo in the URL, a DNS outage, or a resolver that cannot see public names."
		f.Fix = "Check the host in api_url/auth_url, then resolve it from the same machine."
		f.Commands = []string{"nslookup " + hostOf(err)}
	case probe.FailRefused:
		f.Cause = "Nothing accepts connections at that address and port: the wrong port, a local stub that is not running, or a firewall that rejects the connection."
		f.Fix = "Check the port in the URL and that outbound HTTPS (443) is allowed."
	case probe.FailTimeout:
		f.Cause = "The server did not answer in time: a firewall that drops packets, a proxy that hangs, or a very slow network."
		f.Fix = "Check that outbound HTTPS is allowed from this machine and whether a proxy is required; raise the timeout only if the network is merely slow."
	case probe.FailTLS:
		f.Cause = "The TLS handshake failed: the certificate is not trusted here (an intercepting proxy, a self-signed local server) or not valid for the host."
		f.Fix = "Install the intercepting proxy's CA on this machine, or point the URL at a host with a valid certificate. For a loopback test server only, --insecure-skip-verify."
	case probe.FailProxy:
		f.Cause = "The configured proxy refused or failed the connection."
		f.Fix = "Check HTTPS_PROXY / NO_PROXY; add the Contio hosts to NO_PROXY if they should not go through the proxy."
	case probe.FailTLSToPlain:
		f.Cause = "The URL says https, but the server at that port speaks plain HTTP: a local stub or sandbox, or the wrong port."
		f.Fix = "Use http:// for a loopback sandbox, or the server's TLS port for https."
	case probe.FailPlainToTLS:
		f.Cause = "The URL says http, but the server at that port expects TLS."
		f.Fix = "Use https:// in the base URL."
	case probe.FailReset:
		f.Cause = "The connection was closed before a complete response arrived: a middlebox, a crashing server or an overloaded proxy."
		f.Fix = "Retry once; if it persists, capture the traffic (HAR) and contact Contio support with the time of the failure."
	}
	return f
}

func hostOf(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			return u.Hostname()
		}
	}
	return "<host>"
}

// budgetOrLimited turns the probe client's refusals into skips: the check
// could not run, but nothing is wrong with the integration.
func budgetOrLimited(err error) error {
	var low *probe.QuotaLowError
	if errors.As(err, &low) {
		return Skip(low.Error(), "run again after the reset")
	}
	if errors.Is(err, probe.ErrBudget) {
		return Skip(err.Error(), "run this check alone with --only")
	}
	var ie *probe.InsecureError
	if errors.As(err, &ie) {
		return Skip(ie.Error(), "use an https URL (see the network checks)")
	}
	return nil
}

// Introspection is the RFC 7662 answer, as Contio sends it.
type Introspection struct {
	Active    bool   `json:"active"`
	Scope     string `json:"scope"`
	ClientID  string `json:"client_id"`
	Exp       int64  `json:"exp"`
	Iat       int64  `json:"iat"`
	Sub       string `json:"sub"`
	TokenType string `json:"token_type"`
	Username  string `json:"username"`
	// scopePresent is false when the answer had no scope field at all.
	scopePresent bool
}

// Scopes splits the granted scopes.
func (i *Introspection) Scopes() []string { return strings.Fields(i.Scope) }

// introspection is what introspection said of one token.
type introspection struct {
	info *Introspection
	resp *probe.Response
}

// accessIntro and refreshIntro introspect the configured tokens. They go
// out at the same time as the client-credential probe, with the header the
// SDK sends; only when that header is refused do they wait for clientAuth
// to learn whether another encoding is accepted (or the client is
// rejected, which blocks them under CD1501's problem).
var (
	accessIntro = &diagnosis.Fact[*introspection]{Name: "access token introspection", Requires: needs(clientAuth),
		Compute: func(ctx context.Context, in *Input) (*introspection, error) {
			return introspect(ctx, in, in.Integration.Tokens.AccessToken.Raw)
		}}
	refreshIntro = &diagnosis.Fact[*introspection]{Name: "refresh token introspection", Requires: needs(clientAuth),
		Compute: func(ctx context.Context, in *Input) (*introspection, error) {
			return introspect(ctx, in, in.Integration.Tokens.RefreshToken.Raw)
		}}
)

func introspect(ctx context.Context, in *Input, token string) (*introspection, error) {
	l, err := liveHosts.Of(ctx, in)
	if err != nil {
		return nil, err
	}
	ig := in.Integration
	u, err := l.authEndpoint("/oauth2/introspect")
	if err != nil {
		return nil, err
	}
	ask := func(header string) (*probe.Response, error) {
		return l.send(ctx, in, probe.Request{
			Method: "POST", URL: u, Class: contio.ClassOAuth, Credentialed: true,
			Header: http.Header{
				"Authorization": {header},
				"Content-Type":  {"application/x-www-form-urlencoded"},
				"Accept":        {"application/json"},
			},
			Body:    []byte(url.Values{"token": {token}}.Encode()),
			Purpose: "introspect a token (read-only)",
		}, sendOptions{ownsClient: true, json: true})
	}
	sdk := basicAuth(ig.OAuth.ClientID.Raw, ig.OAuth.ClientSecret.Raw)
	resp, err := ask(sdk)
	if err != nil {
		return nil, err
	}
	if resp.Status == http.StatusUnauthorized || resp.Code == "invalid_client" {
		cc, err := clientAuth.Of(ctx, in)
		if err != nil {
			return nil, err
		}
		if !cc.accepted {
			return nil, clientBlocker(cc.resp)
		}
		if cc.header == sdk {
			return &introspection{resp: resp}, nil
		}
		if resp, err = ask(cc.header); err != nil {
			return nil, err
		}
	}
	if resp.Status != http.StatusOK {
		return &introspection{resp: resp}, nil
	}
	var raw map[string]json.RawMessage
	info := &Introspection{}
	if err := json.Unmarshal(resp.Body, info); err != nil {
		return nil, diagnosis.Found(Finding{Guide: contio.GuideNone, Root: notJSONRoot(hostPart(u)), Severity: SeverityError,
			Message: "POST /oauth2/introspect answered 200 with a JSON body of the wrong shape", RequestID: resp.RequestID})
	}
	if json.Unmarshal(resp.Body, &raw) == nil {
		_, info.scopePresent = raw["scope"]
	}
	return &introspection{info: info, resp: resp}, nil
}

// clientCreds is how the token endpoint took the client credentials.
type clientCreds struct {
	// accepted is true when the server took the credentials.
	accepted bool
	// header is the Authorization value the server accepted (SDK form or
	// RFC form), or the SDK form when neither was accepted.
	header string
	// formEncodedOnly is true when only the RFC 6749 form was accepted.
	formEncodedOnly bool
	resp            *probe.Response
	altResp         *probe.Response
}

// clientAuth proves the client_id/secret pair with a token request that
// cannot mint anything: grant_type=authorization_code with a random code.
// invalid_grant means the credentials were accepted.
var clientAuth = &diagnosis.Fact[*clientCreds]{Name: "client credentials", Requires: probing,
	Compute: func(ctx context.Context, in *Input) (*clientCreds, error) {
		l, err := liveHosts.Of(ctx, in)
		if err != nil {
			return nil, err
		}
		ig := in.Integration
		id, secret := ig.OAuth.ClientID.Raw, ig.OAuth.ClientSecret.Raw
		if id == "" || secret == "" {
			return nil, Skip("no client credentials configured", "set oauth.client_id and oauth.client_secret")
		}
		u, err := l.authEndpoint("/oauth2/token")
		if err != nil {
			return nil, err
		}
		ask := func(header string) (*probe.Response, error) {
			form := url.Values{
				"grant_type":   {"authorization_code"},
				"code":         {"doctor_probe_" + randomToken(16)},
				"redirect_uri": {ig.EffectiveTokenRedirectURI().Raw},
			}
			return l.send(ctx, in, probe.Request{
				Method: "POST", URL: u, Class: contio.ClassOAuth, Credentialed: true,
				Header: http.Header{
					"Authorization": {header},
					"Content-Type":  {"application/x-www-form-urlencoded"},
					"Accept":        {"application/json"},
				},
				Body:    []byte(form.Encode()),
				Purpose: "prove the client credentials with a random authorization code (nothing can be minted)",
			}, sendOptions{ownsClient: true, ownsRedirect: true})
		}
		sdk := basicAuth(id, secret)
		resp, err := ask(sdk)
		if err != nil {
			return nil, err
		}
		cc := &clientCreds{header: sdk, resp: resp, accepted: credentialsAccepted(resp)}
		rfc := basicAuthFormEncoded(id, secret)
		if !cc.accepted && rfc != sdk && resp.Status == http.StatusUnauthorized {
			// The secret has characters the two encodings treat
			// differently: learn which one the server accepts.
			if alt, aerr := ask(rfc); aerr == nil {
				cc.altResp = alt
				if credentialsAccepted(alt) {
					cc.accepted, cc.header, cc.formEncodedOnly = true, rfc, true
				}
			}
		}
		return cc, nil
	}}

// acceptedClient is clientAuth for checks that need the client accepted.
func acceptedClient(ctx context.Context, in *Input) (*clientCreds, error) {
	cc, err := clientAuth.Of(ctx, in)
	if err != nil {
		return nil, err
	}
	if !cc.accepted {
		return nil, clientBlocker(cc.resp)
	}
	return cc, nil
}

// credentialsAccepted reads a token-endpoint answer to a random code: any
// answer but 401/invalid_client means the client was authenticated.
func credentialsAccepted(r *probe.Response) bool {
	if r.Status == http.StatusUnauthorized || r.Code == "invalid_client" {
		return false
	}
	return r.Status == http.StatusBadRequest || r.Status == http.StatusOK
}

// orNone shows a missing request_id or code as "none given".
func orNone(s string) string {
	if s == "" {
		return "none given"
	}
	return s
}

// requestIDNote formats a request id for messages; the Request line of a
// finding shows it, so messages mention it only where no finding does.
func requestIDNote(r *probe.Response) string {
	if r == nil || r.RequestID == "" {
		return ""
	}
	return " (request_id " + r.RequestID + ")"
}

// publicInfo fetches /v1/partner/info/{client_id}/public.
var publicInfo = &diagnosis.Fact[*probe.Response]{Name: "public app info", Requires: probing,
	Compute: func(ctx context.Context, in *Input) (*probe.Response, error) {
		l, err := liveHosts.Of(ctx, in)
		if err != nil {
			return nil, err
		}
		u, err := l.authEndpoint(contio.PublicPrefix + "/" + url.PathEscape(in.Integration.OAuth.ClientID.Raw) + "/public")
		if err != nil {
			return nil, err
		}
		return l.send(ctx, in, probe.Request{Method: "GET", URL: u, Class: contio.ClassPublic,
			Header: http.Header{"Accept": {"application/json"}}, Purpose: "does this client_id exist? (public, no credentials)"}, sendOptions{})
	}}

// discoveryAnswer is the discovery document and the path that served it.
type discoveryAnswer struct {
	resp *probe.Response
	path string
}

// discovery fetches the discovery document, trying the spec's underscore
// spelling first and the standard one second.
var discovery = &diagnosis.Fact[*discoveryAnswer]{Name: "discovery document", Requires: probing,
	Compute: func(ctx context.Context, in *Input) (*discoveryAnswer, error) {
		l, err := liveHosts.Of(ctx, in)
		if err != nil {
			return nil, err
		}
		var last *discoveryAnswer
		for _, p := range []string{"/.well-known/openid_configuration", "/.well-known/openid-configuration"} {
			u, err := l.authEndpoint(p)
			if err != nil {
				return nil, err
			}
			resp, err := l.send(ctx, in, probe.Request{Method: "GET", URL: u, Class: contio.ClassPublic,
				Header: http.Header{"Accept": {"application/json"}}, Purpose: "fetch the discovery document (public)"}, sendOptions{ownsRedirect: true})
			if err != nil {
				return nil, err
			}
			last = &discoveryAnswer{resp, p}
			if resp.Status == http.StatusOK {
				break
			}
		}
		return last, nil
	}}

// probeNow is the run's clock as the live checks read it.
func probeNow(in *Input) time.Time {
	if in.Now.IsZero() {
		return time.Now()
	}
	return in.Now
}
