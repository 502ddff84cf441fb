// Package doctor wires one run: config → Integration → checks → report.
// The commands (run, demo, har) share it so that they behave alike.
package doctor

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
	"github.com/Contio-AI/contio-doctor/internal/redact"
	"github.com/Contio-AI/contio-doctor/report"
)

// Version is the tool's version, set at build time with -ldflags.
var Version = "dev"

// Exit codes (DESIGN.md).
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitUsage    = 2
	ExitInternal = 3
)

// Options steer one run.
type Options struct {
	Checks       checks.Options
	FailOn       checks.Severity
	Live         bool
	ProbeWebhook bool
	Verbose      bool
	// Clock is the run's clock; nil means time.Now.
	Clock func() time.Time
	// RunID is the run's identifier; "" means a random one.
	RunID string
	// Shared is handed to live checks (the probe client and its cache).
	Shared any
}

// Run executes the selected checks against ig and returns the report.
func Run(ctx context.Context, ig *integration.Integration, opts Options) (*report.Report, error) {
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	list, err := checks.Select(checks.All(), opts.Checks.Only, opts.Checks.Skip)
	if err != nil {
		return nil, err
	}
	if (ig.Capture == nil || ig.Code == nil) && len(opts.Checks.Only) == 0 {
		// Checks that read traffic or source have nothing to say about a
		// config: listing them as skipped in every config run is noise.
		kept := list[:0:0]
		for _, c := range list {
			if !(c.Needs&checks.NeedsCapture != 0 && ig.Capture == nil) && !(c.Needs&checks.NeedsSource != 0 && ig.Code == nil) {
				kept = append(kept, c)
			}
		}
		list = kept
	}
	started := clock()
	in := &checks.Input{
		Integration:  ig,
		Now:          started,
		Live:         opts.Live,
		ProbeWebhook: opts.ProbeWebhook,
		Shared:       opts.Shared,
	}
	copts := opts.Checks
	copts.Offline = !opts.Live
	copts.Clock = clock
	results := checks.Run(ctx, list, in, copts)
	unmatched := checks.ApplyWaivers(results, ig.Ignore, started)

	mode := "offline"
	if opts.Live {
		mode = "live"
	}
	id := opts.RunID
	if id == "" {
		id = newRunID()
	}
	rep := &report.Report{
		Tool: report.Tool{Name: "contio-doctor", Version: Version},
		Run: report.Run{
			ID:          id,
			StartedAt:   started.UTC(),
			FinishedAt:  clock().UTC(),
			Mode:        mode,
			ConfigPath:  ig.ConfigPath,
			Fingerprint: Fingerprint(ig),
			APIURL:      ig.APIURL.Raw,
			AuthURL:     ig.AuthURL.Raw,
			ClientID:    ig.OAuth.ClientID.Raw,
			GoVersion:   runtime.Version(),
			OS:          runtime.GOOS,
			Arch:        runtime.GOARCH,
		},
		Results: results,
		FailOn:  opts.FailOn,
		Verbose: opts.Verbose,
	}
	for _, w := range unmatched {
		at := w.At.String()
		if at != "" {
			at += ": "
		}
		rep.Notes = append(rep.Notes, fmt.Sprintf("%swaiver for %q matches no check; remove it or fix the ID", at, w.Check))
	}
	if l, ok := opts.Shared.(*checks.Live); ok && l != nil {
		rep.Notes = append(rep.Notes, connectionNotes(l.Probe, started)...)
		rep.Notes = append(rep.Notes, quotaNotes(l.Probe)...)
		if opts.Verbose {
			for _, ex := range l.Probe.Exchanges() {
				rep.Exchanges = append(rep.Exchanges, probe.Transcript(ex))
			}
		}
	}
	rep.ExitCode = checks.ExitCode(results, opts.FailOn)
	if len(unmatched) > 0 && opts.FailOn != checks.SeverityNone && opts.FailOn <= checks.SeverityWarning {
		rep.ExitCode = ExitFindings
	}
	return rep, nil
}

// Redactor returns the redactor for everything derived from ig.
func Redactor(ig *integration.Integration) *redact.Redactor {
	r := redact.New()
	if ig == nil {
		return r
	}
	for _, s := range ig.Secrets() {
		r.Add(s.Value.Raw)
	}
	if sec := ig.OAuth.ClientSecret.Raw; sec != "" {
		r.AddPair(ig.OAuth.ClientID.Raw, sec)
	}
	return r
}

// Fingerprint hashes the config with secrets removed, so support can tell
// whether two reports came from the same configuration.
func Fingerprint(ig *integration.Integration) string {
	var src []byte
	if ig.ConfigBytes != nil {
		src = Redactor(ig).Bytes(bytes.Clone(ig.ConfigBytes))
	} else {
		src = fmt.Appendf(nil, "env:%s|%s|%s|%s", ig.APIURL.Raw, ig.AuthURL.Raw, ig.OAuth.ClientID.Raw, ig.OAuth.RedirectURI.Raw)
	}
	sum := sha256.Sum256(src)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func newRunID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Write renders rep in format to w, through the redactor.
func Write(w io.Writer, rep *report.Report, format string, ropts report.Options, red *redact.Redactor) error {
	r, err := report.For(format, ropts)
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

// quotaNotes says how much rate-limit quota each endpoint class had left
// when the probes finished, so a support engineer sees the headroom even
// when nothing failed.
func quotaNotes(p *probe.Client) []string {
	var out []string
	for _, rl := range p.RateLimits() {
		if rl.Limit <= 0 || rl.Remaining < 0 || rl.Hit {
			continue // a 429 is CD5501's finding, not a note
		}
		out = append(out, fmt.Sprintf("rate limit, %s endpoints: %d of %d requests left in the current window (resets %s)",
			rl.Class, rl.Remaining, rl.Limit, rl.ResetString()))
	}
	return out
}

// connectionNotes describe, per host, the first answered probe: how long
// each step took, TLS version and certificate expiry, and whether a proxy
// carried it. Support reads these before suspecting the API.
func connectionNotes(p *probe.Client, now time.Time) []string {
	seen := map[string]bool{}
	var out []string
	for _, ex := range p.Exchanges() {
		r := ex.Response
		u, err := url.Parse(ex.Request.URL)
		if r == nil || err != nil || seen[u.Host] {
			continue
		}
		seen[u.Host] = true
		t := r.Timing
		var steps []string
		for _, st := range []struct {
			name string
			d    time.Duration
		}{{"DNS", t.DNS}, {"connect", t.Connect}, {"TLS handshake", t.TLS}, {"first byte", t.FirstByte}} {
			if st.d > 0 {
				steps = append(steps, st.name+" "+st.d.Round(100*time.Microsecond).String())
			}
		}
		note := fmt.Sprintf("%s answered in %s", u.Host, r.Latency.Round(100*time.Microsecond))
		if len(steps) > 0 {
			note += " (" + strings.Join(steps, ", ") + ")"
		}
		if r.TLS != nil {
			note += "; " + tls.VersionName(r.TLS.Version)
			if len(r.TLS.PeerCertificates) > 0 {
				leaf := r.TLS.PeerCertificates[0]
				note += fmt.Sprintf(", certificate valid until %s (%d days)", leaf.NotAfter.UTC().Format("2006-01-02"), int(leaf.NotAfter.Sub(now).Hours()/24))
			}
		} else {
			note += "; plain http"
		}
		if t.ProxyUsed {
			note += "; through the proxy from HTTPS_PROXY/HTTP_PROXY"
		}
		out = append(out, note)
	}
	sort.Strings(out)
	return out
}
