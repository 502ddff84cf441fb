// Package diagnosis is contio-doctor's engine: what a check is (Check,
// Finding, Result), the registry the catalogue in package checks fills,
// the typed facts checks share (Fact), the runner, waivers, the grouping
// of findings into problems (one per root cause) and the exit policy, and
// the orchestration of one run (Run) into a Report the renderers read.
//
// A check is a documented value (see Check). The catalogue registers each
// at init with Register; the registry is read-only afterwards.
package diagnosis

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
)

// Status is the outcome of one check.
type Status string

// Statuses, from best to worst for display purposes.
const (
	StatusPass   Status = "pass"
	StatusFail   Status = "fail"
	StatusSkip   Status = "skip"
	StatusError  Status = "error"
	StatusWaived Status = "waived"
)

// Severity grades a failing finding.
type Severity int

// Severities, ordered so that a larger value is worse.
const (
	SeverityNone Severity = iota
	SeverityInfo
	SeverityWarning
	SeverityError
)

// String returns the JSON spelling of s.
func (s Severity) String() string {
	switch s {
	case SeverityInfo:
		return "info"
	case SeverityWarning:
		return "warning"
	case SeverityError:
		return "error"
	}
	return ""
}

// ParseSeverity reads "error", "warning", "info" or "never" (SeverityNone,
// meaning no severity fails the run).
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "error":
		return SeverityError, nil
	case "warning":
		return SeverityWarning, nil
	case "info":
		return SeverityInfo, nil
	case "never":
		return SeverityNone, nil
	}
	return SeverityNone, fmt.Errorf("unknown severity %q (want error, warning, info or never)", s)
}

// Needs says what a check needs to run. A check whose needs are not met is
// skipped with the reason and what would enable it.
type Needs uint

// Needs flags.
const (
	// NeedsConfig: only the Integration (an offline check).
	NeedsConfig Needs = 1 << iota
	// NeedsNetwork: live probes; not in --offline runs.
	NeedsNetwork
	// NeedsClientSecret: oauth.client_id and oauth.client_secret.
	NeedsClientSecret
	// NeedsAccessToken: tokens.access_token.
	NeedsAccessToken
	// NeedsRefreshToken: tokens.refresh_token.
	NeedsRefreshToken
	// NeedsAPIKey: admin.api_key.
	NeedsAPIKey
	// NeedsWebhook: webhooks.url.
	NeedsWebhook
	// NeedsWebhookProbe: webhooks.probe: true or --probe-webhook (S3).
	NeedsWebhookProbe
	// NeedsCalls: at least one entry in calls.
	NeedsCalls
	// NeedsCapture: a HAR capture (`contio-doctor har FILE`); config runs
	// skip these checks.
	NeedsCapture
	// NeedsSource: the partner's source code (`contio-doctor scan PATH`
	// or `run --scan PATH`); other runs skip these checks.
	NeedsSource
)

// String lists the flags in words, for `contio-doctor checks`.
func (n Needs) String() string {
	var parts []string
	names := []struct {
		f Needs
		s string
	}{
		{NeedsConfig, "config"}, {NeedsNetwork, "network"}, {NeedsClientSecret, "client secret"},
		{NeedsAccessToken, "access token"}, {NeedsRefreshToken, "refresh token"},
		{NeedsAPIKey, "API key"}, {NeedsWebhook, "webhook URL"}, {NeedsWebhookProbe, "webhook probe opt-in"},
		{NeedsCalls, "calls"},
		{NeedsCapture, "HAR capture"},
		{NeedsSource, "source code"},
	}
	for _, x := range names {
		if n&x.f != 0 {
			parts = append(parts, x.s)
		}
	}
	if len(parts) == 0 {
		return "config"
	}
	out := parts[0]
	for _, p := range parts[1:] {
		out += ", " + p
	}
	return out
}

// Check is one diagnosis. Its text is part of the value: the report,
// `explain`, the README table and SARIF rules all read it from here.
type Check struct {
	// ID is stable and never reused: CD + family digit + three digits.
	ID string
	// Name is kebab-case and unique.
	Name string
	// Guide is the troubleshooting-guide entry, or GuideNone.
	Guide contio.GuideKey
	// Title is one line saying what is wrong when the check fails.
	Title string
	// Symptom, Cause and Fix are the default texts of a finding, in the
	// guide's shape, in our own words.
	Symptom string
	Cause   string
	Fix     string
	// Verifies says, for -v, what a pass proves.
	Verifies string
	// Severity is the default severity of the check's findings.
	Severity Severity
	// Needs lists what the check requires.
	Needs Needs
	// Safety is the probe class: 0 offline, 1 read-only, 2 harmless
	// writes, 3 mints tokens or sends to the partner's server.
	Safety int
	// Late checks run after every other check has finished: they read
	// what the others' probes saw (rate-limit headers, redirects).
	Late bool
	// Requires lists the facts Run reads (Fact.Of). Reading a fact that is
	// not listed here, directly or through another fact, is an error: the
	// dependencies of a check are part of its value, as in go/analysis.
	Requires []Requirement
	// Run performs the check. It returns findings (none: pass) or an error
	// when it could not decide; Skip(...) as the error turns into a skip.
	Run func(ctx context.Context, in *Input) ([]Finding, error)
}

// Input is what a check reads.
type Input struct {
	Integration *integration.Integration
	// Now is the run's clock; checks never call time.Now.
	Now time.Time
	// Probe is the live run's HTTP client (budget, rate limits, exchange
	// log); nil in offline runs, where network checks are skipped.
	Probe *probe.Client
	// ProbeWebhook is true when --probe-webhook was given.
	ProbeWebhook bool

	// facts holds the run's computed facts; scope is what the running
	// check or fact declared it reads.
	facts *factStore
	scope []Requirement
	owner string
}

// Live is true when network checks may run.
func (in *Input) Live() bool { return in.Probe != nil }

// Finding is one thing a check found wrong.
type Finding struct {
	// Severity overrides the check's default when set.
	Severity Severity
	// Guide overrides the check's guide entry when what was seen is filed
	// elsewhere: a live call that answered 429 is rate_limit_exceeded
	// whichever check sent it.
	Guide contio.GuideKey
	// Root names the root cause. Findings with the same root, from any
	// check and any source, are one problem; a finding without one is a
	// problem of its check (all its root-less findings together).
	Root    Root
	Message string
	// Symptom, Cause, Fix default to the check's texts when empty.
	Symptom string
	Cause   string
	Fix     string
	// Commands are shell commands that carry out the fix, apart from prose.
	Commands  []string
	Evidence  string
	Location  integration.Source
	RequestID string
}

// FoundError carries findings up from deep inside a check (a helper that
// saw the endpoint fail): the runner records them as the check's own.
type FoundError struct{ Findings []Finding }

func (e *FoundError) Error() string { return fmt.Sprintf("%d finding(s)", len(e.Findings)) }

// Found returns a FoundError for fs.
func Found(fs ...Finding) error { return &FoundError{Findings: fs} }

// SkipError is returned by a check's Run to skip with a reason.
type SkipError struct {
	Reason string
	// Enable says what would make the check run.
	Enable string
}

func (e *SkipError) Error() string { return "skipped: " + e.Reason }

// Skip returns a SkipError.
func Skip(reason, enable string) error { return &SkipError{Reason: reason, Enable: enable} }

// IsSkip reports whether err asks for a skip, and returns it.
func IsSkip(err error) (*SkipError, bool) {
	var s *SkipError
	ok := errors.As(err, &s)
	return s, ok
}

// Result is the outcome of one check in one run.
type Result struct {
	Check    *Check
	Status   Status
	Severity Severity // the worst finding's severity for fail and waived
	Findings []Finding
	// SkipReason and Enable explain a skip.
	SkipReason string
	Enable     string
	// Err explains an error status.
	Err      string
	Duration time.Duration
	// Waiver is set for a waived result (and for one whose waiver expired).
	Waiver *integration.Waiver
	// WaiverExpired is true when a waiver matched but its until date passed.
	WaiverExpired bool
	// BlockedBy is set on a skip caused by another problem: the check
	// could not run because a prerequisite failed (the host did not
	// answer, the client was rejected, the quota is spent).
	BlockedBy *Blocker
	// Problem is the ID of the problem this result is evidence of, or is
	// blocked by ("P1"); set by Group.
	Problem string
}
