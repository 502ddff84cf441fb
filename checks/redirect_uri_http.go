package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/uri"
)

var _ = register(&Check{
	ID:    "CD2004",
	Name:  "redirect-uri-insecure-http",
	Guide: contio.GuideInvalidRequest,
	Title: "A redirect URI uses http on a host that is not loopback",
	Symptom: "Contio refuses the authorization request with invalid_request because the redirect URL uses an insecure protocol, " +
		"or the login works locally and breaks as soon as the app runs behind a real host name.",
	Cause: "Authorization codes travel in the redirect URI's query, so anyone on the network path of a plain-http callback can take them. " +
		"OAuth servers allow http only for loopback callbacks (localhost, 127.0.0.1, [::1]). An app behind a TLS-terminating proxy often " +
		"builds http://… from the request it sees.",
	Fix: "Use https for every redirect URI on a real host. Behind a proxy, configure the app's public base URL (or trust X-Forwarded-Proto) " +
		"so it builds https://… itself.",
	Verifies: "every configured or registered redirect URI on a non-loopback host uses https.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      redirectURIInsecureHTTP,
})

func redirectURIInsecureHTTP(_ context.Context, in *Input) ([]Finding, error) {
	var out []Finding
	for _, v := range redirectURIValues(in.Integration) {
		p := uri.Split(strings.TrimSpace(v.Value.Raw))
		if !strings.EqualFold(p.Scheme, "http") || p.Host == "" || uri.IsLoopback(p.Hostname()) {
			continue
		}
		fixed := "https" + strings.TrimSpace(v.Value.Raw)[len(p.Scheme):]
		out = append(out, Finding{
			Message:  fmt.Sprintf("%s %q uses http on %q, which is not a loopback host", v.Name, v.Value.Raw, p.Host),
			Location: v.Value.From,
			Fix:      fmt.Sprintf("Use %q: register it in the Partner Dashboard and send it from your code.", fixed),
		})
	}
	return out, nil
}
