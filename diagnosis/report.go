package diagnosis

import (
	"time"
)

// SchemaVersion is the JSON report's schema version.
const SchemaVersion = 1

// Tool identifies the program.
type Tool struct {
	Name    string
	Version string
}

// RunInfo describes one run of the doctor.
type RunInfo struct {
	ID         string
	StartedAt  time.Time
	FinishedAt time.Time
	Mode       string // "offline", "live", "har" or "proxy"
	ConfigPath string
	// Fingerprint is sha256 of the config with secrets removed ("sha256:…").
	Fingerprint string
	APIURL      string
	AuthURL     string
	ClientID    string
	// APIVersion is the X-API-Version the API answered with, when it did.
	APIVersion string
	// Environment facts for support tickets.
	GoVersion string
	OS        string
	Arch      string
}

// Connection is how one host answered the first probe that reached it.
type Connection struct {
	Host    string
	Latency time.Duration
	// Steps the client timed; zero when not measured (a reused
	// connection has no DNS, connect or TLS step).
	DNS, Connect, TLS, FirstByte time.Duration
	// TLSVersion is "TLS 1.3", or "" for plain http.
	TLSVersion string
	// CertNotAfter is the leaf certificate's expiry; zero for plain http.
	CertNotAfter time.Time
	// CertDaysLeft is the whole days from the run's start to CertNotAfter.
	CertDaysLeft int
	// Proxy is true when HTTPS_PROXY/HTTP_PROXY carried the request.
	Proxy bool
}

// Quota is an endpoint class's rate-limit state as the last answer's
// headers told it.
type Quota struct {
	Class     string
	Limit     int
	Remaining int
	Reset     time.Time
	// Exhausted is true when the class answered 429.
	Exhausted bool
}

// Report is everything a renderer needs.
type Report struct {
	Tool    Tool
	Run     RunInfo
	Results []Result
	// Problems are the results folded by root cause (see Group).
	Problems []Problem
	FailOn   Severity
	ExitCode int
	// Verbose lists passed checks with what they verified (text), and
	// exchanges when live.
	Verbose bool
	// Connections and Quotas are what the live probes learned of the
	// hosts and the rate limits, even when nothing failed.
	Connections []Connection
	Quotas      []Quota
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
func (r *Report) Counts() Counts { return Count(r.Results) }
