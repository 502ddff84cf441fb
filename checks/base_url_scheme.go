package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/uri"
)

var _ = register(&Check{
	ID:    "CD6001",
	Name:  "base-url-not-https",
	Guide: contio.GuideNetworkError,
	Title: "An API base URL is not an absolute https URL",
	Symptom: "Requests fail with network_error (no response), a connection refused on port 80, or a redirect that drops the request body, " +
		"although Contio is up.",
	Cause: "Contio serves its API only over HTTPS on port 443. An http:// base URL either gets no answer or a redirect, and sends " +
		"tokens, client secrets and API keys in clear text on the way. A base URL without a scheme is not a URL at all for most HTTP clients.",
	Fix:      "Use https://api.contio.ai for api_url and https://auth.contio.ai for auth_url (plain http is fine only for a local simulator on loopback).",
	Verifies: "api_url and auth_url are absolute https URLs, or http on a loopback host.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      baseURLNotHTTPS,
})

// baseURLValues lists the configured base URLs with their config keys.
func baseURLValues(ig *integration.Integration) []integration.Secret {
	out := make([]integration.Secret, 0, 2) // four checks call this: one allocation each
	if ig.APIURL.Raw != "" {
		out = append(out, integration.Secret{Name: "api_url", Value: ig.APIURL})
	}
	if ig.AuthURL.Raw != "" {
		out = append(out, integration.Secret{Name: "auth_url", Value: ig.AuthURL})
	}
	return out
}

// defaultBaseFor is Contio's production base URL for a config key.
func defaultBaseFor(key string) string {
	if key == "auth_url" {
		return contio.DefaultAuth
	}
	return contio.DefaultAPI
}

func baseURLNotHTTPS(_ context.Context, in *Input) ([]Finding, error) {
	var out []Finding
	for _, v := range baseURLValues(in.Integration) {
		raw := strings.TrimSpace(v.Value.Raw)
		p := uri.Split(raw)
		var msg, fix string
		switch {
		case !p.HasAuthority || p.Host == "":
			msg = fmt.Sprintf("%s %q is not an absolute URL (no scheme or host)", v.Name, v.Value.Raw)
			fix = fmt.Sprintf("Set %s: %s.", v.Name, defaultBaseFor(v.Name))
			if !strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, "//") {
				fix = fmt.Sprintf("Set %s: %q.", v.Name, "https://"+strings.TrimPrefix(raw, "//"))
			}
		case strings.EqualFold(p.Scheme, "https"):
			continue
		case strings.EqualFold(p.Scheme, "http") && uri.IsLoopback(p.Hostname()):
			continue
		case strings.EqualFold(p.Scheme, "http"):
			msg = fmt.Sprintf("%s %q uses http; credentials would cross the network unencrypted and Contio answers only on https", v.Name, v.Value.Raw)
			fix = fmt.Sprintf("Set %s: %q.", v.Name, "https"+raw[len(p.Scheme):])
		default:
			msg = fmt.Sprintf("%s %q has the scheme %q; the API speaks https", v.Name, v.Value.Raw, p.Scheme)
			fix = fmt.Sprintf("Set %s: %s.", v.Name, defaultBaseFor(v.Name))
		}
		out = append(out, Finding{Message: msg, Location: v.Value.From, Fix: fix})
	}
	return out, nil
}
