package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/uri"
)

var _ = register(&Check{
	ID:      "CD2006",
	Name:    "redirect-uri-not-absolute",
	Guide:   contio.GuideInvalidRequest,
	Title:   "A redirect URI is relative or has no scheme or host",
	Symptom: "Contio refuses the authorization request with invalid_request, or the registration form rejects the URI.",
	Cause: "A redirect URI must be absolute (RFC 6749 §3.1.2): scheme, host and path, such as https://app.example.com/oauth/callback. " +
		"A path alone (/oauth/callback) or a host without a scheme (app.example.com/oauth/callback) is resolved by nobody; " +
		"it often comes from a framework helper that returns a relative URL.",
	Fix:      "Use the full URI, scheme and host included, generated from the app's configured public base URL.",
	Verifies: "every configured or registered redirect URI has a scheme and a host.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      redirectURINotAbsolute,
})

func redirectURINotAbsolute(_ context.Context, in *Input) ([]Finding, error) {
	var out []Finding
	for _, v := range redirectURIValues(in.Integration) {
		raw := strings.TrimSpace(v.Value.Raw)
		p := uri.Split(raw)
		var why, suggest string
		switch {
		case strings.HasPrefix(raw, "//"):
			why = "is scheme-relative (no https:)"
			suggest = "https:" + raw
		case p.Scheme == "" && strings.HasPrefix(raw, "/"):
			why = "is a path without scheme and host"
			suggest = "https://<your app's host>" + raw
		case p.Scheme == "" || (!p.HasAuthority && p.Path != "" && '0' <= p.Path[0] && p.Path[0] <= '9'):
			// "app.example.com:8080/cb" parses with the host as a "scheme".
			why = "has no scheme"
			suggest = "https://" + raw
		case !p.HasAuthority || p.Host == "":
			if isWebScheme(p.Scheme) {
				why = "has no host"
				suggest = p.Scheme + "://<your app's host>" + p.Path
			}
		}
		if why == "" {
			continue
		}
		out = append(out, Finding{
			Message:  fmt.Sprintf("%s %q %s; a redirect URI must be absolute", v.Name, v.Value.Raw, why),
			Location: v.Value.From,
			Fix:      fmt.Sprintf("Use the absolute URI %q, register it in the Partner Dashboard and send it.", suggest),
		})
	}
	return out, nil
}

func isWebScheme(s string) bool { return strings.EqualFold(s, "http") || strings.EqualFold(s, "https") }
