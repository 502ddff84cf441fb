package checks

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/textdist"
	"github.com/Contio-AI/contio-doctor/internal/uri"
)

var _ = register(&Check{
	ID:      "CD6002",
	Name:    "base-url-unknown-host",
	Guide:   contio.GuideNetworkError,
	Title:   "An API base URL points at a host that is not a documented Contio API or auth host",
	Symptom: "Requests fail with network_error (DNS failure, connection refused, TLS name mismatch) or get 404s from a server that is not the Contio API.",
	Cause: "The host is misspelled, uses the wrong top-level domain (contio.io appears in older spec examples but does not serve the API), " +
		"or names the wrong Contio service: app.contio.ai is the web app, and auth.contio.ai serves only the OAuth paths, not /v1/partner/…. " +
		"Contio documents two environments: production (api.contio.ai, with OAuth also on auth.contio.ai) and beta (beta.api.contio.ai).",
	Fix: "Use the hosts of the environment your credentials were issued for: production api_url https://api.contio.ai and auth_url " +
		"https://auth.contio.ai (or https://api.contio.ai); beta https://beta.api.contio.ai for both.",
	Verifies: "api_url's and auth_url's hosts are those of one documented Contio environment (production or beta), or loopback for the simulator.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      baseURLUnknownHost,
})

func baseURLUnknownHost(_ context.Context, in *Input) ([]Finding, error) {
	var out []Finding
	for _, v := range baseURLValues(in.Integration) {
		p := uri.Split(strings.TrimSpace(v.Value.Raw))
		host := strings.ToLower(strings.TrimSuffix(p.Hostname(), "."))
		if host == "" || uri.IsLoopback(host) {
			continue
		}
		if env, ok := contio.EnvironmentOf(host); ok && hostServes(env, v.Name, host) {
			continue
		}
		// Advice stays in the environment the value seems meant for: a
		// beta partner is never told to use production.
		env := contio.Production()
		if strings.Contains(host, "beta") {
			env = contio.Beta()
		}
		want := env.APIHost
		if v.Name == "auth_url" {
			want = env.AuthHosts[0]
		}
		fixTo := fmt.Sprintf("Set %s: https://%s.", v.Name, want)
		f := Finding{Location: v.Value.From, Fix: fixTo}
		switch {
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
			f.Message = fmt.Sprintf("%s %q is not a documented Contio host (production: %s, %s; beta: %s); fine only if Contio gave you this environment",
				v.Name, v.Value.Raw, contio.APIHost, contio.AuthHost, contio.BetaAPIHost)
			f.Fix = fmt.Sprintf("Keep %s only if Contio support issued it to you; otherwise use the host of the environment your credentials "+
				"belong to: %s for production, %s for beta.", p.Host, contio.Production().APIBase(), contio.Beta().APIBase())
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

// hostServes reports whether host, a host of env, serves what the config
// key names: the API (api_url) or the OAuth paths (auth_url).
func hostServes(env contio.Environment, key, host string) bool {
	if key == "auth_url" {
		return slices.Contains(env.AuthHosts, host)
	}
	return host == env.APIHost
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
