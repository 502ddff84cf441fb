package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/textdist"
	"github.com/Contio-AI/contio-doctor/internal/uri"
)

var _ = register(&Check{
	ID:      "CD6002",
	Name:    "base-url-unknown-host",
	Guide:   contio.GuideNetworkError,
	Title:   "An API base URL points at a host that is not Contio's API or auth host",
	Symptom: "Requests fail with network_error (DNS failure, connection refused, TLS name mismatch) or get 404s from a server that is not the Contio API.",
	Cause: "The host is misspelled, uses the wrong top-level domain (contio.io appears in older spec examples but does not serve the API), " +
		"or names the wrong Contio service: app.contio.ai is the web app, and auth.contio.ai serves only the OAuth paths, not /v1/partner/….",
	Fix:      "Use api.contio.ai for api_url and auth.contio.ai for auth_url.",
	Verifies: "api_url's host is api.contio.ai and auth_url's host is auth.contio.ai (or api.contio.ai, or loopback for the simulator).",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      baseURLUnknownHost,
})

func baseURLUnknownHost(_ context.Context, in *Input) ([]Finding, error) {
	var out []Finding
	for _, v := range baseURLValues(in.Integration) {
		p := uri.Split(strings.TrimSpace(v.Value.Raw))
		host := strings.TrimSuffix(p.Hostname(), ".")
		if host == "" || uri.IsLoopback(host) {
			continue
		}
		want := contio.APIHost
		if v.Name == "auth_url" {
			want = contio.AuthHost
		}
		fixTo := fmt.Sprintf("Set %s: https://%s.", v.Name, want)
		f := Finding{Location: v.Value.From, Fix: fixTo}
		switch {
		case host == want:
			continue
		case v.Name == "auth_url" && host == contio.APIHost:
			f.Severity = SeverityInfo
			f.Message = fmt.Sprintf("auth_url uses %s; the OAuth paths answer there too, but the SDK and the docs use %s", contio.APIHost, contio.AuthHost)
		case v.Name == "api_url" && host == contio.AuthHost:
			f.Message = fmt.Sprintf("api_url %q points at the auth host; /v1/partner/user and /v1/partner/admin are served by %s", v.Value.Raw, contio.APIHost)
		case host == contio.AppHost:
			f.Message = fmt.Sprintf("%s %q points at %s, the Contio web app, not the API", v.Name, v.Value.Raw, contio.AppHost)
		case host == "contio.io" || strings.HasSuffix(host, ".contio.io"):
			f.Message = fmt.Sprintf("%s %q uses the .io domain from old spec examples; Contio's API lives under contio.ai", v.Name, v.Value.Raw)
		case host == "contio.ai":
			f.Message = fmt.Sprintf("%s %q names the bare domain; the API host is %s", v.Name, v.Value.Raw, want)
		case strings.HasSuffix(host, ".contio.ai"):
			f.Severity = SeverityWarning
			f.Message = fmt.Sprintf("%s %q is not a documented Contio host (documented: %s); fine only if Contio gave you this environment",
				v.Name, v.Value.Raw, strings.Join(contio.KnownHosts, ", "))
		case looksLikeContio(host):
			f.Message = fmt.Sprintf("%s host %q looks like a misspelling of %s", v.Name, p.Host, want)
		default:
			f.Severity = SeverityInfo
			f.Message = fmt.Sprintf("%s %q is not a Contio host; fine if it is your own gateway or proxy in front of %s", v.Name, v.Value.Raw, want)
		}
		out = append(out, f)
	}
	return out, nil
}

// looksLikeContio reports whether some label of host is within two edits of
// "contio" (conito, contoi, contio-ai …) or the host is within two edits of
// a known host.
func looksLikeContio(host string) bool {
	for _, k := range contio.KnownHosts {
		if textdist.Distance(host, k) <= 2 {
			return true
		}
	}
	for _, label := range strings.FieldsFunc(host, func(r rune) bool { return r == '.' || r == '-' }) {
		if len(label) >= 5 && textdist.Distance(label, "contio") <= 2 {
			return true
		}
	}
	return false
}
