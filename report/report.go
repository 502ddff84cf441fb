// Package report renders a run's results. Each format is one file holding
// one small type with a Render method; renderers know nothing of
// individual checks, only of the engine's Report (package diagnosis).
//
// Renderers write plain bytes; the caller passes every byte through the
// one redaction mechanism (internal/redact) before it leaves the process.
package report

import (
	"fmt"
	"io"
	"sort"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/redact"
)

// Report is the engine's report, as every renderer reads it.
type Report = diagnosis.Report

// SchemaVersion is the JSON report's schema version.
const SchemaVersion = diagnosis.SchemaVersion

// Renderer writes one format.
type Renderer interface {
	Render(w io.Writer, r *Report) error
}

// Formats maps --format names to renderers. Formats register themselves
// from their own files.
var formats = map[string]func(Options) Renderer{}

// Options are presentation settings that only the text renderer uses.
type Options struct {
	Color bool
	ASCII bool
	// Width is the terminal width; 0 means 100.
	Width int
}

// For returns the renderer for a format name.
func For(name string, opts Options) (Renderer, error) {
	f, ok := formats[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (want one of %v)", name, FormatNames())
	}
	return f(opts), nil
}

// FormatNames lists the known formats in a stable order.
func FormatNames() []string {
	var out []string
	for k := range formats {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// GuideGroup is the results of one guide entry, for grouped renderers.
type GuideGroup struct {
	Entry   contio.GuideEntry
	Results []diagnosis.Result
}

// ByGuide groups results by guide entry, in guide order; empty groups are
// left out. Within a group, results keep registry order.
func ByGuide(results []diagnosis.Result) []GuideGroup {
	// One backing array for every group, filled in guide order: the
	// results are copied once rather than grown group by group.
	order := guideOrder(results)
	all := make([]diagnosis.Result, len(order))
	for k, i := range order {
		all[k] = results[i]
	}
	var out []GuideGroup
	start := 0
	for _, g := range contio.Guide {
		end := start
		for end < len(all) && all[end].Check.Guide == g.Key {
			end++
		}
		if end > start {
			out = append(out, GuideGroup{Entry: g, Results: all[start:end:end]})
		}
		start = end
	}
	return out
}

// guideOrder lists the indexes of the results that belong to a guide entry,
// in guide order and, within an entry, in the order given.
func guideOrder(results []diagnosis.Result) []int {
	order := make([]int, 0, len(results))
	for _, g := range contio.Guide {
		for i := range results {
			if results[i].Check.Guide == g.Key {
				order = append(order, i)
			}
		}
	}
	return order
}

// problemOf is the problem a finding of res is evidence of, or nil.
func problemOf(r *Report, res diagnosis.Result, f diagnosis.Finding) *diagnosis.Problem {
	root := f.Root
	if root.IsZero() {
		root = diagnosis.Root{Kind: "check", Subject: res.Check.ID}
	}
	for i := range r.Problems {
		if r.Problems[i].Root == root {
			return &r.Problems[i]
		}
	}
	return nil
}

// Write renders rep in format to w, through the redactor.
func Write(w io.Writer, rep *Report, format string, ropts Options, red *redact.Redactor) error {
	r, err := For(format, ropts)
	if err != nil {
		return err
	}
	rw := red.Writer(w)
	// Redact values before rendering too: a renderer's escaping (XML,
	// workflow commands, Markdown) would hide a secret from the writer.
	if err := r.Render(rw, rep.Redacted(red.String)); err != nil {
		return red.Error(err)
	}
	return rw.Close()
}
