package contio

import "strings"

// Auth is the authentication scheme an endpoint expects.
type Auth string

// Auth schemes.
const (
	AuthBasic  Auth = "basic"   // HTTP Basic with client_id:client_secret
	AuthBearer Auth = "bearer"  // OAuth access token
	AuthAPIKey Auth = "api_key" // X-API-Key plus X-Client-ID
	AuthNone   Auth = "none"
)

// Host says which host serves an endpoint.
type Host string

// Hosts.
const (
	HostAuth Host = "auth" // auth.contio.ai (the auth paths also answer on the API host)
	HostAPI  Host = "api"  // api.contio.ai
)

// Endpoint is one documented operation.
type Endpoint struct {
	Method string
	// Path is the full path template, {name} for a parameter, e.g.
	// /v1/partner/user/meetings/{id}.
	Path  string
	Class Class
	Auth  Auth
	Host  Host
	// Scope is the scope a user endpoint requires ("" for none).
	Scope string
	// Write is true for operations that change server state.
	Write bool
	// Spelling is "" when SDK and spec agree, "sdk" or "spec" when only
	// that source uses this path; AltPath is then the other spelling.
	Spelling string
	AltPath  string
	// SafeProbe marks read-only endpoints the doctor may call (S1).
	SafeProbe bool
	// Summary says in a few words what the operation does.
	Summary string
}

// Endpoints is the catalogue, filled in catalogue.go.
var Endpoints []Endpoint

// PathMatches reports whether a concrete path matches a template: the same
// number of segments, each equal or a {param} in the template. Comparison
// is case-sensitive, as the API's routing is.
func PathMatches(template, path string) bool {
	path, _, _ = strings.Cut(path, "?")
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	ts := strings.Split(template, "/")
	ps := strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if strings.HasPrefix(ts[i], "{") && strings.HasSuffix(ts[i], "}") {
			if ps[i] == "" {
				return false
			}
			continue
		}
		if ts[i] != ps[i] {
			return false
		}
	}
	return true
}

// Lookup finds the endpoint for method and path. It returns the endpoint
// when both match; otherwise ep is nil and allowed lists the methods the
// path serves (empty: the path is unknown). A literal segment beats a
// parameter, so /meetings/{id} does not swallow /meetings/export-like paths.
func Lookup(method, path string) (ep *Endpoint, allowed []string) {
	best := -1
	for i := range Endpoints {
		e := &Endpoints[i]
		if !PathMatches(e.Path, path) {
			continue
		}
		if e.Method == method {
			if best < 0 || literalSegments(e.Path) > literalSegments(Endpoints[best].Path) {
				best = i
			}
			continue
		}
		allowed = appendUnique(allowed, e.Method)
	}
	if best >= 0 {
		return &Endpoints[best], nil
	}
	return nil, allowed
}

// ClassOf classifies a path by prefix, for paths the catalogue lacks.
func ClassOf(path string) Class {
	switch {
	case strings.HasPrefix(path, UserPrefix+"/") || path == UserPrefix:
		return ClassUser
	case strings.HasPrefix(path, AdminPrefix+"/") || path == AdminPrefix:
		return ClassAdmin
	case strings.HasPrefix(path, "/oauth2/") || strings.HasPrefix(path, "/auth/"):
		return ClassOAuth
	}
	return ClassPublic
}

func literalSegments(p string) int {
	n := 0
	for _, s := range strings.Split(p, "/") {
		if s != "" && !strings.HasPrefix(s, "{") {
			n++
		}
	}
	return n
}

func appendUnique(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}
