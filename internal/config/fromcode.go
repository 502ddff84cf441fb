package config

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// FromCode writes a config describing what the scanned code really does:
// its calls (SDK methods resolved through the catalogue, hand-written
// requests as written), the scopes the SDK will request, the redirect URI,
// the retry behaviour and the webhook route, each with a comment naming the
// file and line it came from. Paths in comments are relative to base.
// Secrets are never written: they stay ${CONTIO_*} references.
func FromCode(code *integration.Code, base string) string {
	rel := func(s integration.Source) string {
		f := s.File
		if r, err := filepath.Rel(base, f); err == nil && !strings.HasPrefix(r, "..") {
			f = filepath.ToSlash(r)
		}
		return fmt.Sprintf("%s:%d", f, s.Line)
	}
	var b strings.Builder
	b.WriteString("# contio-doctor configuration written by `contio-doctor init --from` from the code\n")
	b.WriteString("# it read. Each value names the file:line it came from: review them, add what\n")
	b.WriteString("# code cannot show (registered redirect URIs, the webhook host), then run\n# contio-doctor.\nversion: 1\n\n")

	b.WriteString("oauth:\n  client_id: ${CONTIO_CLIENT_ID}\n  client_secret: ${CONTIO_CLIENT_SECRET}\n")
	if uris := code.RedirectURIs(); len(uris) > 0 {
		fmt.Fprintf(&b, "  redirect_uri: %s   # %s\n", yamlScalar(uris[0].Raw), rel(uris[0].From))
	}
	b.WriteString("  # registered_redirect_uris: copy them from the Partner Dashboard, exactly as registered\n")
	scopes, note := codeScopes(code, rel)
	fmt.Fprintf(&b, "  scopes: [%s]   # %s\n", strings.Join(scopes, ", "), note)

	admin, adminClientID := adminClients(code)
	if admin {
		b.WriteString("\nadmin:\n  api_key: ${CONTIO_API_KEY}\n  client_id: ${CONTIO_CLIENT_ID}\n")
	}

	calls := codeCalls(code, adminClientID, rel)
	if len(calls) > 0 {
		b.WriteString("\ncalls:\n")
		for _, c := range calls {
			fmt.Fprintf(&b, "  - name: %s   # %s\n", yamlScalar(c.name), strings.Join(c.from, ", "))
			if c.method != "" {
				fmt.Fprintf(&b, "    method: %s\n", c.method)
			}
			fmt.Fprintf(&b, "    path: %s\n    auth: %s\n", yamlScalar(c.path), c.auth)
			if len(c.headers) > 0 {
				fmt.Fprintf(&b, "    headers: [%s]\n", strings.Join(c.headers, ", "))
			}
		}
	}

	var httpLines []string
	for _, c := range code.SDKCalls {
		if c.Method == "exchangeCodeForToken" && c.InRetry {
			httpLines = append(httpLines, fmt.Sprintf("  retries_code_exchange: true   # %s retries exchangeCodeForToken", rel(c.At)))
			break
		}
	}
	for _, h := range code.RateHandlers {
		if h.Retries || h.Waits {
			httpLines = append(httpLines, fmt.Sprintf("  max_retries: 1   # %s retries on 429 at least once; set the real count", rel(h.At)))
			break
		}
	}
	for _, h := range code.RateHandlers {
		if h.Retries && !h.Waits {
			httpLines = append(httpLines, fmt.Sprintf("  backoff: none   # %s retries a 429 without waiting", rel(h.At)))
			break
		}
	}
	for _, h := range code.RateHandlers {
		if h.Waits && !h.ReadsRetryAfter {
			httpLines = append(httpLines, fmt.Sprintf("  honors_retry_after: false   # %s waits without reading Retry-After", rel(h.At)))
			break
		}
	}
	if len(httpLines) > 0 {
		b.WriteString("\nhttp:\n" + strings.Join(httpLines, "\n") + "\n")
	}

	if len(code.Webhooks) > 0 {
		w := code.Webhooks[0]
		b.WriteString("\nwebhooks:\n")
		fmt.Fprintf(&b, "  # url: https://<your public host>%s   # route %s %s at %s\n", w.Path, w.Method, w.Path, rel(w.At))
		b.WriteString("  secret: ${CONTIO_WEBHOOK_SECRET}\n")
	}
	return b.String()
}

// codeScopes is what the SDK will request: the `scope` option's list, or
// its defaults when the code sets none (or only the ignored `scopes`).
func codeScopes(code *integration.Code, rel func(integration.Source) string) ([]string, string) {
	for _, o := range code.SDKOptions {
		if l := o.Lists["scope"]; len(l) > 0 {
			return l, "the scope option at " + rel(o.Keys["scope"])
		}
	}
	for _, o := range code.SDKOptions {
		if at, ok := o.Keys["scopes"]; ok {
			return contio.SDKDefaultScopes, "the SDK's defaults: " + rel(at) + " passes `scopes:`, which SDK 1.9.0 ignores"
		}
	}
	return contio.SDKDefaultScopes, "the SDK's defaults (the code sets no scope option)"
}

// adminClients reports whether the code makes admin calls and whether its
// admin SDK clients carry a client ID.
func adminClients(code *integration.Code) (admin, clientID bool) {
	clientID = true
	for _, o := range code.SDKOptions {
		if o.Callee != "forAdmin" && o.Callee != "new ApiKeyClient" {
			if _, key := o.Keys["apiKey"]; !key || o.Callee != "new ContioPartnerSDK" {
				continue
			}
		}
		admin = true
		if _, ok := o.Keys["clientId"]; !ok && !o.Spread {
			clientID = false
		}
	}
	for _, c := range code.Calls {
		if contio.ClassOf(c.Path) == contio.ClassAdmin {
			admin = true
		}
	}
	return admin, clientID
}

type codeCall struct {
	name, method, path, auth string
	headers                  []string
	from                     []string
}

func codeCalls(code *integration.Code, adminClientID bool, rel func(integration.Source) string) []*codeCall {
	var out []*codeCall
	add := func(c codeCall, at integration.Source) {
		for _, o := range out {
			if o.method == c.method && o.path == c.path && o.auth == c.auth && slices.Equal(o.headers, c.headers) {
				o.from = append(o.from, rel(at))
				return
			}
		}
		c.from = []string{rel(at)}
		out = append(out, &c)
	}
	for _, s := range code.SDKCalls {
		client := "user"
		if strings.Contains(strings.ToLower(s.Receiver), "admin") {
			client = "admin"
		}
		m, ok := contio.LookupSDKMethod(s.Method, client)
		if !ok {
			continue
		}
		c := codeCall{name: s.Method + " (SDK)", method: m.Method, path: m.Path}
		switch m.Client {
		case "admin":
			c.auth = integration.AuthAPIKey
			if adminClientID {
				c.headers = []string{"X-Client-ID"}
			}
		case "oauth":
			c.auth = integration.AuthBasic
			if ep, _ := contio.Lookup(m.Method, m.Path); ep != nil {
				c.auth = string(ep.Auth)
			}
		default:
			c.auth = integration.AuthBearer
		}
		add(c, s.At)
	}
	for _, k := range code.Calls {
		c := codeCall{name: fmt.Sprintf("%s %s (%s)", k.Method, k.Path, k.Lib), method: k.Method, path: k.Path, auth: k.Auth()}
		if c.auth == "" {
			// The Authorization value is computed elsewhere: assume the
			// scheme the endpoint expects, and say so.
			c.auth = integration.AuthNone
			if ep, _ := contio.Lookup(k.Method, k.Path); ep != nil {
				c.auth = string(ep.Auth)
			}
			c.name += ", Authorization computed elsewhere"
		}
		for _, h := range k.Headers {
			if strings.HasPrefix(strings.ToLower(h.Name), "x-") && !strings.EqualFold(h.Name, "X-API-Key") {
				c.headers = append(c.headers, h.Name)
			}
		}
		add(c, k.At)
	}
	return out
}

// yamlScalar quotes s when YAML would read it as something else.
func yamlScalar(s string) string {
	if s == "" || strings.ContainsAny(s, ":#{}[],&*!|>'\"%@`") || strings.TrimSpace(s) != s {
		return fmt.Sprintf("%q", s)
	}
	return s
}
