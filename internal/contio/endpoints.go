package contio

import (
	"slices"
	"strings"
	"sync"
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
// whose template matches path. It walks the segment index, built on the
// first lookup; should Endpoints have been replaced since, it scans.
func matchIndices(path string, buf []int) []int {
	pathIndexOnce.Do(indexEndpoints)
	if !pathIndex.current() {
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
	buf = pathIndex.root.match(path, buf)
	slices.Sort(buf) // a literal and a {param} branch may both match
	return buf
}

// pathIndex is a trie over the templates' segments: a lookup walks the
// few segments of one path instead of matching ~140 templates, which the
// offline checks do for every declared call.
var (
	pathIndex     segmentIndex
	pathIndexOnce sync.Once
)

type segmentIndex struct {
	root *segmentNode
	// base and n identify the Endpoints slice the index was built from.
	base *Endpoint
	n    int
}

type segmentNode struct {
	seg   string         // the literal segment leading here
	lit   []*segmentNode // a short list scans faster than a map builds
	param *segmentNode   // a {name} segment: any non-empty segment
	eps   []int          // templates ending here, as Endpoints indices
	nEps  int            // while building: how many templates end here
}

// indexEndpoints builds pathIndex from Endpoints, once, on the first
// lookup: commands that never look a path up do not pay for it. Nodes
// come from a few slabs and each node's endpoint list is a slice of one
// shared array, instead of an allocation per node and per list.
func indexEndpoints() {
	var b segmentBuilder
	root := b.node("")
	ends := make([]*segmentNode, len(Endpoints))
	for i := range Endpoints {
		n := root
		for rest, more := Endpoints[i].Path, true; more; {
			var seg string
			seg, rest, more = strings.Cut(rest, "/")
			n = b.child(n, seg)
		}
		ends[i] = n
		n.nEps++
	}
	// Carve each end node's list from one array, in catalogue order.
	all := make([]int, len(Endpoints))
	off := 0
	for _, n := range ends {
		if n.eps == nil {
			n.eps = all[off : off : off+n.nEps]
			off += n.nEps
		}
	}
	for i, n := range ends {
		n.eps = append(n.eps, i)
	}
	pathIndex = segmentIndex{root: root, n: len(Endpoints)}
	if len(Endpoints) > 0 {
		pathIndex.base = &Endpoints[0]
	}
}

// segmentBuilder hands out the trie's nodes from slabs of 64: a slab is
// never grown, so the pointers into it stay put.
type segmentBuilder struct{ slab []segmentNode }

func (b *segmentBuilder) node(seg string) *segmentNode {
	if len(b.slab) == cap(b.slab) {
		b.slab = make([]segmentNode, 0, 64)
	}
	b.slab = append(b.slab, segmentNode{seg: seg})
	return &b.slab[len(b.slab)-1]
}

func (x *segmentIndex) current() bool {
	return x.root != nil && x.n == len(Endpoints) && (x.n == 0 || x.base == &Endpoints[0])
}

func (b *segmentBuilder) child(n *segmentNode, seg string) *segmentNode {
	if isParam(seg) {
		if n.param == nil {
			n.param = b.node("")
		}
		return n.param
	}
	if c := n.literal(seg); c != nil {
		return c
	}
	c := b.node(seg)
	n.lit = append(n.lit, c)
	return c
}

func (n *segmentNode) literal(seg string) *segmentNode {
	for _, c := range n.lit {
		if c.seg == seg {
			return c
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
