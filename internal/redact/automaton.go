package redact

import "sort"

// automaton is an Aho-Corasick automaton over every registered form of
// every secret: one pass over a text finds them all, whatever their
// number, where a search per secret would read the text once per form.
//
// The trie is stored flat (nodes and their sorted edges in two slices), so
// thousands of rotating tokens cost a few bytes per pattern byte. Matching
// is leftmost-longest: of overlapping forms, the one that starts first
// wins, and of those starting at the same byte the longest, so a padded
// base64 form is replaced whole rather than its unpadded prefix.
type automaton struct {
	nodes  []acNode
	edges  []acEdge // each node's children, sorted by label
	to     []string // replacement of pattern i
	maxLen int      // longest pattern, in bytes
	// root is the root's transitions, dense: most bytes of a text lead
	// back to it, so this is the hot path.
	root [256]int32
}

type acNode struct {
	first, n int32 // edges[first : first+n]
	fail     int32 // longest proper suffix that is also a trie node
	// out is the longest pattern ending at this node (its own, or one
	// reached through fail links), -1 for none; outLen is its length.
	out, outLen int32
}

type acEdge struct {
	label byte
	child int32
}

// buildAutomaton compiles the pairs. Patterns are inserted in sorted
// order, so every node's children come out contiguous and sorted.
func buildAutomaton(pairs []pair) *automaton {
	sorted := make([]int, len(pairs))
	for i := range sorted {
		sorted[i] = i
	}
	sort.Slice(sorted, func(i, j int) bool { return pairs[sorted[i]].from < pairs[sorted[j]].from })
	a := &automaton{to: make([]string, len(pairs))}
	// Build a pointer trie level by level from the sorted list: children
	// of a node are the distinct next bytes of a contiguous run.
	type span struct {
		node   int32
		lo, hi int // sorted[lo:hi] share the node's prefix
		depth  int
	}
	a.nodes = append(a.nodes, acNode{out: -1})
	queue := []span{{0, 0, len(sorted), 0}}
	for len(queue) > 0 {
		sp := queue[0]
		queue = queue[1:]
		lo := sp.lo
		// A pattern that ends here sorts first in its run.
		for lo < sp.hi && len(pairs[sorted[lo]].from) == sp.depth {
			p := sorted[lo]
			a.to[p] = pairs[p].to
			a.nodes[sp.node].out, a.nodes[sp.node].outLen = int32(p), int32(sp.depth)
			if sp.depth > a.maxLen {
				a.maxLen = sp.depth
			}
			lo++
		}
		a.nodes[sp.node].first = int32(len(a.edges))
		for lo < sp.hi {
			c := pairs[sorted[lo]].from[sp.depth]
			hi := lo + 1
			for hi < sp.hi && pairs[sorted[hi]].from[sp.depth] == c {
				hi++
			}
			child := int32(len(a.nodes))
			a.nodes = append(a.nodes, acNode{out: -1})
			a.edges = append(a.edges, acEdge{c, child})
			a.nodes[sp.node].n++
			queue = append(queue, span{child, lo, hi, sp.depth + 1})
			lo = hi
		}
	}
	for c := range a.root {
		a.root[c] = max(a.child(0, byte(c)), 0)
	}
	// The spans were visited breadth first, so node ids are in BFS order:
	// a node's fail target always has a smaller id and is already done.
	for v := range a.nodes {
		nd := a.nodes[v]
		for _, e := range a.edges[nd.first : nd.first+nd.n] {
			f := int32(0)
			if v != 0 {
				f = a.step(nd.fail, e.label)
			}
			c := &a.nodes[e.child]
			c.fail = f
			if c.out < 0 {
				c.out, c.outLen = a.nodes[f].out, a.nodes[f].outLen
			}
		}
	}
	return a
}

// child is the node reached from v by c, or -1.
func (a *automaton) child(v int32, c byte) int32 {
	nd := &a.nodes[v]
	es := a.edges[nd.first : nd.first+nd.n]
	lo, hi := 0, len(es)
	for lo < hi {
		m := (lo + hi) / 2
		switch {
		case es[m].label == c:
			return es[m].child
		case es[m].label < c:
			lo = m + 1
		default:
			hi = m
		}
	}
	return -1
}

// step is the automaton's transition: the child by c, else the fail
// chain's, else the root.
func (a *automaton) step(v int32, c byte) int32 {
	for {
		if v == 0 {
			return a.root[c]
		}
		if ch := a.child(v, c); ch >= 0 {
			return ch
		}
		v = a.nodes[v].fail
	}
}

// match is one occurrence of pattern p at text[start:end].
type match struct {
	start, end, p int
}

// next finds the leftmost-longest match in text at or after from; ok is
// false when there is none. final says text is the whole input: without
// it a match that could still grow past the end of text is not reported
// (pending is then the earliest offset such a match could start at, or
// len(text) when nothing is pending).
func (a *automaton) next(text []byte, from int, final bool) (m match, ok bool, pending int) {
	var v int32
	best := match{start: -1}
	for i := from; i < len(text); i++ {
		v = a.step(v, text[i])
		if out := a.nodes[v].out; out >= 0 {
			start := i + 1 - int(a.nodes[v].outLen)
			if best.start < 0 || start < best.start || start == best.start && i+1 > best.end {
				best = match{start, i + 1, int(out)}
			}
		}
		// No match can start at or before best.start once the scan is a
		// full pattern length past it.
		if best.start >= 0 && i+1 >= best.start+a.maxLen {
			return best, true, 0
		}
	}
	if best.start >= 0 && (final || len(text) >= best.start+a.maxLen) {
		return best, true, 0
	}
	if best.start >= 0 {
		return match{}, false, best.start
	}
	return match{}, false, max(len(text)-(a.maxLen-1), from)
}

// replace returns text with every match replaced, or text itself when
// nothing matched.
func (a *automaton) replace(text []byte) []byte {
	if a == nil || len(a.to) == 0 {
		return text
	}
	var out []byte
	last := 0
	for from := 0; from < len(text); {
		m, ok, _ := a.next(text, from, true)
		if !ok {
			break
		}
		if out == nil {
			out = make([]byte, 0, len(text))
		}
		out = append(out, text[last:m.start]...)
		out = append(out, a.to[m.p]...)
		last, from = m.end, m.end
	}
	if out == nil {
		return text
	}
	return append(out, text[last:]...)
}
