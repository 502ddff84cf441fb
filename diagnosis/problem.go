package diagnosis

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// Root names one root cause: Kind says what sort of mistake it is
// ("redirect_uri", "scope_unknown", "network"), Subject which instance
// (the URI, the scope, the step). Findings from any check and any source
// that name the same Root are one problem.
type Root struct {
	Kind    string
	Subject string
}

// IsZero reports whether r names no root cause.
func (r Root) IsZero() bool { return r.Kind == "" }

// String is "kind:subject".
func (r Root) String() string {
	if r.Subject == "" {
		return r.Kind
	}
	return r.Kind + ":" + r.Subject
}

// Source says where a piece of evidence was seen.
type Source string

// Sources of evidence.
const (
	SourceOffline Source = "offline"
	SourceLive    Source = "live"
	SourceHAR     Source = "har"
	SourceProxy   Source = "proxy"
	SourceScan    Source = "scan"
)

// Evidence is one finding as a problem shows it.
type Evidence struct {
	Source    Source
	Check     string
	Severity  Severity
	Message   string
	Evidence  string
	Location  integration.Source
	RequestID string
}

// Problem is one root cause with everything that shows it: the offline
// claim, the live confirmation, the traffic observation, each with its
// location and request_id, and one symptom / cause / fix.
type Problem struct {
	// ID is "P1", "P2"… in report order.
	ID       string
	Root     Root
	Guide    contio.GuideKey
	Severity Severity
	// Title, Message, Symptom, Cause, Fix and Commands are those of the
	// primary finding: the most severe, the first in registry order.
	Title    string
	Message  string
	Symptom  string
	Cause    string
	Fix      string
	Commands []string
	// Checks are the IDs of the checks whose findings are evidence, in
	// registry order; Blocked those that could not run because of it.
	Checks   []string
	Blocked  []string
	Evidence []Evidence
}

// RequestIDs lists the request_ids of the evidence, once each.
func (p *Problem) RequestIDs() []string {
	var out []string
	for _, e := range p.Evidence {
		if e.RequestID != "" && !slices.Contains(out, e.RequestID) {
			out = append(out, e.RequestID)
		}
	}
	return out
}

// Group folds failing results into problems, one per root cause, and sets
// each result's Problem. Waived results and passes are no evidence. A skip
// blocked by a root cause is listed under that problem; when no finding
// names that root (its check was not selected) the blocker's own finding
// makes the problem. Problems are ordered by guide entry, then by their
// first evidence's position in the results; IDs follow that order.
func Group(results []Result, capture Source) []Problem {
	type acc struct {
		p       Problem
		primary int // index into evidence of the primary finding
		first   int // first result index, for ordering
		rank    Severity
	}
	var order []Root
	byRoot := map[Root]*acc{}
	get := func(root Root, i int) *acc {
		a, ok := byRoot[root]
		if !ok {
			a = &acc{p: Problem{Root: root}, primary: -1, first: i}
			byRoot[root] = a
			order = append(order, root)
		}
		return a
	}
	adopt := func(a *acc, c *Check, f Finding) {
		a.p.Guide = cmp.Or(f.Guide, c.Guide)
		a.p.Severity, a.rank = f.Severity, f.Severity
		a.p.Title, a.p.Message = c.Title, f.Message
		a.p.Symptom, a.p.Cause, a.p.Fix, a.p.Commands = f.Symptom, f.Cause, f.Fix, f.Commands
	}
	for i := range results {
		r := &results[i]
		if r.Status != StatusFail {
			continue
		}
		for _, f := range r.Findings {
			root := f.Root
			if root.IsZero() {
				root = Root{Kind: "check", Subject: r.Check.ID}
			}
			a := get(root, i)
			a.p.Evidence = append(a.p.Evidence, Evidence{
				Source: sourceOf(r.Check, capture), Check: r.Check.ID, Severity: f.Severity,
				Message: f.Message, Evidence: f.Evidence, Location: f.Location, RequestID: f.RequestID,
			})
			if !slices.Contains(a.p.Checks, r.Check.ID) {
				a.p.Checks = append(a.p.Checks, r.Check.ID)
			}
			if a.primary < 0 || f.Severity > a.rank {
				a.primary = len(a.p.Evidence) - 1
				adopt(a, r.Check, f)
			}
		}
	}
	for i := range results {
		r := &results[i]
		b := r.BlockedBy
		if r.Status != StatusSkip || b == nil {
			continue
		}
		a := get(b.Root, i)
		if a.primary < 0 {
			// The reporting check did not run: the blocker speaks for it.
			c, ok := Lookup(b.Check)
			if !ok {
				c = r.Check // its texts stand in; it is still only blocked
			}
			f := Complete(c, b.Finding)
			a.primary = 0
			adopt(a, c, f)
			a.p.Evidence = append(a.p.Evidence, Evidence{Source: sourceOf(c, capture), Check: b.Check,
				Severity: f.Severity, Message: f.Message, Evidence: f.Evidence, Location: f.Location, RequestID: f.RequestID})
			if ok && !slices.Contains(a.p.Checks, c.ID) {
				a.p.Checks = append(a.p.Checks, c.ID)
			}
		}
		if !slices.Contains(a.p.Blocked, r.Check.ID) && !slices.Contains(a.p.Checks, r.Check.ID) {
			a.p.Blocked = append(a.p.Blocked, r.Check.ID)
		}
	}
	out := make([]Problem, 0, len(order))
	firsts := make([]int, 0, len(order))
	for _, root := range order {
		a := byRoot[root]
		out = append(out, a.p)
		firsts = append(firsts, a.first)
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		if c := cmp.Compare(guideRank(out[x].Guide), guideRank(out[y].Guide)); c != 0 {
			return c
		}
		return cmp.Compare(firsts[x], firsts[y])
	})
	sorted := make([]Problem, len(out))
	ids := map[Root]string{}
	for k, i := range idx {
		sorted[k] = out[i]
		sorted[k].ID = fmt.Sprintf("P%d", k+1)
		ids[sorted[k].Root] = sorted[k].ID
	}
	for i := range results {
		r := &results[i]
		switch {
		case r.Status == StatusFail && len(r.Findings) > 0:
			root := r.Findings[0].Root
			if root.IsZero() {
				root = Root{Kind: "check", Subject: r.Check.ID}
			}
			r.Problem = ids[root]
		case r.Status == StatusSkip && r.BlockedBy != nil:
			r.Problem = ids[r.BlockedBy.Root]
		}
	}
	return sorted
}

// guideRank orders guide entries as the guide does; checks beyond the
// guide come last.
func guideRank(k contio.GuideKey) int {
	for i, g := range contio.Guide {
		if g.Key == k {
			if k == contio.GuideNone {
				return len(contio.Guide)
			}
			return i
		}
	}
	return len(contio.Guide) + 1
}

// sourceOf says where a check's evidence comes from: network checks probe
// live; the rest read the config, or the capture in a HAR or proxy run.
func sourceOf(c *Check, capture Source) Source {
	switch {
	case c.Needs&NeedsNetwork != 0:
		return SourceLive
	case c.Needs&NeedsSource != 0:
		return SourceScan
	case c.Needs&NeedsCapture != 0 || capture != "":
		return cmp.Or(capture, SourceHAR)
	}
	return SourceOffline
}
