package checks

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/uri"
)

var _ = register(&Check{
	ID:    "CD2007",
	Name:  "authorization-url-mismatch",
	Guide: contio.GuideInvalidRequest,
	Title: "The authorization URL the app builds disagrees with the configuration",
	Symptom: "The browser lands on an error page (invalid_request, unknown client, unsupported response type) instead of the Contio login, " +
		"or the later code exchange fails although the config looks right.",
	Cause: "The URL the app really sends users to is assembled by code: a hard-coded client_id from another environment, a redirect_uri " +
		"encoded twice or not at all, a response_type other than code, or a path that is not Contio's authorize endpoint. " +
		"Whatever the config says, this URL is what Contio sees.",
	Fix: "Build the URL with a URL library from the configured values: https://auth.contio.ai/oauth2/authorize with client_id, " +
		"redirect_uri (percent-encoded exactly once), response_type=code, scope (space-separated) and state.",
	Verifies: "oauth.authorization_url points at /oauth2/authorize on a Contio auth host and carries the configured client_id, " +
		"the configured redirect_uri (encoded once) and response_type=code.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      authorizationURLMismatch,
})

// authorizePath is Contio's browser authorization endpoint.
const authorizePath = "/oauth2/authorize"

// queryParam is one raw key=value pair of a query, in order.
type queryParam struct {
	Key string // decoded
	Raw string // the value as written
}

// authURLParams splits a raw query into its parameters, decoding keys.
func authURLParams(query string) []queryParam {
	var out []queryParam
	for _, kv := range strings.Split(query, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		out = append(out, queryParam{Key: k, Raw: v})
	}
	return out
}

// authURLParam returns the first parameter named key.
func authURLParam(ps []queryParam, key string) (queryParam, bool) {
	for _, p := range ps {
		if p.Key == key {
			return p, true
		}
	}
	return queryParam{}, false
}

// authorizationURLParts parses oauth.authorization_url, or skips.
func authorizationURLParts(ig *integration.Integration) (uri.Parts, []queryParam, error) {
	v := ig.OAuth.AuthorizationURL
	if v.Raw == "" {
		return uri.Parts{}, nil, Skip("no authorization URL configured",
			"paste an authorization URL your app generates into oauth.authorization_url")
	}
	p := uri.Split(strings.TrimSpace(v.Raw))
	return p, authURLParams(p.Query), nil
}

func authorizationURLMismatch(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	p, params, err := authorizationURLParts(ig)
	if err != nil {
		return nil, err
	}
	at := ig.OAuth.AuthorizationURL.From
	var out []Finding
	add := func(msg, fix string) {
		out = append(out, Finding{Message: "authorization_url: " + msg, Location: at, Fix: fix})
	}

	if hosts := authorizeHosts(ig); p.Host == "" || !slices.Contains(hosts, p.Hostname()) {
		add(fmt.Sprintf("host %q is not a Contio authorization host (expected %s)", p.Host, strings.Join(hosts, " or ")),
			fmt.Sprintf("Send users to %s%s.", authBase(ig), authorizePath))
	}
	if p.Path != authorizePath {
		add(fmt.Sprintf("path %q is not the authorize endpoint %q", p.Path, authorizePath),
			fmt.Sprintf("Use the path %s (it is case-sensitive).", authorizePath))
	}

	if cid, ok := authURLParam(params, "client_id"); !ok {
		add("no client_id parameter", fmt.Sprintf("Add client_id=%s.", url.QueryEscape(ig.OAuth.ClientID.Raw)))
	} else if dec, err := url.QueryUnescape(cid.Raw); err != nil {
		add(fmt.Sprintf("client_id %q is not valid percent-encoding: %v", cid.Raw, err), "Percent-encode the client_id once.")
	} else if ig.OAuth.ClientID.Raw != "" && dec != ig.OAuth.ClientID.Raw {
		add(fmt.Sprintf("client_id %q differs from oauth.client_id %q", dec, ig.OAuth.ClientID.Raw),
			fmt.Sprintf("Send client_id=%s, the app's client ID from the Partner Dashboard.", url.QueryEscape(ig.OAuth.ClientID.Raw)))
	}

	want := ig.OAuth.RedirectURI.Raw
	if rd, ok := authURLParam(params, "redirect_uri"); !ok {
		add("no redirect_uri parameter (Contio needs it, and the openid scope requires it)",
			fmt.Sprintf("Add redirect_uri=%s.", url.QueryEscape(want)))
	} else if dec, err := url.QueryUnescape(rd.Raw); err != nil {
		add(fmt.Sprintf("redirect_uri %q is not valid percent-encoding: %v", rd.Raw, err),
			fmt.Sprintf("Send redirect_uri=%s (encoded once).", url.QueryEscape(want)))
	} else if want != "" && dec != want {
		twice, err2 := url.QueryUnescape(dec)
		switch {
		case err2 == nil && twice == want:
			add(fmt.Sprintf("redirect_uri is percent-encoded twice: %q decodes to %q, which Contio compares with the registered URIs",
				rd.Raw, dec),
				fmt.Sprintf("Encode it once: redirect_uri=%s (a URL library's query builder already encodes; do not encode the value beforehand).",
					url.QueryEscape(want)))
		default:
			msg := fmt.Sprintf("redirect_uri %q differs from oauth.redirect_uri %q: %s", dec, want, uri.Describe(uri.Diff(dec, want)))
			if strings.Contains(rd.Raw, "://") && strings.ContainsAny(want, "?&#") {
				msg += " (the value is not percent-encoded, so its own ? & or # cut it short)"
			}
			add(msg, fmt.Sprintf("Send redirect_uri=%s, built from the same setting as the token exchange.", url.QueryEscape(want)))
		}
	}

	if rt, ok := authURLParam(params, "response_type"); !ok {
		add("no response_type parameter", "Add response_type=code.")
	} else if rt.Raw != "code" {
		add(fmt.Sprintf("response_type is %q; Contio supports only the authorization-code flow", rt.Raw), "Use response_type=code.")
	}
	return out, nil
}

// authorizeHosts are the hosts an authorization URL may point at: the
// configured auth host, and every documented environment's OAuth hosts
// (production's auth paths answer on its API host too).
func authorizeHosts(ig *integration.Integration) []string {
	var hosts []string
	for _, e := range contio.Environments {
		for _, h := range e.AuthHosts {
			if !slices.Contains(hosts, h) {
				hosts = append(hosts, h)
			}
		}
	}
	if ig.AuthURL.Raw != "" {
		if h := uri.Split(strings.TrimSpace(ig.AuthURL.Raw)).Hostname(); h != "" && !slices.Contains(hosts, h) {
			hosts = append([]string{h}, hosts...)
		}
	}
	return hosts
}

// authBase is the configured auth base URL without a trailing slash, or
// Contio's default.
func authBase(ig *integration.Integration) string {
	if b := strings.TrimRight(strings.TrimSpace(ig.AuthURL.Raw), "/"); b != "" {
		return b
	}
	return contio.DefaultAuth
}
