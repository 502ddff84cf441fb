package checks

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/uri"
)

var _ = register(&Check{
	ID:      "CD6005",
	Name:    "proxy-in-environment",
	Guide:   contio.GuideNetworkError,
	Title:   "Proxy variables in the environment route (or exempt) Contio traffic",
	Symptom: "Requests to Contio fail with network_error, time out, or fail TLS verification from one machine or container but not another.",
	Cause: "HTTPS_PROXY sends https requests through a proxy, and NO_PROXY exempts hosts from it (by domain suffix, leading dot, * or port). " +
		"A proxy that blocks or intercepts api.contio.ai, or an exemption that misses it, changes where the request really goes. " +
		"HTTP_PROXY alone does not apply to https URLs.",
	Fix: "Make sure the proxy allows outbound HTTPS to api.contio.ai and auth.contio.ai on port 443 (and trusts no intercepting CA you did not mean to), " +
		"or list contio.ai in NO_PROXY to go direct.",
	Verifies: "no HTTPS_PROXY/HTTP_PROXY in the environment applies to the configured Contio hosts.",
	Severity: SeverityInfo,
	Needs:    NeedsConfig,
	Run:      proxyInEnvironment,
})

func proxyInEnvironment(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	env := func(names ...string) (string, string) {
		for _, n := range names {
			if v := strings.TrimSpace(ig.Env[n]); v != "" {
				return v, n
			}
		}
		return "", ""
	}
	httpsProxy, httpsName := env("HTTPS_PROXY", "https_proxy")
	httpProxy, httpName := env("HTTP_PROXY", "http_proxy")
	noProxy, noName := env("NO_PROXY", "no_proxy")
	if httpsProxy == "" && httpProxy == "" {
		return nil, nil
	}
	var out []Finding
	seen := map[string]bool{}
	for _, b := range contioBaseURLs(ig) {
		p := uri.Split(strings.TrimSpace(b.Value.Raw))
		host := p.Hostname()
		if host == "" {
			continue
		}
		port := p.Port
		if port == "" {
			port = uri.DefaultPort(p.Scheme)
		}
		key := strings.ToLower(p.Scheme) + "://" + host + ":" + port
		if seen[key] {
			continue
		}
		seen[key] = true
		proxy, proxyName := httpsProxy, httpsName
		if strings.EqualFold(p.Scheme, "http") {
			proxy, proxyName = httpProxy, httpName
		}
		at := integration.Source{EnvVar: proxyName}
		switch {
		case proxy == "":
			if strings.EqualFold(p.Scheme, "https") && httpProxy != "" {
				out = append(out, Finding{
					Message:  fmt.Sprintf("%s is set but %s is https, so it goes direct: %s applies only to http URLs", httpName, host, httpName),
					Location: integration.Source{EnvVar: httpName},
				})
			}
		case uri.IsLoopback(host):
			// Go never proxies loopback.
		case noProxyMatches(noProxy, host, port) != "":
			out = append(out, Finding{
				Message: fmt.Sprintf("%s (%s) is exempted from %s by the %s entry %q, so it goes direct",
					host, b.Name, proxyName, noName, noProxyMatches(noProxy, host, port)),
				Location: integration.Source{EnvVar: noName},
			})
		default:
			out = append(out, Finding{
				Message:  fmt.Sprintf("requests to %s (%s) go through the proxy %s from %s", host, b.Name, proxyDisplay(proxy), proxyName),
				Location: at,
				Evidence: fmt.Sprintf("%s=%s; %s=%q", proxyName, proxyDisplay(proxy), orName(noName, "NO_PROXY"), noProxy),
			})
		}
	}
	return out, nil
}

// contioBaseURLs are the configured base URLs, Contio's defaults standing
// in for unset ones: requests go somewhere either way.
func contioBaseURLs(ig *integration.Integration) []integration.Secret {
	api, auth := ig.APIURL, ig.AuthURL
	if api.Raw == "" {
		api = integration.Value{Raw: contio.DefaultAPI}
	}
	if auth.Raw == "" {
		auth = integration.Value{Raw: contio.DefaultAuth}
	}
	return []integration.Secret{{Name: "api_url", Value: api}, {Name: "auth_url", Value: auth}}
}

// noProxyMatches applies NO_PROXY as Go's net/http does (x/net/http/httpproxy):
// "*" matches everything; "example.com" matches it and its subdomains;
// ".example.com" and "*.example.com" only subdomains; "host:port" only
// that port; IPs and CIDRs match IP hosts. It returns the matching entry.
func noProxyMatches(noProxy, host, port string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	ip, ipErr := netip.ParseAddr(host)
	for _, entry := range strings.Split(noProxy, ",") {
		e := strings.ToLower(strings.TrimSpace(entry))
		if e == "" {
			continue
		}
		if e == "*" {
			return entry
		}
		if pfx, err := netip.ParsePrefix(e); err == nil {
			if ipErr == nil && pfx.Contains(ip) {
				return entry
			}
			continue
		}
		ehost, eport := e, ""
		if i := strings.LastIndexByte(e, ':'); i >= 0 && !strings.Contains(e[i:], "]") {
			ehost, eport = e[:i], e[i+1:]
		}
		ehost = strings.TrimSuffix(strings.TrimPrefix(ehost, "["), "]")
		if eip, err := netip.ParseAddr(ehost); err == nil {
			if ipErr == nil && eip == ip && (eport == "" || eport == port) {
				return entry
			}
			continue
		}
		ehost = strings.TrimPrefix(ehost, "*")
		exact := !strings.HasPrefix(ehost, ".")
		if exact {
			ehost = "." + ehost
		}
		if (strings.HasSuffix(host, ehost) || (exact && host == ehost[1:])) && (eport == "" || eport == port) {
			return entry
		}
	}
	return ""
}

// proxyDisplay shows a proxy URL with any password masked.
func proxyDisplay(proxy string) string {
	p := uri.Split(proxy)
	if p.UserInfo == "" {
		return proxy
	}
	user, _, hasPass := strings.Cut(p.UserInfo, ":")
	masked := user
	if hasPass {
		masked += ":***"
	}
	return strings.Replace(proxy, p.UserInfo+"@", masked+"@", 1)
}

func orName(name, fallback string) string {
	if name != "" {
		return name
	}
	return fallback
}
