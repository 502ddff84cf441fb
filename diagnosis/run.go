package diagnosis

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/url"
	"runtime"
	"sort"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
	"github.com/Contio-AI/contio-doctor/internal/redact"
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
	// Only and Skip select checks by ID or name (empty Only: all).
	Only, Skip []string
	// Timeout bounds each check; 0 means 10 s. Probes get a shorter
	// deadline of their own (see probe.Options.Timeout), so a hung host
	// is reported as such before the runner gives up on the check.
	Timeout time.Duration
	FailOn  Severity
	// Probe is the live run's client; nil runs offline.
	Probe        *probe.Client
	ProbeWebhook bool
	Verbose      bool
	// Capture says where observed traffic came from (SourceHAR,
	// SourceProxy); "" for a config run.
	Capture Source
	// Clock is the run's clock; nil means time.Now.
	Clock func() time.Time
	// RunID is the run's identifier; "" means a random one.
	RunID string
	// Redactor is the caller's redactor for ig, reused for the config
	// fingerprint; nil builds one (building it is a third of a cold start's
	// own work, so the commands build it once).
	Redactor *redact.Redactor
	// Stuck is called when an offline check outlives Timeout (see
	// RunnerOptions.Stuck); nil waits for the check.
	Stuck func(id string, after time.Duration)
}

// Run executes the selected checks against ig, folds their findings into
// problems and decides the exit code.
func Run(ctx context.Context, ig *integration.Integration, opts Options) (*Report, error) {
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	list, err := Select(All(), opts.Only, opts.Skip)
	if err != nil {
		return nil, err
	}
	if len(opts.Only) == 0 {
		// Checks that read traffic or source have nothing to say about a
		// run without them: listing them as skipped every time is noise.
		kept := list[:0:0]
		for _, c := range list {
			if (c.Needs&NeedsCapture == 0 || ig.Capture != nil) && (c.Needs&NeedsSource == 0 || ig.Code != nil) {
				kept = append(kept, c)
			}
		}
		list = kept
	}
	started := clock()
	in := &Input{
		Integration:  ig,
		Now:          started,
		Probe:        opts.Probe,
		ProbeWebhook: opts.ProbeWebhook,
	}
	results := RunChecks(ctx, list, in, RunnerOptions{CheckTimeout: opts.Timeout, Clock: clock, Stuck: opts.Stuck})
	unmatched := ApplyWaivers(results, ig.Ignore, started)
	problems := Group(results, opts.Capture)

	mode := "offline"
	if opts.Probe != nil {
		mode = "live"
	}
	id := opts.RunID
	if id == "" {
		id = newRunID()
	}
	rep := &Report{
		Tool: Tool{Name: "contio-doctor", Version: ToolVersion()},
		Run: RunInfo{
			ID:          id,
			StartedAt:   started.UTC(),
			FinishedAt:  clock().UTC(),
			Mode:        mode,
			ConfigPath:  ig.ConfigPath,
			Fingerprint: fingerprint(ig, opts.Redactor),
			APIURL:      ig.APIURL.Raw,
			AuthURL:     ig.AuthURL.Raw,
			ClientID:    ig.OAuth.ClientID.Raw,
			GoVersion:   runtime.Version(),
			OS:          runtime.GOOS,
			Arch:        runtime.GOARCH,
		},
		Results:  results,
		Problems: problems,
		FailOn:   opts.FailOn,
		Verbose:  opts.Verbose,
	}
	for _, w := range unmatched {
		at := w.At.String()
		if at != "" {
			at += ": "
		}
		rep.Notes = append(rep.Notes, fmt.Sprintf("%swaiver for %q matches no check; remove it or fix the ID", at, w.Check))
	}
	if p := opts.Probe; p != nil {
		rep.Connections = connections(p, started)
		rep.Quotas = quotas(p)
		rep.Run.APIVersion = p.APIVersion()
		if opts.Verbose {
			for _, ex := range p.Exchanges() {
				rep.Exchanges = append(rep.Exchanges, probe.Transcript(ex))
			}
		}
	}
	rep.Flow = BuildFlow(ig, results)
	rep.ExitCode = ExitCode(problems, results, len(unmatched), opts.FailOn)
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
func Fingerprint(ig *integration.Integration) string { return fingerprint(ig, nil) }

// fingerprint is Fingerprint with the run's redactor (nil: build one).
func fingerprint(ig *integration.Integration, red *redact.Redactor) string {
	var src []byte
	if ig.ConfigBytes != nil {
		if red == nil {
			red = Redactor(ig)
		}
		src = red.Bytes(bytes.Clone(ig.ConfigBytes))
	} else {
		src = fmt.Appendf(nil, "env:%s|%s|%s|%s", ig.APIURL.Raw, ig.AuthURL.Raw, ig.OAuth.ClientID.Raw, ig.OAuth.RedirectURI.Raw)
	}
	sum := sha256.Sum256(src)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// newRunID names a run. It only has to tell runs apart, so it comes from
// the runtime's generator rather than the operating system's: the first
// crypto/rand read costs a cold process more than the rest of the run's
// bookkeeping.
func newRunID() string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], rand.Uint64())
	return hex.EncodeToString(b[:])
}

// quotas lists each class's quota as the last answer's headers told it.
func quotas(p *probe.Client) []Quota {
	var out []Quota
	for _, rl := range p.RateLimits() {
		if rl.Limit <= 0 && !rl.Hit {
			continue
		}
		out = append(out, Quota{Class: string(rl.Class), Limit: rl.Limit, Remaining: rl.Remaining, Reset: rl.Reset, Exhausted: rl.Hit})
	}
	return out
}

// connections describe, per host, the first answered probe: how long each
// step took, TLS version and certificate expiry, and whether a proxy
// carried it. Support reads these before suspecting the API.
func connections(p *probe.Client, now time.Time) []Connection {
	seen := map[string]bool{}
	var out []Connection
	for _, ex := range p.Exchanges() {
		r := ex.Response
		u, err := url.Parse(ex.Request.URL)
		if r == nil || err != nil || seen[u.Host] {
			continue
		}
		seen[u.Host] = true
		t := r.Timing
		c := Connection{Host: u.Host, Latency: r.Latency, DNS: t.DNS, Connect: t.Connect, TLS: t.TLS,
			FirstByte: t.FirstByte, Proxy: t.ProxyUsed}
		if r.TLS != nil {
			c.TLSVersion = tls.VersionName(r.TLS.Version)
			if len(r.TLS.PeerCertificates) > 0 {
				c.CertNotAfter = r.TLS.PeerCertificates[0].NotAfter.UTC()
				c.CertDaysLeft = int(c.CertNotAfter.Sub(now).Hours() / 24)
			}
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Host < out[j].Host })
	return out
}
