package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/uri"
)

var _ = register(&Check{
	ID:      "CD6003",
	Name:    "base-url-path",
	Guide:   contio.GuideNetworkError,
	Title:   "An API base URL carries a path, query or trailing slash",
	Symptom: "Every request answers 404 (or 403 from a gateway) although the paths look right in your code.",
	Cause: "Clients append /v1/partner/… or /oauth2/… to the base URL as plain text. A trailing slash yields //v1/partner/…, " +
		"a base URL ending in /v1 yields /v1/v1/partner/…, and a query or fragment lands in the middle of every URL.",
	Fix:      "Give the base URL as scheme and host only: https://api.contio.ai and https://auth.contio.ai.",
	Verifies: "api_url and auth_url have no path (not even /), query or fragment.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      baseURLPath,
})

func baseURLPath(_ context.Context, in *Input) ([]Finding, error) {
	var out []Finding
	for _, v := range baseURLValues(in.Integration) {
		raw := strings.TrimSpace(v.Value.Raw)
		p := uri.Split(raw)
		if !p.HasAuthority || p.Host == "" {
			continue // CD6001 reports it
		}
		origin := p.Scheme + "://" + p.Host
		if p.HasPort {
			origin += ":" + p.Port
		}
		example := contio.UserPrefix + "/meetings"
		if v.Name == "auth_url" {
			example = "/oauth2/token"
		}
		var msg string
		switch {
		case p.HasQuery || p.HasFrag:
			msg = fmt.Sprintf("%s %q carries a query or fragment, which ends up in the middle of every request URL", v.Name, v.Value.Raw)
		case p.Path == "/":
			msg = fmt.Sprintf("%s %q ends with a slash, so requests go to %s/%s", v.Name, v.Value.Raw, origin, example)
		case p.Path != "":
			msg = fmt.Sprintf("%s %q carries the path %q, so requests go to %s%s%s", v.Name, v.Value.Raw, p.Path,
				origin, strings.TrimRight(p.Path, "/"), example)
		default:
			continue
		}
		out = append(out, Finding{Message: msg, Location: v.Value.From, Fix: fmt.Sprintf("Set %s: %s.", v.Name, origin)})
	}
	return out, nil
}
