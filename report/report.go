// Package report renders a run's results. Each format is one file holding
// one small type with a Render method; renderers know nothing of
// individual checks, only of checks.Result values.
//
// Renderers write plain bytes; the caller passes every byte through the
// one redaction mechanism (internal/redact) before it leaves the process.
package report

import (
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// SchemaVersion is the JSON report's schema version.
const SchemaVersion = 1

// Tool identifies the program.
type Tool struct {
	Name    string
	Version string
}

// Run describes one run of the doctor.
type Run struct {
	ID         string
	StartedAt  time.Time
	FinishedAt time.Time
	Mode       string // "offline" or "live"
	ConfigPath string
	// Fingerprint is sha256 of the config with secrets removed ("sha256:…").
	Fingerprint string
	APIURL      string
	AuthURL     string
	ClientID    string
	// Environment facts for support tickets.
	GoVersion string
	OS        string
	Arch      string
}

// Report is everything a renderer needs.
type Report struct {
	Tool     Tool
	Run      Run
	Results  []checks.Result
	FailOn   checks.Severity
	ExitCode int
	// Verbose lists passed checks with what they verified (text), and
	// exchanges when live.
	Verbose bool
	// Notes are run-level remarks shown after the results (e.g. a waiver
	// that matches no check).
	Notes []string
	// Exchanges are the live probes' request/response transcripts, in the
	// order they finished, secrets masked (filled only with -v).
	Exchanges []string
	// Flow is the OAuth flow a capture or proxy session shows (nil for a
	// config run); Markdown draws it, text lists it as a timeline.
	Flow *Flow
}

// Counts tallies the results.
func (r *Report) Counts() checks.Counts { return checks.Count(r.Results) }

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
	Results []checks.Result
}

// ByGuide groups results by guide entry, in guide order; empty groups are
// left out. Within a group, results keep registry order.
func ByGuide(results []checks.Result) []GuideGroup {
	var out []GuideGroup
	for _, g := range contio.Guide {
		var rs []checks.Result
		for _, r := range results {
			if r.Check.Guide == g.Key {
				rs = append(rs, r)
			}
		}
		if len(rs) > 0 {
			out = append(out, GuideGroup{Entry: g, Results: rs})
		}
	}
	return out
}
