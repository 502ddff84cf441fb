package redact

import "sort"

// automaton is an Aho-Corasick automaton over every registered form of
// every secret: one pass over a text finds them all, whatever their
// number, where a search per secret would read the text once per form.
//
// The trie is stored flat in depth-first order, where a node's first
// child is the node after it and the others are chained as siblings: 13
// bytes a node (a node per distinct prefix), so thousands of rotating
// tokens stay small. Matching is leftmost-longest: of overlapping forms,
// the one that starts first wins, and of those starting at the same byte
// the longest, so a padded base64 form is replaced whole rather than its
// unpadded prefix.
type automaton struct {
	label []byte  // the byte on the edge into each node
	fail  []int32 // longest proper suffix that is also a node
	// out is the longest pattern ending at each node (its own, or one
	// reached through fail links), -1 for none.
	out    []int32
	sib    []int32  // next sibling, 0 for none
	hasKid []uint64 // bit v: node v has children (the first is v+1)
	to     []string // replacement of pattern i
	lens   []int32  // length of pattern i
	maxLen int      // longest pattern, in bytes
	// root is the root's transitions, dense: most bytes of a text lead
	// back to it, so this is the hot path.
	root [256]int32
}

// buildAutomaton compiles the pairs.
func buildAutomaton(pairs []pair) *automaton {
	sorted := make([]int, len(pairs))
	for i := range sorted {
		sorted[i] = i
	}
	sort.Slice(sorted, func(i, j int) bool { return pairs[sorted[i]].from < pairs[sorted[j]].from })
	a := &automaton{to: make([]string, len(pairs)), lens: make([]int32, len(pairs))}
	// One node per distinct prefix: in sorted order each pattern adds the
	// bytes past what it shares with the one before. Sized exactly once.
	total := 1
	prev := ""
	for _, i := range sorted {
		p := pairs[i].from
		total += len(p) - lcp(p, prev)
		prev = p
	}
	a.label = make([]byte, 1, total)
	a.fail = make([]int32, 1, total)
	a.out = make([]int32, 1, total)
	a.out[0] = -1
	a.sib = make([]int32, 1, total)
	a.hasKid = make([]uint64, (total+63)/64)
	// stack[d] is the node for prev[:d].
	stack := []int32{0}
	prev = ""
	for _, pi := range sorted {
		p := pairs[pi].from
		l := lcp(p, prev)
		if l == len(p) {
			continue // a duplicate form
		}
		// The node prev had at depth l+1 becomes the new branch's elder
		// sibling.
		var elder int32
		if len(stack) > l+1 {
			elder = stack[l+1]
		}
		stack = stack[:l+1]
		for d := l; d < len(p); d++ {
			v := int32(len(a.label))
			a.label = append(a.label, p[d])
			a.fail = append(a.fail, 0)
			a.out = append(a.out, -1)
			a.sib = append(a.sib, 0)
			parent := stack[d]
			if d == l && elder != 0 {
				a.sib[elder] = v
			} else {
				a.hasKid[parent/64] |= 1 << (parent % 64)
			}
			stack = append(stack, v)
		}
		end := stack[len(p)]
		a.out[end] = int32(pi)
		a.to[pi], a.lens[pi] = pairs[pi].to, int32(len(p))
		a.maxLen = max(a.maxLen, len(p))
		prev = p
	}
	// The root's dense row: its children, every other byte back to 0.
	for k := a.firstKid(0); k > 0; k = a.sib[k] {
		a.root[a.label[k]] = k
	}
	// Fail links breadth first: a node's fail target is shallower, so it
	// is done before the node.
	queue := make([]int32, 0, len(a.label))
	for k := a.firstKid(0); k > 0; k = a.sib[k] {
		queue = append(queue, k)
	}
	for qi := 0; qi < len(queue); qi++ {
		v := queue[qi]
		for k := a.firstKid(v); k > 0; k = a.sib[k] {
			f := a.step(a.fail[v], a.label[k])
			a.fail[k] = f
			if a.out[k] < 0 {
				a.out[k] = a.out[f]
			}
			queue = append(queue, k)
		}
	}
	return a
}

func lcp(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// firstKid is v's first child, or -1.
func (a *automaton) firstKid(v int32) int32 {
	if a.hasKid[v/64]&(1<<(v%64)) == 0 {
		return -1
	}
	return v + 1
}

// child is the node reached from v by c, or -1.
func (a *automaton) child(v int32, c byte) int32 {
	for k := a.firstKid(v); k > 0; k = a.sib[k] {
		switch l := a.label[k]; {
		case l == c:
			return k
		case l > c:
			return -1 // siblings are sorted
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
		v = a.fail[v]
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
		if out := a.out[v]; out >= 0 {
			start := i + 1 - int(a.lens[out])
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
