package sandbox

import (
	"net/http"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// handlerFunc handles a routed request; a non-nil error is written by the
// one error writer.
type handlerFunc func(w http.ResponseWriter, r *http.Request) *apiError

// route is one operation the sandbox simulates. Class, scope and write come
// from the endpoint catalogue when it lists the operation; the values here
// cover operations it does not (yet) list.
type route struct {
	method, path string
	class        contio.Class
	scope        string
	write        bool
	page         bool // a browser page: errors render as HTML for browsers
	// own: a page of the sandbox itself, not an operation of the Contio API.
	own bool
	h   handlerFunc
}

const (
	u = contio.UserPrefix
	a = contio.AdminPrefix
)

func (s *Sandbox) routeTable() []*route {
	oauth := func(method, path string, write bool, h handlerFunc) *route {
		return &route{method: method, path: path, class: contio.ClassOAuth, write: write, h: h}
	}
	pub := func(method, path string, h handlerFunc) *route {
		return &route{method: method, path: path, class: contio.ClassPublic, h: h}
	}
	user := func(method, path, scope string, h handlerFunc) *route {
		return &route{method: method, path: u + path, class: contio.ClassUser, scope: scope,
			write: method != http.MethodGet, h: s.userAuth(h)}
	}
	admin := func(method, path string, h handlerFunc) *route {
		return &route{method: method, path: a + path, class: contio.ClassAdmin,
			write: method != http.MethodGet, h: s.adminAuth(h)}
	}
	authorize := oauth(http.MethodGet, "/oauth2/authorize", false, s.handleAuthorize)
	authorize.page = true
	signIn := &route{method: http.MethodGet, path: SignInPath, class: contio.ClassPublic, page: true, own: true, h: s.handleSignInPage}
	routes := []*route{
		// OAuth and passwordless sign-in (any host).
		oauth(http.MethodPost, "/auth/initiate", true, s.handleInitiate),
		oauth(http.MethodPost, "/auth/verify", true, s.handleVerify),
		oauth(http.MethodPost, "/oauth2/check-consent", false, s.handleCheckConsent),
		authorize,
		oauth(http.MethodPost, "/oauth2/authorize", true, s.handleAuthorizePost),
		signIn,
		oauth(http.MethodPost, "/oauth2/token", true, s.handleToken),
		oauth(http.MethodPost, "/oauth2/introspect", false, s.handleIntrospect),
		oauth(http.MethodPost, "/oauth2/revoke", true, s.handleRevoke),
		oauth(http.MethodGet, "/oauth2/scopes", false, s.handleScopes),
		oauth(http.MethodGet, "/oauth2/userInfo", false, s.handleUserInfo),
		oauth(http.MethodGet, "/oauth2/health", false, s.handleHealth),
		pub(http.MethodGet, "/.well-known/openid_configuration", s.handleDiscovery),
		pub(http.MethodGet, "/.well-known/openid-configuration", s.handleDiscovery),
		pub(http.MethodGet, "/.well-known/jwks.json", s.handleJWKS),
		pub(http.MethodGet, contio.PublicPrefix+"/{client_id}/public", s.handlePartnerInfo),

		// User API.
		user(http.MethodGet, "/profile", "profile", s.getProfile),
		user(http.MethodGet, "/meetings", "meetings:read", s.listMeetings),
		user(http.MethodPost, "/meetings", "meetings:write", s.createMeeting),
		user(http.MethodGet, "/meetings/{id}", "meetings:read", s.getMeeting),
		user(http.MethodPatch, "/meetings/{id}", "meetings:write", s.updateMeeting),
		user(http.MethodGet, "/meetings/{id}/participants", "meetings:read", s.listParticipants),
		user(http.MethodPost, "/meetings/{id}/participants", "meetings:write", s.addParticipant),
		user(http.MethodDelete, "/meetings/{id}/participants/{participant_id}", "meetings:write", s.removeParticipant),
		user(http.MethodGet, "/meetings/{id}/agenda-items", "meetings:read", s.listAgendaItems),
		user(http.MethodPost, "/meetings/{id}/agenda-items", "meetings:write", s.createAgendaItem),
		user(http.MethodPut, "/meetings/{id}/agenda-items/{item_id}", "meetings:write", s.updateAgendaItem),
		user(http.MethodDelete, "/meetings/{id}/agenda-items/{item_id}", "meetings:write", s.deleteAgendaItem),
		user(http.MethodGet, "/action-items", "action-items:read", s.listActionItems),
		user(http.MethodPost, "/action-items", "action-items:write", s.createActionItem),
		user(http.MethodGet, "/action-items/{id}", "action-items:read", s.getActionItem),
		user(http.MethodPut, "/action-items/{id}", "action-items:write", s.updateActionItem),
		user(http.MethodDelete, "/action-items/{id}", "action-items:write", s.deleteActionItem),
		user(http.MethodGet, "/calendar/events", "calendar:read", s.listCalendarEvents),
		user(http.MethodGet, "/calendar/events/{calendar_event_id}", "calendar:read", s.getCalendarEvent),
		user(http.MethodPost, "/calendar/events/{calendar_event_id}/meeting", "calendar:write", s.meetingFromCalendarEvent),
		user(http.MethodPost, "/meetings/{id}/calendar/link", "calendar:write", s.linkCalendarEvent),
		user(http.MethodDelete, "/meetings/{id}/calendar/unlink", "calendar:write", s.unlinkCalendarEvent),

		// Admin API; both spellings where the SDK and the spec differ.
		admin(http.MethodGet, "/app", s.getApp),
		admin(http.MethodPut, "/app", s.updateApp),
		admin(http.MethodPut, "/app/status", s.updateAppStatus),
		admin(http.MethodPut, "/app/webhook-status", s.updateWebhookStatus),
		admin(http.MethodPut, "/webhook-status", s.updateWebhookStatus),
		admin(http.MethodPut, "/app/webhook-filter", s.setWebhookFilter),
		admin(http.MethodPut, "/webhook-filter", s.setWebhookFilter),
		admin(http.MethodDelete, "/app/webhook-filter", s.removeWebhookFilter),
		admin(http.MethodDelete, "/webhook-filter", s.removeWebhookFilter),
		admin(http.MethodGet, "/webhook-deliveries", s.listDeliveries),
		admin(http.MethodGet, "/webhook-deliveries/{delivery_id}", s.getDelivery),
		admin(http.MethodPost, "/webhook-deliveries/{delivery_id}/retry", s.retryDelivery),
		admin(http.MethodGet, "/connections", s.listConnections),
		admin(http.MethodGet, "/connections/{connection_id}", s.getConnection),
		admin(http.MethodDelete, "/connections/{connection_id}", s.revokeConnection),
	}
	return append(routes, s.resourceRoutes(user, admin)...)
}

// match finds the route for method and path. allowed lists the methods
// served on the path when the method is wrong; ep is the catalogue's entry
// for the operation, when it has one.
func (s *Sandbox) match(method, path string) (rt *route, allowed []string, ep *contio.Endpoint) {
	if method == http.MethodHead {
		method = http.MethodGet // net/http drops the body of a HEAD response
	}
	ep, epAllowed := contio.Lookup(method, path)
	best := -1
	for _, r := range s.routes {
		if !contio.PathMatches(r.path, path) {
			continue
		}
		if r.method == method {
			if n := literalCount(r.path); n > best {
				rt, best = r, n
			}
			continue
		}
		allowed = appendOnce(allowed, r.method)
	}
	if rt != nil {
		return rt, nil, ep
	}
	if ep != nil {
		return nil, nil, ep
	}
	for _, m := range epAllowed {
		allowed = appendOnce(allowed, m)
	}
	return nil, allowed, nil
}

func literalCount(p string) int {
	n := 0
	for _, seg := range strings.Split(p, "/") {
		if seg != "" && !strings.HasPrefix(seg, "{") {
			n++
		}
	}
	return n
}

func appendOnce(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// pathParams extracts the {name} segments of template from path.
func pathParams(template, path string) map[string]string {
	ts := strings.Split(template, "/")
	ps := strings.Split(strings.TrimSuffix(path, "/"), "/")
	out := map[string]string{}
	for i := range ts {
		if i < len(ps) && strings.HasPrefix(ts[i], "{") {
			out[strings.Trim(ts[i], "{}")] = ps[i]
		}
	}
	return out
}

// requiredScope is the scope the request's operation needs: the
// catalogue's when it lists the operation, else the route's own.
func requiredScope(r *http.Request) string {
	if ep, _ := contio.Lookup(r.Method, r.URL.Path); ep != nil && ep.Class == contio.ClassUser {
		return ep.Scope
	}
	if rt := stateOf(r).route; rt != nil {
		return rt.scope
	}
	return ""
}

// authenticateFor checks credentials for an operation the catalogue lists
// but the sandbox does not simulate, so a 501 never hides an auth error.
func (s *Sandbox) authenticateFor(r *http.Request, class contio.Class, scope string) *apiError {
	switch class {
	case contio.ClassUser:
		_, e := s.bearer(r, scope)
		return e
	case contio.ClassAdmin:
		_, e := s.apiKey(r)
		return e
	}
	return nil
}
