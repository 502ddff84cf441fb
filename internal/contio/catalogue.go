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
//
// It is a composite literal of constants, which the compiler lays out as
// data: the table costs nothing at process start.
var Endpoints = []Endpoint{
	// --- OAuth and passwordless endpoints on the auth host (they also answer on the API host).
	// Every OAuth POST but introspection and the consent check mints, revokes or sends something (Write).
	{Method: "GET", Path: "/oauth2/authorize", Class: ClassOAuth, Auth: AuthNone, Host: HostAuth, SafeProbe: true,
		Summary: "browser authorization step; answers with a redirect"},
	{Method: "POST", Path: "/oauth2/authorize", Class: ClassOAuth, Auth: AuthNone, Host: HostAuth, Write: true,
		Summary: "completes consent and issues an authorization code"},
	// The token endpoint mints tokens: a probe may only send it a random code, which it decides itself.
	{Method: "POST", Path: "/oauth2/token", Class: ClassOAuth, Auth: AuthBasic, Host: HostAuth, Write: true,
		Summary: "exchanges a code or refresh token, or runs client credentials"},
	{Method: "POST", Path: "/oauth2/introspect", Class: ClassOAuth, Auth: AuthBasic, Host: HostAuth, SafeProbe: true,
		Summary: "reports whether a token is active and what it grants"},
	{Method: "POST", Path: "/oauth2/revoke", Class: ClassOAuth, Auth: AuthBasic, Host: HostAuth, Write: true,
		Summary: "revokes an access or refresh token"},
	{Method: "POST", Path: "/oauth2/check-consent", Class: ClassOAuth, Auth: AuthBasic, Host: HostAuth,
		Summary: "asks whether a user already consented to the scopes"},
	{Method: "GET", Path: "/oauth2/scopes", Class: ClassOAuth, Auth: AuthBasic, Host: HostAuth, SafeProbe: true,
		Summary: "lists the scopes the server knows"},
	{Method: "GET", Path: "/oauth2/userInfo", Class: ClassOAuth, Auth: AuthBearer, Host: HostAuth, SafeProbe: true,
		Summary: "OpenID Connect claims of the token's user"},
	{Method: "GET", Path: "/oauth2/health", Class: ClassOAuth, Auth: AuthNone, Host: HostAuth, SafeProbe: true,
		Summary: "health of the OAuth service and its identity backend"},
	{Method: "POST", Path: "/auth/initiate", Class: ClassOAuth, Auth: AuthBasic, Host: HostAuth, Write: true,
		Summary: "starts passwordless sign-in: e-mails a one-time code, may create the user"},
	{Method: "POST", Path: "/auth/verify", Class: ClassOAuth, Auth: AuthBasic, Host: HostAuth, Write: true,
		Summary: "completes passwordless sign-in with the one-time code"},

	// --- Discovery, keys and public partner information: no credentials.
	{Method: "GET", Path: "/.well-known/openid_configuration", Class: ClassPublic, Auth: AuthNone, Host: HostAuth, Spelling: SpellingSpec, AltPath: "/.well-known/openid-configuration", SafeProbe: true,
		Summary: "OpenID Connect discovery document (the spec's underscore spelling)"},
	{Method: "GET", Path: "/.well-known/openid-configuration", Class: ClassPublic, Auth: AuthNone, Host: HostAuth, Spelling: SpellingOIDC, AltPath: "/.well-known/openid_configuration", SafeProbe: true,
		Summary: "OpenID Connect discovery document (the standard hyphen spelling)"},
	{Method: "GET", Path: "/.well-known/jwks.json", Class: ClassPublic, Auth: AuthNone, Host: HostAuth, SafeProbe: true,
		Summary: "public keys that sign ID tokens"},
	{Method: "GET", Path: PublicPrefix + "/{client_id}/public", Class: ClassPublic, Auth: AuthNone, Host: HostAuth, SafeProbe: true,
		Summary: "public name and branding of a partner app; tells whether a client ID exists"},
	{Method: "GET", Path: "/v1/partner/sso/info/{slug}", Class: ClassPublic, Auth: AuthNone, Host: HostAPI,
		Summary: "public SSO settings of a partner"},
	{Method: "GET", Path: "/v1/partner/sso/initiate", Class: ClassPublic, Auth: AuthNone, Host: HostAPI,
		Summary: "starts a partner SSO flow (creates a session)"},
	{Method: "GET", Path: "/v1/partner/sso/session/{session_id}", Class: ClassPublic, Auth: AuthNone, Host: HostAPI,
		Summary: "status of a partner SSO session"},
	{Method: "GET", Path: "/v1/partner/sso/callback", Class: ClassPublic, Auth: AuthNone, Host: HostAPI,
		Summary: "identity-provider callback of partner SSO; answers with a redirect"},

	// --- User API: Bearer access token, one scope per operation; every method but GET writes,
	// and only a GET may be a safe probe.
	{Method: "GET", Path: UserPrefix + "/profile", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "profile", SafeProbe: true,
		Summary: "the signed-in user's profile"},
	{Method: "GET", Path: UserPrefix + "/meetings", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:read", SafeProbe: true,
		Summary: "list meetings"},
	{Method: "POST", Path: UserPrefix + "/meetings", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:write", Write: true,
		Summary: "create a meeting"},
	{Method: "GET", Path: UserPrefix + "/meetings/{id}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:read", SafeProbe: true,
		Summary: "get one meeting"},
	{Method: "PATCH", Path: UserPrefix + "/meetings/{id}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:write", Write: true,
		Summary: "update a meeting"},
	{Method: "GET", Path: UserPrefix + "/meetings/{id}/participants", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:read", SafeProbe: true,
		Summary: "list a meeting's participants"},
	{Method: "POST", Path: UserPrefix + "/meetings/{id}/participants", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:write", Write: true,
		Summary: "add a participant"},
	{Method: "DELETE", Path: UserPrefix + "/meetings/{id}/participants/{participantId}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:write", Write: true,
		Summary: "remove a participant"},
	{Method: "GET", Path: UserPrefix + "/meetings/{id}/agenda-items", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:read", SafeProbe: true,
		Summary: "list agenda items"},
	{Method: "POST", Path: UserPrefix + "/meetings/{id}/agenda-items", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:write", Write: true,
		Summary: "create an agenda item"},
	{Method: "PUT", Path: UserPrefix + "/meetings/{id}/agenda-items/{itemId}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:write", Write: true,
		Summary: "update an agenda item"},
	{Method: "DELETE", Path: UserPrefix + "/meetings/{id}/agenda-items/{itemId}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:write", Write: true,
		Summary: "delete an agenda item"},
	{Method: "GET", Path: UserPrefix + "/meetings/{id}/next-steps", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:read", SafeProbe: true,
		Summary: "list a meeting's next steps"},
	{Method: "POST", Path: UserPrefix + "/meetings/{id}/next-steps/{nextStepId}/execute", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:write", Write: true,
		Summary: "run a next step (starts AI work)"},
	{Method: "GET", Path: UserPrefix + "/next-step-results/{resultId}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:read", SafeProbe: true,
		Summary: "get the result of a next step"},
	{Method: "GET", Path: UserPrefix + "/meetings/{id}/action-buttons", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:read", SafeProbe: true,
		Summary: "list a meeting's action buttons"},
	{Method: "POST", Path: UserPrefix + "/meetings/{id}/action-buttons/{buttonId}/trigger", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:write", Write: true,
		Summary: "trigger an action button (may send e-mail or webhooks)"},
	{Method: "GET", Path: UserPrefix + "/meetings/{id}/transcript/export", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:read",
		Summary: "download a transcript (heavy, plan-gated)"},
	{Method: "GET", Path: UserPrefix + "/action-items", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "action-items:read", SafeProbe: true,
		Summary: "list action items"},
	{Method: "POST", Path: UserPrefix + "/action-items", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "action-items:write", Write: true,
		Summary: "create an action item"},
	{Method: "GET", Path: UserPrefix + "/action-items/{id}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "action-items:read", SafeProbe: true,
		Summary: "get one action item"},
	{Method: "PUT", Path: UserPrefix + "/action-items/{id}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "action-items:write", Write: true,
		Summary: "update an action item"},
	{Method: "DELETE", Path: UserPrefix + "/action-items/{id}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "action-items:write", Write: true,
		Summary: "delete an action item"},
	{Method: "GET", Path: UserPrefix + "/calendar/events", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "calendar:read", SafeProbe: true,
		Summary: "list calendar events (send a date range)"},
	{Method: "GET", Path: UserPrefix + "/calendar/events/{calendarEventId}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "calendar:read", SafeProbe: true,
		Summary: "get one calendar event"},
	{Method: "POST", Path: UserPrefix + "/calendar/events/{calendarEventId}/meeting", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "calendar:write", Write: true,
		Summary: "create a meeting from a calendar event"},
	{Method: "POST", Path: UserPrefix + "/meetings/{id}/calendar/link", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "calendar:write", Write: true,
		Summary: "link a calendar event to a meeting"},
	{Method: "DELETE", Path: UserPrefix + "/meetings/{id}/calendar/unlink", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "calendar:write", Write: true, Spelling: SpellingSpec,
		Summary: "unlink a meeting's calendar event"},
	{Method: "GET", Path: UserPrefix + "/meetings/{id}/context", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "context:read", SafeProbe: true,
		Summary: "list a meeting's context documents"},
	{Method: "POST", Path: UserPrefix + "/meetings/{id}/context", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "context:write", Write: true,
		Summary: "upload a context document (multipart)"},
	{Method: "GET", Path: UserPrefix + "/meetings/{id}/context/{docId}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "context:read", SafeProbe: true,
		Summary: "get one context document"},
	{Method: "DELETE", Path: UserPrefix + "/meetings/{id}/context/{docId}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "context:write", Write: true,
		Summary: "delete a context document"},
	{Method: "GET", Path: UserPrefix + "/meetings/{id}/context/{docId}/content", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "context:read",
		Summary: "download a context document's content (heavy)"},
	{Method: "GET", Path: UserPrefix + "/sessions", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "chat:read", SafeProbe: true,
		Summary: "list chat sessions"},
	{Method: "POST", Path: UserPrefix + "/sessions", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "chat:write", Write: true,
		Summary: "create a chat session"},
	{Method: "GET", Path: UserPrefix + "/sessions/{id}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "chat:read", SafeProbe: true,
		Summary: "get a chat session and its turns"},
	{Method: "PUT", Path: UserPrefix + "/sessions/{id}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "chat:write", Write: true,
		Summary: "send a chat message (a PUT on the session)"},
	{Method: "GET", Path: UserPrefix + "/sessions/{id}/turns/{turnId}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "chat:read", SafeProbe: true,
		Summary: "get one chat turn"},
	{Method: "GET", Path: UserPrefix + "/toolkits", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "toolkits:read", SafeProbe: true,
		Summary: "list available toolkits"},
	// The spec does not document this one; the scope is the read scope of its siblings.
	{Method: "GET", Path: UserPrefix + "/toolkits/{toolkitId}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "toolkits:read", Spelling: SpellingSDK, SafeProbe: true,
		Summary: "get one toolkit"},
	{Method: "POST", Path: UserPrefix + "/toolkits/{toolkitId}/install", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "toolkits:write", Write: true,
		Summary: "install a toolkit"},
	{Method: "DELETE", Path: UserPrefix + "/toolkits/{toolkitId}/uninstall", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "toolkits:write", Write: true, Spelling: SpellingSDK, AltPath: UserPrefix + "/workspaces/{workspace_id}/toolkits/{toolkit_id}",
		Summary: "uninstall a toolkit (the SDK's path)"},
	{Method: "DELETE", Path: UserPrefix + "/workspaces/{workspace_id}/toolkits/{toolkit_id}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "toolkits:write", Write: true, Spelling: SpellingSpec, AltPath: UserPrefix + "/toolkits/{toolkitId}/uninstall",
		Summary: "uninstall a toolkit (the spec's path)"},
	{Method: "GET", Path: UserPrefix + "/workspaces/{workspace_id}/toolkits", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "toolkits:read", Spelling: SpellingSpec,
		Summary: "list toolkits installed in a workspace"},
	{Method: "GET", Path: UserPrefix + "/meeting-templates", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:read", SafeProbe: true,
		Summary: "list meeting templates"},
	{Method: "GET", Path: UserPrefix + "/meeting-templates/{id}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:read", SafeProbe: true,
		Summary: "get one meeting template"},
	{Method: "GET", Path: UserPrefix + "/meeting-templates/{id}/next-steps", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:read", Spelling: SpellingSpec,
		Summary: "list a template's next steps"},
	{Method: "POST", Path: UserPrefix + "/meeting-templates/{id}/apply", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "meetings:write", Write: true, Spelling: SpellingSpec,
		Summary: "apply a template to a meeting"},
	{Method: "GET", Path: UserPrefix + "/workflow-runs", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "workflows:read", SafeProbe: true,
		Summary: "list workflow runs"},
	{Method: "POST", Path: UserPrefix + "/workflow-runs", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "workflows:write", Write: true,
		Summary: "start a workflow run"},
	{Method: "GET", Path: UserPrefix + "/workflow-runs/{id}", Class: ClassUser, Auth: AuthBearer, Host: HostAPI, Scope: "workflows:read", SafeProbe: true,
		Summary: "get one workflow run"},

	// --- Admin API: X-API-Key plus X-Client-ID, no scopes; every method but GET writes, and only
	// a GET may be a safe probe.
	{Method: "GET", Path: AdminPrefix + "/app", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "the partner app: client ID, webhook URL and filter, status"},
	{Method: "PUT", Path: AdminPrefix + "/app", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "update the partner app"},
	{Method: "PUT", Path: AdminPrefix + "/app/status", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "activate, suspend or deactivate the app"},
	{Method: "GET", Path: AdminPrefix + "/webhook-deliveries", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "list webhook deliveries and their outcome"},
	{Method: "GET", Path: AdminPrefix + "/webhook-deliveries/{deliveryId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "get one webhook delivery"},
	{Method: "POST", Path: AdminPrefix + "/webhook-deliveries/{deliveryId}/retry", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "redeliver a webhook"},
	{Method: "PUT", Path: AdminPrefix + "/app/webhook-status", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true, Spelling: SpellingSDK, AltPath: AdminPrefix + "/webhook-status",
		Summary: "turn webhook delivery on or off (the SDK's path)"},
	{Method: "PUT", Path: AdminPrefix + "/webhook-status", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true, Spelling: SpellingSpec, AltPath: AdminPrefix + "/app/webhook-status",
		Summary: "turn webhook delivery on or off (the spec's path)"},
	{Method: "PUT", Path: AdminPrefix + "/app/webhook-filter", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true, Spelling: SpellingSDK, AltPath: AdminPrefix + "/webhook-filter",
		Summary: "set the webhook event filter (the SDK's path)"},
	{Method: "PUT", Path: AdminPrefix + "/webhook-filter", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true, Spelling: SpellingSpec, AltPath: AdminPrefix + "/app/webhook-filter",
		Summary: "set the webhook event filter (the spec's path)"},
	{Method: "DELETE", Path: AdminPrefix + "/app/webhook-filter", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true, Spelling: SpellingSDK, AltPath: AdminPrefix + "/webhook-filter",
		Summary: "remove the webhook event filter (the SDK's path)"},
	{Method: "DELETE", Path: AdminPrefix + "/webhook-filter", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true, Spelling: SpellingSpec, AltPath: AdminPrefix + "/app/webhook-filter",
		Summary: "remove the webhook event filter (the spec's path)"},
	{Method: "GET", Path: AdminPrefix + "/automations", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Spelling: SpellingSDK, AltPath: AdminPrefix + "/automation", SafeProbe: true,
		Summary: "list automations (the SDK's plural path)"},
	{Method: "GET", Path: AdminPrefix + "/automation", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Spelling: SpellingSpec, AltPath: AdminPrefix + "/automations",
		Summary: "list automations (the spec's singular path)"},
	{Method: "POST", Path: AdminPrefix + "/automations", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true, Spelling: SpellingSDK, AltPath: AdminPrefix + "/automation",
		Summary: "create an automation (the SDK's plural path)"},
	{Method: "POST", Path: AdminPrefix + "/automation", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true, Spelling: SpellingSpec, AltPath: AdminPrefix + "/automations",
		Summary: "create an automation (the spec's singular path)"},
	{Method: "GET", Path: AdminPrefix + "/automations/{automationId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Spelling: SpellingSDK, AltPath: AdminPrefix + "/automation/{automationId}", SafeProbe: true,
		Summary: "get one automation (the SDK's plural path)"},
	{Method: "GET", Path: AdminPrefix + "/automation/{automationId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Spelling: SpellingSpec, AltPath: AdminPrefix + "/automations/{automationId}",
		Summary: "get one automation (the spec's singular path)"},
	{Method: "PUT", Path: AdminPrefix + "/automations/{automationId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true, Spelling: SpellingSDK, AltPath: AdminPrefix + "/automation/{automationId}",
		Summary: "update an automation (the SDK's plural path)"},
	{Method: "PUT", Path: AdminPrefix + "/automation/{automationId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true, Spelling: SpellingSpec, AltPath: AdminPrefix + "/automations/{automationId}",
		Summary: "update an automation (the spec's singular path)"},
	{Method: "DELETE", Path: AdminPrefix + "/automations/{automationId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true, Spelling: SpellingSDK, AltPath: AdminPrefix + "/automation/{automationId}",
		Summary: "delete an automation (the SDK's plural path)"},
	{Method: "DELETE", Path: AdminPrefix + "/automation/{automationId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true, Spelling: SpellingSpec, AltPath: AdminPrefix + "/automations/{automationId}",
		Summary: "delete an automation (the spec's singular path)"},
	{Method: "GET", Path: AdminPrefix + "/connections", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "list users' connections to the app and their scopes"},
	{Method: "GET", Path: AdminPrefix + "/connections/{connectionId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "get one user connection"},
	{Method: "DELETE", Path: AdminPrefix + "/connections/{connectionId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "revoke a user's connection"},
	{Method: "GET", Path: AdminPrefix + "/credentials", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "age and rotation advice for the app's credentials (may be audited)"},
	{Method: "GET", Path: AdminPrefix + "/credentials/history", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "audit history of credential changes"},
	{Method: "POST", Path: AdminPrefix + "/credentials/api-key/rotate", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "rotate the API key"},
	{Method: "POST", Path: AdminPrefix + "/credentials/webhook-secret/rotate", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "rotate the webhook signing secret"},
	{Method: "POST", Path: AdminPrefix + "/credentials/client-secret/rotate", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "rotate the client secret"},
	{Method: "POST", Path: AdminPrefix + "/credentials/api-key/rollback", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "roll the API key back during its grace period"},
	{Method: "POST", Path: AdminPrefix + "/credentials/client-secret/rollback", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "roll the client secret back during its grace period"},
	{Method: "GET", Path: AdminPrefix + "/idp", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "the app's identity-provider configuration (404 when none)"},
	{Method: "POST", Path: AdminPrefix + "/idp", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "create the identity-provider configuration"},
	{Method: "PUT", Path: AdminPrefix + "/idp", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "update the identity-provider configuration"},
	{Method: "DELETE", Path: AdminPrefix + "/idp", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "delete the identity-provider configuration"},
	{Method: "GET", Path: AdminPrefix + "/idp/domains/{domain}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "verification status of an SSO domain"},
	{Method: "POST", Path: AdminPrefix + "/idp/domains/{domain}/verify", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "issue a new DNS challenge (replaces one in progress)"},
	{Method: "POST", Path: AdminPrefix + "/idp/domains/{domain}/check", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "look up the DNS challenge and mark the domain verified"},
	{Method: "GET", Path: AdminPrefix + "/toolkits", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "list the app's toolkits"},
	{Method: "POST", Path: AdminPrefix + "/toolkits", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "create a toolkit"},
	{Method: "POST", Path: AdminPrefix + "/toolkits/export", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "build a manifest from chosen entities (a POST: treated as a write)"},
	{Method: "GET", Path: AdminPrefix + "/toolkits/{toolkitId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "get one toolkit"},
	{Method: "PUT", Path: AdminPrefix + "/toolkits/{toolkitId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true, Spelling: SpellingSDK, AltPath: AdminPrefix + "/toolkits/{toolkitId}",
		Summary: "update a toolkit (the SDK sends PUT)"},
	{Method: "PATCH", Path: AdminPrefix + "/toolkits/{toolkitId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true, Spelling: SpellingSpec, AltPath: AdminPrefix + "/toolkits/{toolkitId}",
		Summary: "update a toolkit (the spec documents PATCH)"},
	{Method: "DELETE", Path: AdminPrefix + "/toolkits/{toolkitId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "delete a toolkit"},
	{Method: "GET", Path: AdminPrefix + "/toolkits/{toolkitId}/export", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI,
		Summary: "export a toolkit as a manifest (heavy)"},
	{Method: "GET", Path: AdminPrefix + "/toolkits/{toolkitId}/installations", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "list a toolkit's installations"},
	{Method: "GET", Path: AdminPrefix + "/toolkits/{toolkitId}/versions", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "list a toolkit's versions"},
	{Method: "POST", Path: AdminPrefix + "/toolkits/{toolkitId}/versions", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "create a toolkit version"},
	{Method: "GET", Path: AdminPrefix + "/toolkits/{toolkitId}/versions/{versionId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "get one toolkit version"},
	{Method: "PATCH", Path: AdminPrefix + "/toolkits/{toolkitId}/versions/{versionId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "update a draft toolkit version"},
	{Method: "DELETE", Path: AdminPrefix + "/toolkits/{toolkitId}/versions/{versionId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "discard a draft toolkit version"},
	{Method: "POST", Path: AdminPrefix + "/toolkits/{toolkitId}/versions/{versionId}/publish", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "publish a toolkit version"},
	{Method: "POST", Path: AdminPrefix + "/toolkits/{toolkitId}/versions/{versionId}/republish", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "republish a toolkit version"},
	{Method: "GET", Path: AdminPrefix + "/workspaces", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Spelling: SpellingSDK, SafeProbe: true,
		Summary: "list workspaces (not in the spec)"},
	{Method: "GET", Path: AdminPrefix + "/templates", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "list templates"},
	{Method: "POST", Path: AdminPrefix + "/templates", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "create a template"},
	{Method: "GET", Path: AdminPrefix + "/templates/{templateId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "get one template"},
	{Method: "PUT", Path: AdminPrefix + "/templates/{templateId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "update a template"},
	{Method: "DELETE", Path: AdminPrefix + "/templates/{templateId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "delete a template"},
	{Method: "GET", Path: AdminPrefix + "/templates/{templateId}/next-steps", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "list a template's next steps"},
	{Method: "POST", Path: AdminPrefix + "/templates/{templateId}/next-steps", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "add a next step to a template"},
	{Method: "PUT", Path: AdminPrefix + "/templates/{templateId}/next-steps/{nextStepId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "update a template's next step"},
	{Method: "DELETE", Path: AdminPrefix + "/templates/{templateId}/next-steps/{nextStepId}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, Write: true,
		Summary: "remove a next step from a template"},
	{Method: "GET", Path: AdminPrefix + "/workflow-templates", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "list workflow templates"},
	{Method: "GET", Path: AdminPrefix + "/workflow-templates/{id}", Class: ClassAdmin, Auth: AuthAPIKey, Host: HostAPI, SafeProbe: true,
		Summary: "get one workflow template"},
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
