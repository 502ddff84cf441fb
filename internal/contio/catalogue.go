package contio

import (
	"slices"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/textdist"
)

// Spellings of a path when the SDK (@contio/partner-sdk 1.9.0) and the
// OpenAPI spec (1.9.1) disagree; see Endpoint.Spelling.
const (
	SpellingSDK  = "sdk"  // only the SDK uses this path or method
	SpellingSpec = "spec" // only the spec documents this path or method
	// SpellingOIDC marks the standard OpenID Connect spelling of a path the
	// spec writes differently (discovery with a hyphen).
	SpellingOIDC = "oidc"
)

// Endpoints is the catalogue: every operation the SDK calls or the spec
// documents, in one table the checks, the probes and the sandbox share.
// Rows where SDK and spec disagree appear once per spelling, each naming
// the other in AltPath.
func init() { Endpoints = catalogue() }

func catalogue() []Endpoint {
	eps := make([]Endpoint, 0, 160) // room for the whole table: no regrowth at start
	add := func(e Endpoint) { eps = append(eps, e) }

	// --- OAuth and passwordless endpoints on the auth host (they also answer on the API host).
	oauth := func(method, path string, auth Auth, safe bool, summary string) {
		// Every OAuth POST but introspection and the consent check mints, revokes or sends something.
		write := method == "POST" && path != "/oauth2/introspect" && path != "/oauth2/check-consent"
		add(Endpoint{Method: method, Path: path, Class: ClassOAuth, Auth: auth, Host: HostAuth,
			Write: write, SafeProbe: safe, Summary: summary})
	}
	oauth("GET", "/oauth2/authorize", AuthNone, true, "browser authorization step; answers with a redirect")
	oauth("POST", "/oauth2/authorize", AuthNone, false, "completes consent and issues an authorization code")
	// The token endpoint mints tokens: a probe may only send it a random code, which it decides itself.
	oauth("POST", "/oauth2/token", AuthBasic, false, "exchanges a code or refresh token, or runs client credentials")
	oauth("POST", "/oauth2/introspect", AuthBasic, true, "reports whether a token is active and what it grants")
	oauth("POST", "/oauth2/revoke", AuthBasic, false, "revokes an access or refresh token")
	oauth("POST", "/oauth2/check-consent", AuthBasic, false, "asks whether a user already consented to the scopes")
	oauth("GET", "/oauth2/scopes", AuthBasic, true, "lists the scopes the server knows")
	oauth("GET", "/oauth2/userInfo", AuthBearer, true, "OpenID Connect claims of the token's user")
	oauth("GET", "/oauth2/health", AuthNone, true, "health of the OAuth service and its identity backend")
	oauth("POST", "/auth/initiate", AuthBasic, false, "starts passwordless sign-in: e-mails a one-time code, may create the user")
	oauth("POST", "/auth/verify", AuthBasic, false, "completes passwordless sign-in with the one-time code")

	// --- Discovery, keys and public partner information: no credentials.
	public := func(path string, host Host, safe bool, summary string) Endpoint {
		return Endpoint{Method: "GET", Path: path, Class: ClassPublic, Auth: AuthNone, Host: host,
			SafeProbe: safe, Summary: summary}
	}
	disc := public("/.well-known/openid_configuration", HostAuth, true, "OpenID Connect discovery document (the spec's underscore spelling)")
	disc.Spelling, disc.AltPath = SpellingSpec, "/.well-known/openid-configuration"
	add(disc)
	std := public("/.well-known/openid-configuration", HostAuth, true, "OpenID Connect discovery document (the standard hyphen spelling)")
	std.Spelling, std.AltPath = SpellingOIDC, "/.well-known/openid_configuration"
	add(std)
	add(public("/.well-known/jwks.json", HostAuth, true, "public keys that sign ID tokens"))
	add(public(PublicPrefix+"/{client_id}/public", HostAuth, true, "public name and branding of a partner app; tells whether a client ID exists"))
	add(public("/v1/partner/sso/info/{slug}", HostAPI, false, "public SSO settings of a partner"))
	add(public("/v1/partner/sso/initiate", HostAPI, false, "starts a partner SSO flow (creates a session)"))
	add(public("/v1/partner/sso/session/{session_id}", HostAPI, false, "status of a partner SSO session"))
	add(public("/v1/partner/sso/callback", HostAPI, false, "identity-provider callback of partner SSO; answers with a redirect"))

	// --- User API: Bearer access token, one scope per operation.
	user := func(method, path, scope string, safe bool, summary string) *Endpoint {
		eps = append(eps, Endpoint{Method: method, Path: UserPrefix + path, Class: ClassUser, Auth: AuthBearer,
			Host: HostAPI, Scope: scope, Write: method != "GET", SafeProbe: safe && method == "GET", Summary: summary})
		return &eps[len(eps)-1]
	}
	user("GET", "/profile", "profile", true, "the signed-in user's profile")
	user("GET", "/meetings", "meetings:read", true, "list meetings")
	user("POST", "/meetings", "meetings:write", false, "create a meeting")
	user("GET", "/meetings/{id}", "meetings:read", true, "get one meeting")
	user("PATCH", "/meetings/{id}", "meetings:write", false, "update a meeting")
	user("GET", "/meetings/{id}/participants", "meetings:read", true, "list a meeting's participants")
	user("POST", "/meetings/{id}/participants", "meetings:write", false, "add a participant")
	user("DELETE", "/meetings/{id}/participants/{participantId}", "meetings:write", false, "remove a participant")
	user("GET", "/meetings/{id}/agenda-items", "meetings:read", true, "list agenda items")
	user("POST", "/meetings/{id}/agenda-items", "meetings:write", false, "create an agenda item")
	user("PUT", "/meetings/{id}/agenda-items/{itemId}", "meetings:write", false, "update an agenda item")
	user("DELETE", "/meetings/{id}/agenda-items/{itemId}", "meetings:write", false, "delete an agenda item")
	user("GET", "/meetings/{id}/next-steps", "meetings:read", true, "list a meeting's next steps")
	user("POST", "/meetings/{id}/next-steps/{nextStepId}/execute", "meetings:write", false, "run a next step (starts AI work)")
	user("GET", "/next-step-results/{resultId}", "meetings:read", true, "get the result of a next step")
	user("GET", "/meetings/{id}/action-buttons", "meetings:read", true, "list a meeting's action buttons")
	user("POST", "/meetings/{id}/action-buttons/{buttonId}/trigger", "meetings:write", false, "trigger an action button (may send e-mail or webhooks)")
	user("GET", "/meetings/{id}/transcript/export", "meetings:read", false, "download a transcript (heavy, plan-gated)")
	user("GET", "/action-items", "action-items:read", true, "list action items")
	user("POST", "/action-items", "action-items:write", false, "create an action item")
	user("GET", "/action-items/{id}", "action-items:read", true, "get one action item")
	user("PUT", "/action-items/{id}", "action-items:write", false, "update an action item")
	user("DELETE", "/action-items/{id}", "action-items:write", false, "delete an action item")
	user("GET", "/calendar/events", "calendar:read", true, "list calendar events (send a date range)")
	user("GET", "/calendar/events/{calendarEventId}", "calendar:read", true, "get one calendar event")
	user("POST", "/calendar/events/{calendarEventId}/meeting", "calendar:write", false, "create a meeting from a calendar event")
	user("POST", "/meetings/{id}/calendar/link", "calendar:write", false, "link a calendar event to a meeting")
	user("DELETE", "/meetings/{id}/calendar/unlink", "calendar:write", false, "unlink a meeting's calendar event").Spelling = SpellingSpec
	user("GET", "/meetings/{id}/context", "context:read", true, "list a meeting's context documents")
	user("POST", "/meetings/{id}/context", "context:write", false, "upload a context document (multipart)")
	user("GET", "/meetings/{id}/context/{docId}", "context:read", true, "get one context document")
	user("DELETE", "/meetings/{id}/context/{docId}", "context:write", false, "delete a context document")
	user("GET", "/meetings/{id}/context/{docId}/content", "context:read", false, "download a context document's content (heavy)")
	user("GET", "/sessions", "chat:read", true, "list chat sessions")
	user("POST", "/sessions", "chat:write", false, "create a chat session")
	user("GET", "/sessions/{id}", "chat:read", true, "get a chat session and its turns")
	user("PUT", "/sessions/{id}", "chat:write", false, "send a chat message (a PUT on the session)")
	user("GET", "/sessions/{id}/turns/{turnId}", "chat:read", true, "get one chat turn")
	user("GET", "/toolkits", "toolkits:read", true, "list available toolkits")
	// The spec does not document this one; the scope is the read scope of its siblings.
	user("GET", "/toolkits/{toolkitId}", "toolkits:read", true, "get one toolkit").Spelling = SpellingSDK
	user("POST", "/toolkits/{toolkitId}/install", "toolkits:write", false, "install a toolkit")
	un := user("DELETE", "/toolkits/{toolkitId}/uninstall", "toolkits:write", false, "uninstall a toolkit (the SDK's path)")
	un.Spelling, un.AltPath = SpellingSDK, UserPrefix+"/workspaces/{workspace_id}/toolkits/{toolkit_id}"
	un = user("DELETE", "/workspaces/{workspace_id}/toolkits/{toolkit_id}", "toolkits:write", false, "uninstall a toolkit (the spec's path)")
	un.Spelling, un.AltPath = SpellingSpec, UserPrefix+"/toolkits/{toolkitId}/uninstall"
	user("GET", "/workspaces/{workspace_id}/toolkits", "toolkits:read", false, "list toolkits installed in a workspace").Spelling = SpellingSpec
	user("GET", "/meeting-templates", "meetings:read", true, "list meeting templates")
	user("GET", "/meeting-templates/{id}", "meetings:read", true, "get one meeting template")
	user("GET", "/meeting-templates/{id}/next-steps", "meetings:read", false, "list a template's next steps").Spelling = SpellingSpec
	user("POST", "/meeting-templates/{id}/apply", "meetings:write", false, "apply a template to a meeting").Spelling = SpellingSpec
	user("GET", "/workflow-runs", "workflows:read", true, "list workflow runs")
	user("POST", "/workflow-runs", "workflows:write", false, "start a workflow run")
	user("GET", "/workflow-runs/{id}", "workflows:read", true, "get one workflow run")

	// --- Admin API: X-API-Key plus X-Client-ID, no scopes.
	admin := func(method, path string, safe bool, summary string) *Endpoint {
		eps = append(eps, Endpoint{Method: method, Path: AdminPrefix + path, Class: ClassAdmin, Auth: AuthAPIKey,
			Host: HostAPI, Write: method != "GET", SafeProbe: safe && method == "GET", Summary: summary})
		return &eps[len(eps)-1]
	}
	drift := func(e *Endpoint, spelling, alt string) {
		e.Spelling, e.AltPath = spelling, AdminPrefix+alt
	}
	admin("GET", "/app", true, "the partner app: client ID, webhook URL and filter, status")
	admin("PUT", "/app", false, "update the partner app")
	admin("PUT", "/app/status", false, "activate, suspend or deactivate the app")
	admin("GET", "/webhook-deliveries", true, "list webhook deliveries and their outcome")
	admin("GET", "/webhook-deliveries/{deliveryId}", true, "get one webhook delivery")
	admin("POST", "/webhook-deliveries/{deliveryId}/retry", false, "redeliver a webhook")
	drift(admin("PUT", "/app/webhook-status", false, "turn webhook delivery on or off (the SDK's path)"), SpellingSDK, "/webhook-status")
	drift(admin("PUT", "/webhook-status", false, "turn webhook delivery on or off (the spec's path)"), SpellingSpec, "/app/webhook-status")
	drift(admin("PUT", "/app/webhook-filter", false, "set the webhook event filter (the SDK's path)"), SpellingSDK, "/webhook-filter")
	drift(admin("PUT", "/webhook-filter", false, "set the webhook event filter (the spec's path)"), SpellingSpec, "/app/webhook-filter")
	drift(admin("DELETE", "/app/webhook-filter", false, "remove the webhook event filter (the SDK's path)"), SpellingSDK, "/webhook-filter")
	drift(admin("DELETE", "/webhook-filter", false, "remove the webhook event filter (the spec's path)"), SpellingSpec, "/app/webhook-filter")
	for _, a := range []struct{ method, sdk, spec, summary string }{
		{"GET", "/automations", "/automation", "list automations"},
		{"POST", "/automations", "/automation", "create an automation"},
		{"GET", "/automations/{automationId}", "/automation/{automationId}", "get one automation"},
		{"PUT", "/automations/{automationId}", "/automation/{automationId}", "update an automation"},
		{"DELETE", "/automations/{automationId}", "/automation/{automationId}", "delete an automation"},
	} {
		drift(admin(a.method, a.sdk, true, a.summary+" (the SDK's plural path)"), SpellingSDK, a.spec)
		drift(admin(a.method, a.spec, false, a.summary+" (the spec's singular path)"), SpellingSpec, a.sdk)
	}
	admin("GET", "/connections", true, "list users' connections to the app and their scopes")
	admin("GET", "/connections/{connectionId}", true, "get one user connection")
	admin("DELETE", "/connections/{connectionId}", false, "revoke a user's connection")
	admin("GET", "/credentials", true, "age and rotation advice for the app's credentials (may be audited)")
	admin("GET", "/credentials/history", true, "audit history of credential changes")
	admin("POST", "/credentials/api-key/rotate", false, "rotate the API key")
	admin("POST", "/credentials/webhook-secret/rotate", false, "rotate the webhook signing secret")
	admin("POST", "/credentials/client-secret/rotate", false, "rotate the client secret")
	admin("POST", "/credentials/api-key/rollback", false, "roll the API key back during its grace period")
	admin("POST", "/credentials/client-secret/rollback", false, "roll the client secret back during its grace period")
	admin("GET", "/idp", true, "the app's identity-provider configuration (404 when none)")
	admin("POST", "/idp", false, "create the identity-provider configuration")
	admin("PUT", "/idp", false, "update the identity-provider configuration")
	admin("DELETE", "/idp", false, "delete the identity-provider configuration")
	admin("GET", "/idp/domains/{domain}", true, "verification status of an SSO domain")
	admin("POST", "/idp/domains/{domain}/verify", false, "issue a new DNS challenge (replaces one in progress)")
	admin("POST", "/idp/domains/{domain}/check", false, "look up the DNS challenge and mark the domain verified")
	admin("GET", "/toolkits", true, "list the app's toolkits")
	admin("POST", "/toolkits", false, "create a toolkit")
	admin("POST", "/toolkits/export", false, "build a manifest from chosen entities (a POST: treated as a write)")
	admin("GET", "/toolkits/{toolkitId}", true, "get one toolkit")
	tk := admin("PUT", "/toolkits/{toolkitId}", false, "update a toolkit (the SDK sends PUT)")
	tk.Spelling, tk.AltPath = SpellingSDK, tk.Path
	tk = admin("PATCH", "/toolkits/{toolkitId}", false, "update a toolkit (the spec documents PATCH)")
	tk.Spelling, tk.AltPath = SpellingSpec, tk.Path
	admin("DELETE", "/toolkits/{toolkitId}", false, "delete a toolkit")
	admin("GET", "/toolkits/{toolkitId}/export", false, "export a toolkit as a manifest (heavy)")
	admin("GET", "/toolkits/{toolkitId}/installations", true, "list a toolkit's installations")
	admin("GET", "/toolkits/{toolkitId}/versions", true, "list a toolkit's versions")
	admin("POST", "/toolkits/{toolkitId}/versions", false, "create a toolkit version")
	admin("GET", "/toolkits/{toolkitId}/versions/{versionId}", true, "get one toolkit version")
	admin("PATCH", "/toolkits/{toolkitId}/versions/{versionId}", false, "update a draft toolkit version")
	admin("DELETE", "/toolkits/{toolkitId}/versions/{versionId}", false, "discard a draft toolkit version")
	admin("POST", "/toolkits/{toolkitId}/versions/{versionId}/publish", false, "publish a toolkit version")
	admin("POST", "/toolkits/{toolkitId}/versions/{versionId}/republish", false, "republish a toolkit version")
	admin("GET", "/workspaces", true, "list workspaces (not in the spec)").Spelling = SpellingSDK
	admin("GET", "/templates", true, "list templates")
	admin("POST", "/templates", false, "create a template")
	admin("GET", "/templates/{templateId}", true, "get one template")
	admin("PUT", "/templates/{templateId}", false, "update a template")
	admin("DELETE", "/templates/{templateId}", false, "delete a template")
	admin("GET", "/templates/{templateId}/next-steps", true, "list a template's next steps")
	admin("POST", "/templates/{templateId}/next-steps", false, "add a next step to a template")
	admin("PUT", "/templates/{templateId}/next-steps/{nextStepId}", false, "update a template's next step")
	admin("DELETE", "/templates/{templateId}/next-steps/{nextStepId}", false, "remove a next step from a template")
	admin("GET", "/workflow-templates", true, "list workflow templates")
	admin("GET", "/workflow-templates/{id}", true, "get one workflow template")
	return eps
}

// IsClientAuthenticated reports whether ep authenticates the client itself
// with HTTP Basic (client_id:client_secret): the token, introspect, revoke,
// check-consent, scopes and passwordless endpoints. Only these take Basic.
func IsClientAuthenticated(ep *Endpoint) bool {
	return ep != nil && ep.Auth == AuthBasic
}

// ScopeFor returns the scope the user endpoint at method and path
// requires, or "" when the operation is unknown or needs none.
func ScopeFor(method, path string) string {
	ep, _ := Lookup(method, path)
	if ep == nil {
		return ""
	}
	return ep.Scope
}

// Template returns the catalogue template a concrete path matches
// (literal segments preferred), or "" when no endpoint serves it.
func Template(path string) string {
	var buf [16]int
	best, bestLit := "", -1
	for _, i := range matchIndices(path, buf[:0]) {
		if lit := literalSegments(Endpoints[i].Path); lit > bestLit {
			best, bestLit = Endpoints[i].Path, lit
		}
	}
	return best
}

// AllowedMethods lists, sorted, the methods the catalogue serves at path.
func AllowedMethods(path string) []string {
	var buf [16]int
	var out []string
	for _, i := range matchIndices(path, buf[:0]) {
		out = appendUnique(out, Endpoints[i].Method)
	}
	slices.Sort(out)
	return out
}

// Alternate returns the other spelling of a drifted endpoint: the endpoint
// at AltPath with the same method, or, when only the method drifted (PUT vs
// PATCH on the same path), the endpoint at the same path with the other
// method. It returns nil when ep has no other spelling.
func Alternate(ep *Endpoint) *Endpoint {
	if ep == nil || ep.AltPath == "" {
		return nil
	}
	for i := range Endpoints {
		e := &Endpoints[i]
		if e == ep || e.Path != ep.AltPath || e.AltPath != ep.Path || e.Spelling == ep.Spelling {
			continue
		}
		if e.Path == ep.Path || e.Method == ep.Method {
			return e
		}
	}
	return nil
}

// NearestPath returns the catalogue template closest to path, for "did you
// mean" suggestions, and its distance: the number of character edits,
// where a {param} segment of a template matches any one concrete segment
// for free (so IDs in path cost nothing) and a missing or extra segment
// costs its length plus one. The query string and a trailing slash are
// ignored. It returns "" and -1 for an empty catalogue.
func NearestPath(path string) (string, int) {
	path, _, _ = strings.Cut(path, "?")
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	ps := splitPath(path)
	best, bestD, bestLit := "", -1, -1
	seen := map[string]bool{}
	for i := range Endpoints {
		t := Endpoints[i].Path
		if seen[t] {
			continue
		}
		seen[t] = true
		d := segmentDistance(splitPath(t), ps)
		lit := literalSegments(t)
		if bestD < 0 || d < bestD || (d == bestD && lit > bestLit) {
			best, bestD, bestLit = t, d, lit
		}
	}
	return best, bestD
}

func splitPath(p string) []string {
	return strings.Split(strings.TrimPrefix(p, "/"), "/")
}

func isParam(seg string) bool {
	return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}")
}

// segmentDistance is a Levenshtein distance over path segments whose
// substitution cost is the character distance between two segments.
func segmentDistance(tmpl, path []string) int {
	cost := func(t, p string) int {
		if isParam(t) {
			if p == "" {
				return 1
			}
			return 0
		}
		return textdist.Distance(t, p)
	}
	prev := make([]int, len(path)+1)
	cur := make([]int, len(path)+1)
	for j := 1; j <= len(path); j++ {
		prev[j] = prev[j-1] + len(path[j-1]) + 1
	}
	for i := 1; i <= len(tmpl); i++ {
		del := len(tmpl[i-1]) + 1
		if isParam(tmpl[i-1]) {
			del = 2 // a missing ID is one short segment
		}
		cur[0] = prev[0] + del
		for j := 1; j <= len(path); j++ {
			cur[j] = min(prev[j]+del, cur[j-1]+len(path[j-1])+1, prev[j-1]+cost(tmpl[i-1], path[j-1]))
		}
		prev, cur = cur, prev
	}
	return prev[len(path)]
}

// SafeProbes lists the endpoints a live run may call (S1), in catalogue
// order: discovery, keys, health, public info, then client, user and admin reads.
func SafeProbes() []Endpoint {
	var out []Endpoint
	for _, e := range Endpoints {
		if e.SafeProbe {
			out = append(out, e)
		}
	}
	return out
}
