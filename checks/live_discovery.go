package checks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/probe"
)

var _ = register(&Check{
	ID:    "CD6504",
	Name:  "discovery-document",
	Guide: contio.GuideNone,
	Title: "The discovery document disagrees with the configured endpoints",
	Symptom: "OAuth calls go to URLs the server does not advertise, or with a client authentication " +
		"method it does not list.",
	Cause: "auth_url points at a different issuer than the one whose endpoints the app uses, or the server " +
		"does not support client_secret_basic, which the official SDK always sends.",
	Fix:      "Set auth_url to the issuer the discovery document names, and use the endpoints it lists.",
	Verifies: "The discovery document is served, its token and authorization endpoints match auth_url, and client_secret_basic is supported.",
	Severity: SeverityWarning,
	Needs:    NeedsNetwork,
	Safety:   1,
	Requires: needs(discovery),
	Run:      discoveryDocument,
})

type discoveryDoc struct {
	Issuer                string   `json:"issuer"`
	AuthorizationEndpoint string   `json:"authorization_endpoint"`
	TokenEndpoint         string   `json:"token_endpoint"`
	IntrospectionEndpoint string   `json:"introspection_endpoint"`
	RevocationEndpoint    string   `json:"revocation_endpoint"`
	JWKSURI               string   `json:"jwks_uri"`
	AuthMethods           []string `json:"token_endpoint_auth_methods_supported"`
	ScopesSupported       []string `json:"scopes_supported"`
}

func discoveryDocument(ctx context.Context, in *Input) ([]Finding, error) {
	l, err := liveHosts.Of(ctx, in)
	if err != nil {
		return nil, err
	}
	d, err := discovery.Of(ctx, in)
	if err != nil {
		return nil, err
	}
	resp, path := d.resp, d.path
	if resp.Status != http.StatusOK {
		return []Finding{{
			Severity:  SeverityInfo,
			Message:   fmt.Sprintf("no discovery document at %s (HTTP %d)", path, resp.Status),
			Cause:     "The auth host does not serve OpenID discovery at either spelling, so the endpoints cannot be cross-checked.",
			Fix:       "Nothing to change if the OAuth checks pass; otherwise confirm auth_url with Contio.",
			Location:  in.Integration.AuthURL.From,
			RequestID: resp.RequestID,
		}}, nil
	}
	var doc discoveryDoc
	if err := json.Unmarshal(resp.Body, &doc); err != nil {
		return []Finding{{Root: notJSONRoot(hostPart(l.Auth.String())),
			Message:   fmt.Sprintf("the discovery document at %s is not valid JSON", path),
			Cause:     "Something other than the Contio OAuth host answered: a proxy's page, a stub or the wrong host in auth_url.",
			Fix:       "Point auth_url at the Contio OAuth host.",
			Location:  in.Integration.AuthURL.From,
			RequestID: resp.RequestID}}, nil
	}
	var out []Finding
	want := map[string]string{
		"authorization_endpoint": joinURL(l.Auth, "/oauth2/authorize"),
		"token_endpoint":         joinURL(l.Auth, "/oauth2/token"),
	}
	got := map[string]string{"authorization_endpoint": doc.AuthorizationEndpoint, "token_endpoint": doc.TokenEndpoint}
	for _, k := range []string{"authorization_endpoint", "token_endpoint"} {
		if got[k] != "" && trimSlash(got[k]) != trimSlash(want[k]) {
			out = append(out, Finding{
				Message:   fmt.Sprintf("discovery advertises %s %s, but the configured auth_url gives %s", k, got[k], want[k]),
				Evidence:  fmt.Sprintf("issuer %s (from %s)", doc.Issuer, path),
				Location:  in.Integration.AuthURL.From,
				RequestID: resp.RequestID,
			})
		}
	}
	if len(doc.AuthMethods) > 0 && !slices.Contains(doc.AuthMethods, "client_secret_basic") {
		out = append(out, Finding{
			Severity:  SeverityError,
			Message:   fmt.Sprintf("the server lists token endpoint auth methods %s, without client_secret_basic", strings.Join(doc.AuthMethods, ", ")),
			Cause:     "The official SDK always authenticates with HTTP Basic; a server that does not accept it rejects every token request.",
			Fix:       "Send client_id and client_secret as form fields instead, or confirm the supported methods with Contio.",
			RequestID: resp.RequestID,
		})
	}
	return out, nil
}

var _ = register(&Check{
	ID:       "CD6505",
	Name:     "jwks-private-key",
	Guide:    contio.GuideNone,
	Title:    "The published key set exposes private key material",
	Symptom:  "Anyone can read the private part of a signing key from /.well-known/jwks.json and forge ID tokens.",
	Cause:    "A key in the JWKS carries the private member \"d\" (or \"p\", \"q\", \"dp\", \"dq\", \"qi\"), which must never be published.",
	Fix:      "Report it to Contio security at once; until it is fixed, do not trust ID tokens on their signature alone.",
	Verifies: "Every key in the published JWKS holds public members only.",
	Severity: SeverityError,
	Needs:    NeedsNetwork,
	Safety:   1,
	Requires: probing,
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		r, err := authContact.Of(ctx, in) // the auth host's first contact is the JWKS
		if err != nil {
			return nil, err
		}
		if r.err != nil {
			if s := budgetOrLimited(r.err); s != nil {
				return nil, s
			}
			if b := r.blocker(); b != nil {
				return nil, b
			}
			return nil, Skip("the auth host did not answer", "see CD6501")
		}
		return jwksFindings(r.resp), nil
	},
})

func jwksFindings(resp *probe.Response) []Finding {
	if resp.Status != http.StatusOK {
		return nil
	}
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if json.Unmarshal(resp.Body, &set) != nil {
		return nil
	}
	var out []Finding
	for i, k := range set.Keys {
		var private []string
		for _, m := range []string{"d", "p", "q", "dp", "dq", "qi"} {
			if v, ok := k[m]; ok && v != nil && v != "" {
				private = append(private, m)
			}
		}
		if len(private) > 0 {
			kid, _ := k["kid"].(string)
			out = append(out, Finding{
				Message:   fmt.Sprintf("key %d (kid %q) in the JWKS carries private members: %s", i, kid, strings.Join(private, ", ")),
				RequestID: resp.RequestID,
			})
		}
	}
	return out
}

// trimSlash lets an advertised endpoint and a configured one compare
// equal with or without a trailing slash.
func trimSlash(s string) string { return strings.TrimRight(s, "/") }
