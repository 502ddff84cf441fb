package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/uri"
)

var _ = register(&Check{
	ID:    "CD2005",
	Name:  "redirect-uri-localhost",
	Guide: contio.GuideInvalidRequest,
	Title: "A redirect URI uses localhost or 0.0.0.0 instead of an IP loopback address",
	Symptom: "Local logins fail with invalid_request whenever the dev server or CLI picks a different port, " +
		"or the browser cannot open the callback at all.",
	Cause: "Only IP loopback literals (127.0.0.1, [::1]) get the rule that any port matches (RFC 8252 §7.3); http://localhost:PORT " +
		"must match the registered port exactly, and localhost may resolve to an address your server does not listen on (RFC 8252 §8.3). " +
		"0.0.0.0 is a bind address leaking into the URI, not an address a browser should be sent to.",
	Fix:      "Register and send http://127.0.0.1/<path> (any port then matches), or pin the callback port and register it exactly.",
	Verifies: "no configured or registered redirect URI uses the host localhost or 0.0.0.0.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig,
	Run:      redirectURILocalhost,
})

func redirectURILocalhost(_ context.Context, in *Input) ([]Finding, error) {
	var out []Finding
	for _, v := range redirectURIValues(in.Integration) {
		raw := strings.TrimSpace(v.Value.Raw)
		p := uri.Split(raw)
		host := p.Hostname()
		loopback := "127.0.0.1"
		if p.Scheme != "" && p.HasAuthority {
			// Keep the scheme and path, drop the port: IP loopback matches any port.
			loopback = p.Scheme + "://127.0.0.1" + p.Path
		}
		switch {
		case host == "0.0.0.0" || host == "::" || host == "[::]":
			out = append(out, Finding{
				Severity: SeverityError,
				Message:  fmt.Sprintf("%s %q points the browser at %s, a bind address rather than a reachable host", v.Name, v.Value.Raw, p.Host),
				Location: v.Value.From,
				Fix:      fmt.Sprintf("Build the URI from the app's public address, not the address it listens on; locally use %q.", loopback),
			})
		case host == "localhost" || strings.HasSuffix(host, ".localhost"):
			msg := fmt.Sprintf("%s %q uses %q: unlike 127.0.0.1 or [::1], localhost gets no port flexibility", v.Name, v.Value.Raw, p.Host)
			if p.HasPort {
				msg += fmt.Sprintf(", so the port :%s must stay fixed", p.Port)
			}
			out = append(out, Finding{
				Message:  msg,
				Location: v.Value.From,
				Fix:      fmt.Sprintf("Register and send %q (any port then matches), or keep the port fixed in both places.", loopback),
			})
		}
	}
	return out, nil
}
