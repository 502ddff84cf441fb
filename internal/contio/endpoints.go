package contio

import (
	"slices"
	"strings"
)

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

// PathMatches reports whether a concrete path matches a template: the same
// number of segments, each equal or a {param} in the template. Comparison
// is case-sensitive, as the API's routing is.
func PathMatches(template, path string) bool {
	path, _, _ = strings.Cut(path, "?")
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	// Walk both paths segment by segment without splitting: the checks call
	// this for every catalogue row and declared call, and allocation
	// dominated their run.
	t, p := template, path
	for {
		ts, trest, tmore := strings.Cut(t, "/")
		ps, prest, pmore := strings.Cut(p, "/")
		if isParam(ts) {
			if ps == "" {
				return false
			}
		} else if ts != ps {
			return false
		}
		if tmore != pmore { // different number of segments
			return false
		}
		if !tmore {
			return true
		}
		t, p = trest, prest
	}
}

// Lookup finds the endpoint for method and path. It returns the endpoint
// when both match; otherwise ep is nil and allowed lists the methods the
// path serves (empty: the path is unknown). A literal segment beats a
// parameter, so /meetings/{id} does not swallow /meetings/export-like paths.
func Lookup(method, path string) (ep *Endpoint, allowed []string) {
	var buf [16]int
	best := -1
	for _, i := range matchIndices(path, buf[:0]) {
		e := &Endpoints[i]
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

// Matching returns the endpoints whose template matches path
// (PathMatches), in catalogue order.
func Matching(path string) []*Endpoint {
	var buf [16]int
	idx := matchIndices(path, buf[:0])
	out := make([]*Endpoint, len(idx))
	for k, i := range idx {
		out[k] = &Endpoints[i]
	}
	return out
}

// FirstMatching is the first endpoint, in catalogue order, whose template
// matches path (Matching's first), or nil; it builds no list.
func FirstMatching(path string) *Endpoint {
	var buf [16]int
	if idx := matchIndices(path, buf[:0]); len(idx) > 0 {
		return &Endpoints[idx[0]]
	}
	return nil
}

// matchIndices appends to buf the indices, ascending, of the Endpoints
// whose template matches path. It walks pathTrie; should Endpoints have
// been replaced since the trie was generated, it scans.
func matchIndices(path string, buf []int) []int {
	if !pathTrie.current() {
		for i := range Endpoints {
			if PathMatches(Endpoints[i].Path, path) {
				buf = append(buf, i)
			}
		}
		return buf
	}
	path, _, _ = strings.Cut(path, "?")
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	buf = pathTrie.root.match(path, buf)
	slices.Sort(buf) // a literal and a {param} branch may both match
	return buf
}

//go:generate go run gen_trie.go

// segmentTrie is a trie over the templates' segments: a lookup walks the
// few segments of one path instead of matching ~140 templates, which the
// offline checks do for every declared call. pathTrie, the one over
// Endpoints, is generated into endpoints_trie.go as a literal: data the
// linker lays out, which no run builds, not even on its first lookup.
type segmentTrie struct {
	root segmentNode
	// catalogue is Endpoints as the trie was generated from it: the
	// trie's indices refer to that array, not to a slice that replaced it.
	// Initialised with Endpoints, it is a static copy of its slice header,
	// no init code, as long as no package-level initialiser before it
	// calls a function.
	catalogue []Endpoint
}

type segmentNode struct {
	seg   string        // the literal segment leading here
	lit   []segmentNode // a short list scans faster than a map
	param *segmentNode  // a {name} segment: any non-empty segment
	eps   []int         // templates ending here, as Endpoints indices
}

// current reports whether Endpoints is still the slice t was generated
// from: the same array and length. (Rows changed in place would go
// unnoticed: a test replaces Endpoints instead.)
func (t *segmentTrie) current() bool {
	return len(Endpoints) == len(t.catalogue) && (len(Endpoints) == 0 || &Endpoints[0] == &t.catalogue[0])
}

func (n *segmentNode) literal(seg string) *segmentNode {
	lit := n.lit // a local: no reload of n.lit after each comparison
	for i := range lit {
		if lit[i].seg == seg {
			return &lit[i]
		}
	}
	return nil
}

// match appends the templates below n that match the segments of rest.
func (n *segmentNode) match(rest string, out []int) []int {
	seg, rest, more := strings.Cut(rest, "/")
	if c := n.literal(seg); c != nil {
		out = c.matchRest(rest, more, out)
	}
	if n.param != nil && seg != "" {
		out = n.param.matchRest(rest, more, out)
	}
	return out
}

func (n *segmentNode) matchRest(rest string, more bool, out []int) []int {
	if !more {
		return append(out, n.eps...)
	}
	return n.match(rest, out)
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
	for rest, more := p, true; more; {
		var s string
		s, rest, more = strings.Cut(rest, "/")
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
