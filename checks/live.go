package checks

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
)

// Live is what live checks share in one run: the probe client (budget,
// memo, exchange log) and the parsed base URLs. The CLI builds it with
// NewLive and hands it over as Input.Shared.
type Live struct {
	Probe *probe.Client
	API   *url.URL
	Auth  *url.URL
}

// NewLive prepares the shared state of a live run. Base URLs that do not
// parse leave the field nil; the connectivity checks report that.
func NewLive(ig *integration.Integration, opts probe.Options) *Live {
	l := &Live{Probe: probe.New(opts)}
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

// liveOf returns the run's Live, or an error result when it is missing.
func liveOf(in *Input) (*Live, error) {
	l, ok := in.Shared.(*Live)
	if !ok || l == nil || l.Probe == nil {
		return nil, errors.New("internal error: live run without a probe client")
	}
	return l, nil
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
		Message:  fmt.Sprintf("%s: no response (%s failed): %v", what, step, err),
		Evidence: fmt.Sprintf("failed step: %s", step),
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
	var rl *probe.RateLimitedError
	if errors.As(err, &rl) {
		return Skip(rl.Error(), "run again after the reset")
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

// introspection is a memoised introspection of one token.
type introspection struct {
	info *Introspection
	resp *probe.Response
}

// introspect asks the server about token once per run, whichever checks
// want to know.
func (l *Live) introspect(ctx context.Context, ig *integration.Integration, token string) (*introspection, error) {
	key := "introspect:" + tokenKey(token)
	v, err := l.Probe.Once(key, func() (any, error) {
		cc, err := l.clientCredentials(ctx, ig)
		if err != nil {
			return nil, err
		}
		if !cc.accepted {
			return nil, Skip("the client credentials were rejected, and introspection needs them", "fix the client credentials first (CD1501)")
		}
		u, err := l.authEndpoint("/oauth2/introspect")
		if err != nil {
			return nil, err
		}
		resp, err := l.Probe.Do(ctx, probe.Request{
			Method: "POST", URL: u, Class: contio.ClassOAuth, Credentialed: true,
			Header: http.Header{
				"Authorization": {cc.header},
				"Content-Type":  {"application/x-www-form-urlencoded"},
				"Accept":        {"application/json"},
			},
			Body:    []byte(url.Values{"token": {token}}.Encode()),
			Purpose: "introspect a token (read-only)",
		})
		if err != nil {
			return nil, err
		}
		if resp.Status != http.StatusOK {
			return &introspection{resp: resp}, nil
		}
		var raw map[string]json.RawMessage
		info := &Introspection{}
		if err := json.Unmarshal(resp.Body, info); err != nil {
			return nil, fmt.Errorf("introspection answered 200 with a body that is not JSON (request_id %s)", orNone(resp.RequestID))
		}
		if json.Unmarshal(resp.Body, &raw) == nil {
			_, info.scopePresent = raw["scope"]
		}
		return &introspection{info: info, resp: resp}, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*introspection), nil
}

func tokenKey(token string) string {
	// The memo key never holds the token itself.
	return fmt.Sprintf("%x", sha256Sum(token))
}

// clientCreds is the memoised outcome of the client-credential probe.
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

// clientCredentials proves the client_id/secret pair with a token request
// that cannot mint anything: grant_type=authorization_code with a random
// code. invalid_grant means the credentials were accepted.
func (l *Live) clientCredentials(ctx context.Context, ig *integration.Integration) (*clientCreds, error) {
	v, err := l.Probe.Once("client-credentials", func() (any, error) {
		id, secret := ig.OAuth.ClientID.Raw, ig.OAuth.ClientSecret.Raw
		if id == "" || secret == "" {
			return nil, Skip("no client credentials configured", "set oauth.client_id and oauth.client_secret")
		}
		u, err := l.authEndpoint("/oauth2/token")
		if err != nil {
			return nil, err
		}
		send := func(header string) (*probe.Response, error) {
			form := url.Values{
				"grant_type":   {"authorization_code"},
				"code":         {"doctor_probe_" + randomToken(16)},
				"redirect_uri": {ig.EffectiveTokenRedirectURI().Raw},
			}
			return l.Probe.Do(ctx, probe.Request{
				Method: "POST", URL: u, Class: contio.ClassOAuth, Credentialed: true,
				Header: http.Header{
					"Authorization": {header},
					"Content-Type":  {"application/x-www-form-urlencoded"},
					"Accept":        {"application/json"},
				},
				Body:    []byte(form.Encode()),
				Purpose: "prove the client credentials with a random authorization code (nothing can be minted)",
			})
		}
		sdk := basicAuth(id, secret)
		resp, err := send(sdk)
		if err != nil {
			return nil, err
		}
		cc := &clientCreds{header: sdk, resp: resp, accepted: credentialsAccepted(resp)}
		rfc := basicAuthFormEncoded(id, secret)
		if !cc.accepted && rfc != sdk && resp.Status == http.StatusUnauthorized {
			// The secret has characters the two encodings treat
			// differently: learn which one the server accepts.
			if alt, aerr := send(rfc); aerr == nil {
				cc.altResp = alt
				if credentialsAccepted(alt) {
					cc.accepted, cc.header, cc.formEncodedOnly = true, rfc, true
				}
			}
		}
		return cc, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*clientCreds), nil
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

// requestIDNote formats a request id for messages.
func requestIDNote(r *probe.Response) string {
	if r == nil || r.RequestID == "" {
		return ""
	}
	return " (request_id " + r.RequestID + ")"
}

// publicInfo fetches /v1/partner/info/{client_id}/public once per run.
func (l *Live) publicInfo(ctx context.Context, clientID string) (*probe.Response, error) {
	v, err := l.Probe.Once("public-info", func() (any, error) {
		u, err := l.authEndpoint(contio.PublicPrefix + "/" + url.PathEscape(clientID) + "/public")
		if err != nil {
			return nil, err
		}
		return l.Probe.Do(ctx, probe.Request{Method: "GET", URL: u, Class: contio.ClassPublic,
			Header: http.Header{"Accept": {"application/json"}}, Purpose: "does this client_id exist? (public, no credentials)"})
	})
	if err != nil {
		return nil, err
	}
	return v.(*probe.Response), nil
}

// discovery fetches the discovery document once per run, trying the
// spec's underscore spelling first and the standard one second.
func (l *Live) discovery(ctx context.Context) (*probe.Response, string, error) {
	type result struct {
		resp *probe.Response
		path string
	}
	v, err := l.Probe.Once("discovery", func() (any, error) {
		var last *probe.Response
		var lastPath string
		for _, p := range []string{"/.well-known/openid_configuration", "/.well-known/openid-configuration"} {
			u, err := l.authEndpoint(p)
			if err != nil {
				return nil, err
			}
			resp, err := l.Probe.Do(ctx, probe.Request{Method: "GET", URL: u, Class: contio.ClassPublic,
				Header: http.Header{"Accept": {"application/json"}}, Purpose: "fetch the discovery document (public)"})
			if err != nil {
				return nil, err
			}
			last, lastPath = resp, p
			if resp.Status == http.StatusOK {
				break
			}
		}
		return &result{last, lastPath}, nil
	})
	if err != nil {
		return nil, "", err
	}
	r := v.(*result)
	return r.resp, r.path, nil
}

// probeNow is the run's clock as the live checks read it.
func probeNow(in *Input) time.Time {
	if in.Now.IsZero() {
		return time.Now()
	}
	return in.Now
}

func sha256Sum(s string) [32]byte { return sha256.Sum256([]byte(s)) }

// transportError is how checks other than the connectivity ones report a
// request that got no answer: they could not decide (status error), and
// the connectivity checks name the failed step once.
func transportError(what string, err error) error {
	return fmt.Errorf("%s got no answer (%s failed; see CD6501/CD6502): %w", what, probe.Classify(err), err)
}

// errAppRejected skips checks whose call was refused because the partner
// app itself is rejected: CD1501 reports that root cause once.
func errAppRejected(r *probe.Response) error {
	return Skip("the API rejected the partner app itself (invalid_client"+requestIDNote(r)+")", "fix the client credentials or reactivate the app (CD1501)")
}
