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
	Title: "A local redirect URI names a bind address, or a loopback host without a port",
	Symptom: "Local logins fail with invalid_request as soon as the dev server or CLI listens on its own port, " +
		"or the browser cannot open the callback at all.",
	Cause: "Contio compares redirect URIs exactly and documents no exception for loopback addresses: the any-port rule some servers " +
		"apply to 127.0.0.1 and [::1] (RFC 8252 §7.3) is not promised. A loopback URI without a port therefore names port 80 only, " +
		"and a callback server on any other port is refused. A loopback URI with a fixed port (the Postman collection's " +
		"http://localhost:3000/callback, for one) is fine when registered exactly. 0.0.0.0 is a bind address leaking into the URI, " +
		"not an address a browser should be sent to.",
	Fix: "Pin the local callback server to one port and register the URI with that port, byte for byte (for example " +
		"http://localhost:3000/callback); register one URI per port you really use.",
	Verifies: "no configured or registered redirect URI uses 0.0.0.0 or [::], and every http loopback redirect URI names its port.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig,
	Run:      redirectURILocalhost,
})

// loopbackExamplePort is the port suggested when a loopback URI has none:
// the one the docs' Postman collection and the sandbox use.
const loopbackExamplePort = "3000"

func redirectURILocalhost(_ context.Context, in *Input) ([]Finding, error) {
	var out []Finding
	for _, v := range redirectURIValues(in.Integration) {
		raw := strings.TrimSpace(v.Value.Raw)
		p := uri.Split(raw)
		host := p.Hostname()
		switch {
		case host == "0.0.0.0" || host == "::" || host == "[::]":
			local := "http://localhost:" + loopbackExamplePort + "/callback"
			if p.Scheme != "" && p.HasAuthority {
				port := loopbackExamplePort
				if p.HasPort {
					port = p.Port
				}
				local = p.Scheme + "://localhost:" + port + p.Path
			}
			out = append(out, Finding{
				Severity: SeverityError,
				Message:  fmt.Sprintf("%s %q points the browser at %s, a bind address rather than a reachable host", v.Name, v.Value.Raw, p.Host),
				Location: v.Value.From,
				Fix:      fmt.Sprintf("Build the URI from the app's public address, not the address it listens on; locally use %q, registered exactly.", local),
			})
		case p.Scheme == "http" && p.HasAuthority && !p.HasPort && uri.IsLoopback(host):
			pinned := "http://" + p.Host + ":" + loopbackExamplePort + p.Path
			out = append(out, Finding{
				Message: fmt.Sprintf("%s %q names no port, so it matches only a callback on port 80: Contio compares redirect URIs exactly "+
					"and promises no any-port rule for loopback", v.Name, v.Value.Raw),
				Location: v.Value.From,
				Fix: fmt.Sprintf("Pin the callback server's port and use that port in both the registered and the sent URI, e.g. %q "+
					"(keep %q only if your callback server really listens on port 80).", pinned, v.Value.Raw),
			})
		}
	}
	return out, nil
}
