package sandbox

import (
	"net/http"
	"slices"
	"time"
)

// doc is one stored resource as the API renders it: a JSON object whose
// "id" names it. Resources the newer operations manage (context documents,
// chat sessions, toolkits, templates …) are kept in this form, so what a
// partner wrote is what a partner reads back.
type doc = map[string]any

// resources is the state of the operations added for SDK 1.9.0; Reset
// clears it with the rest (it lives in state).
type resources struct {
	apps  map[string]*appResources  // by client_id
	users map[string]*userResources // by user id
	// installs are toolkit installations, by workspace id then toolkit id.
	installs map[string]map[string]doc
	// dns are the TXT records the sandbox's resolver answers, by name.
	dns map[string]string
	// catalogue: next steps, action buttons, meeting and workflow templates
	// every workspace sees.
	nextSteps, buttons, meetingTemplates, workflowTemplates []doc
}

// appResources is what one partner app owns through the admin API.
type appResources struct {
	automations, templates, toolkits []doc
	templateSteps                    map[string][]doc // template id → next-step links
	versions                         map[string][]doc // toolkit id → versions
	idp                              doc
	domains                          map[string]doc
	creds                            map[string]*credential // by credential_type
	history                          []doc
}

// userResources is what one user owns through the user API.
type userResources struct {
	contexts map[string][]*contextDoc // by meeting id
	sessions []*chatSession
	results  []doc
	runs     []doc
}

func newResources() *resources {
	return &resources{apps: map[string]*appResources{}, users: map[string]*userResources{},
		installs: map[string]map[string]doc{}, dns: map[string]string{}}
}

// appResLocked is an app's resources; the state lock must be held.
func (s *Sandbox) appResLocked(clientID string) *appResources {
	a := s.st.res.apps[clientID]
	if a == nil {
		a = &appResources{templateSteps: map[string][]doc{}, versions: map[string][]doc{},
			domains: map[string]doc{}, creds: map[string]*credential{}}
		s.st.res.apps[clientID] = a
	}
	return a
}

// userResLocked is a user's resources; the state lock must be held.
func (s *Sandbox) userResLocked(userID string) *userResources {
	u := s.st.res.users[userID]
	if u == nil {
		u = &userResources{contexts: map[string][]*contextDoc{}}
		s.st.res.users[userID] = u
	}
	return u
}

// withApp runs f on the admin caller's resources under the state lock.
func (s *Sandbox) withApp(r *http.Request, f func(app *App, a *appResources) *apiError) *apiError {
	clientID := stateOf(r).app.ClientID
	s.mu.Lock()
	defer s.mu.Unlock()
	return f(s.st.apps[clientID], s.appResLocked(clientID))
}

// withUserRes runs f on the user caller's data and resources under the lock.
func (s *Sandbox) withUserRes(r *http.Request, f func(u *User, d *userData, ur *userResources) *apiError) *apiError {
	t := stateOf(r).tok
	s.mu.Lock()
	defer s.mu.Unlock()
	return f(s.st.users[t.userID], s.st.data[t.userID], s.userResLocked(t.userID))
}

// findDoc is the index of the doc with id in items, or -1.
func findDoc(items []doc, id string) int {
	return slices.IndexFunc(items, func(d doc) bool { return d["id"] == id })
}

// docOf finds the doc the path parameter names, or a 404 naming what.
func docOf(items []doc, r *http.Request, paramName, what string) (int, doc, *apiError) {
	i := findDoc(items, param(r, paramName))
	if i < 0 {
		return -1, nil, notFound(what)
	}
	return i, items[i], nil
}

// merge copies the fields of in that are present and allowed onto d.
func merge(d doc, in map[string]any, allowed ...string) {
	for _, k := range allowed {
		if v, ok := in[k]; ok && v != nil {
			d[k] = v
		}
	}
}

// cloneDoc copies d one level deep, so a reply cannot race a later write.
func cloneDoc(d doc) doc {
	out := make(doc, len(d))
	for k, v := range d {
		out[k] = v
	}
	return out
}

// str reads a string field of a decoded body.
func str(in map[string]any, key string) string {
	v, _ := in[key].(string)
	return v
}

// requireFields refuses a body missing any of the named string fields.
func requireFields(in map[string]any, names ...string) *apiError {
	for _, n := range names {
		if str(in, n) == "" {
			return newErr(http.StatusBadRequest, CodeValidation, n+" is required")
		}
	}
	return nil
}

// oneOf refuses a value outside the documented enum.
func oneOf(name, v string, allowed ...string) *apiError {
	if !slices.Contains(allowed, v) {
		return newErr(http.StatusBadRequest, CodeValidation, name+" must be one of "+joinOr(allowed))
	}
	return nil
}

func joinOr(xs []string) string {
	out := ""
	for i, x := range xs {
		switch {
		case i == 0:
		case i == len(xs)-1:
			out += " or "
		default:
			out += ", "
		}
		out += x
	}
	return out
}

// stamp is a timestamp as the API renders it (RFC 3339, UTC).
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// SetDNSRecord publishes a TXT record to the sandbox's simulated DNS, so
// an IdP domain verification can be completed ("" removes it).
func (s *Sandbox) SetDNSRecord(name, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if value == "" {
		delete(s.st.res.dns, name)
		return
	}
	s.st.res.dns[name] = value
}

// resourceRoutes are the operations added for SDK 1.9.0, one group per
// resource file.
func (s *Sandbox) resourceRoutes(user func(method, path, scope string, h handlerFunc) *route,
	admin func(method, path string, h handlerFunc) *route) []*route {
	var out []*route
	for _, group := range [][]*route{
		s.contextRoutes(user), s.chatRoutes(user), s.nextStepRoutes(user), s.workflowRoutes(user, admin),
		s.templateRoutes(admin), s.toolkitRoutes(user, admin), s.idpRoutes(admin), s.credentialRoutes(admin),
	} {
		out = append(out, group...)
	}
	return out
}
