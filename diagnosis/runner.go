package diagnosis

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// RunnerOptions steer the runner.
type RunnerOptions struct {
	// CheckTimeout bounds each check; 0 means 10 s.
	CheckTimeout time.Duration
	// Parallel bounds concurrency; 0 means one goroutine per check.
	Parallel int
	// Clock returns the run's time; nil means time.Now.
	Clock func() time.Time
	// Stuck, when set, is called once, from another goroutine, when an
	// offline check is still running at the batch's deadline (see
	// runOffline); nil waits for it.
	Stuck func(id string, after time.Duration)
}

// Select returns the checks Only and Skip leave, in registry order, and an
// error naming any selector that matches no check.
func Select(all []*Check, only, skip []string) ([]*Check, error) {
	match := func(c *Check, sel []string) bool {
		for _, s := range sel {
			if strings.EqualFold(s, c.ID) || s == c.Name {
				return true
			}
		}
		return false
	}
	for _, s := range append(append([]string{}, only...), skip...) {
		if _, ok := Lookup(s); !ok {
			if sug := Suggest(s); sug != "" {
				return nil, fmt.Errorf("unknown check %q (did you mean %s?)", s, sug)
			}
			return nil, fmt.Errorf("unknown check %q (run `contio-doctor checks` for the list)", s)
		}
	}
	var out []*Check
	for _, c := range all {
		if len(only) > 0 && !match(c, only) {
			continue
		}
		if match(c, skip) {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

// Run executes checks concurrently and returns one Result per check in the
// order given. A panic in a check becomes that check's error result; the
// others are unaffected.
//
// Network checks each run in their own goroutine under their own deadline.
// Offline checks take microseconds, so a goroutine, timer and channel
// apiece would cost more than the checks themselves: they run in turn on
// the calling goroutine under one deadline shared by the batch (see
// runOffline).
//
// Network checks run only when in.Probe is set (a live run).
func RunChecks(ctx context.Context, list []*Check, in *Input, opts RunnerOptions) []Result {
	timeout := opts.CheckTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	if in.facts == nil {
		in.facts = newFactStore()
	}
	results := make([]Result, len(list))
	var sem chan struct{}
	if opts.Parallel > 0 {
		sem = make(chan struct{}, opts.Parallel)
	}
	// Two phases: ordinary checks concurrently, then the late ones.
	for _, late := range []bool{false, true} {
		var wg sync.WaitGroup
		var offline []int
		for i, c := range list {
			if c.Late != late {
				continue
			}
			if r, skip := precheck(c, in); skip {
				results[i] = r
				continue
			}
			if c.Needs&NeedsNetwork == 0 {
				offline = append(offline, i)
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if sem != nil {
					sem <- struct{}{}
					defer func() { <-sem }()
				}
				results[i] = runOne(ctx, c, in, timeout, clock)
			}()
		}
		runOffline(ctx, list, offline, results, in, timeout, clock, sem, opts.Stuck)
		wg.Wait()
	}
	return results
}

// runOffline runs the checks list[idx] one after another on the calling
// goroutine, under one deadline shared by the batch, and stores their
// results.
//
// Offline checks take microseconds. Run in turn they cost less than a
// worker pool did: its goroutines' stacks, their growth and the threads
// woken to run them were a tenth of a cold start. The trade-off is that a
// check which ignores its context cannot be abandoned. At the deadline the
// runner calls stuck, when set, from the timer's goroutine with the
// running check's ID (the command line ends the process there, naming the
// check); without stuck it waits. A check that returns after the deadline
// is reported as not finished in time, and the checks after it as not
// started.
func runOffline(parent context.Context, list []*Check, idx []int, results []Result, in *Input,
	timeout time.Duration, clock func() time.Time, sem chan struct{}, stuck func(id string, after time.Duration)) {
	if len(idx) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	var running atomic.Pointer[Check]
	if stuck != nil {
		stop := context.AfterFunc(ctx, func() {
			if c := running.Load(); c != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
				stuck(c.ID, timeout)
			}
		})
		defer stop()
	}
	for n, i := range idx {
		if err := ctx.Err(); err != nil {
			for _, j := range idx[n:] {
				results[j] = result(list[j], outcome{err: notStarted(err, timeout)}, 0)
			}
			return
		}
		c := list[i]
		if sem != nil {
			sem <- struct{}{}
		}
		running.Store(c)
		start := clock()
		o := execute(ctx, c, in)
		running.Store(nil)
		if sem != nil {
			<-sem
		}
		if err := ctx.Err(); errors.Is(err, context.DeadlineExceeded) {
			o = outcome{err: fmt.Errorf("did not finish within %s: %w", timeout, err)}
		}
		results[i] = result(c, o, clock().Sub(start))
	}
}

// notStarted is the error of an offline check the batch never reached.
func notStarted(err error, timeout time.Duration) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("not started within %s: the checks before it used the time: %w", timeout, err)
	}
	return fmt.Errorf("not run: %w", err)
}

// precheck turns unmet Needs into a skip without running the check.
func precheck(c *Check, in *Input) (Result, bool) {
	skip := func(reason, enable string) (Result, bool) {
		return Result{Check: c, Status: StatusSkip, SkipReason: reason, Enable: enable}, true
	}
	ig := in.Integration
	if c.Needs&NeedsNetwork != 0 && !in.Live() {
		if ig.Capture != nil {
			return skip("a capture is read, not probed", "run `contio-doctor run` with a config to probe the API")
		}
		return skip("offline run", "run without --offline to probe the API")
	}
	if c.Needs&NeedsClientSecret != 0 && (ig.OAuth.ClientID.Empty() || ig.OAuth.ClientSecret.Empty()) {
		return skip("no client credentials configured", "set oauth.client_id and oauth.client_secret")
	}
	if c.Needs&NeedsAccessToken != 0 && ig.Tokens.AccessToken.Empty() {
		return skip("no access token configured", "set tokens.access_token (or CONTIO_ACCESS_TOKEN)")
	}
	if c.Needs&NeedsRefreshToken != 0 && ig.Tokens.RefreshToken.Empty() {
		return skip("no refresh token configured", "set tokens.refresh_token (or CONTIO_REFRESH_TOKEN)")
	}
	if c.Needs&NeedsAPIKey != 0 && ig.Admin.APIKey.Empty() {
		return skip("no API key configured", "set admin.api_key (or CONTIO_API_KEY)")
	}
	if c.Needs&NeedsWebhook != 0 && ig.Webhooks.URL.Empty() {
		return skip("no webhook URL configured", "set webhooks.url")
	}
	if c.Needs&NeedsWebhookProbe != 0 && !(ig.Webhooks.Probe || in.ProbeWebhook) {
		return skip("sends test deliveries to your server; not enabled", "set webhooks.probe: true or pass --probe-webhook")
	}
	if c.Needs&NeedsCapture != 0 && ig.Capture == nil {
		return skip("reads traffic from a HAR capture", "run `contio-doctor har FILE.har` on a capture of the app's traffic")
	}
	if c.Needs&NeedsSource != 0 && ig.Code == nil {
		return skip("reads the partner's source code", "run `contio-doctor scan PATH` or add --scan PATH")
	}
	if c.Needs&NeedsCalls != 0 && len(ig.Calls) == 0 {
		return skip("no calls declared", "list the requests your code makes under calls")
	}
	return Result{}, false
}

func runOne(parent context.Context, c *Check, in *Input, timeout time.Duration, clock func() time.Time) Result {
	start := clock()
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()

	done := make(chan outcome, 1)
	go func() { done <- execute(ctx, c, in) }()

	var out outcome
	select {
	case out = <-done:
	case <-ctx.Done():
		out = outcome{err: fmt.Errorf("did not finish within %s: %w", timeout, ctx.Err())}
	}
	return result(c, out, clock().Sub(start))
}

// outcome is what one call of a check's Run returned.
type outcome struct {
	findings []Finding
	err      error
}

// execute calls c.Run with an Input scoped to c's declared facts, turning
// a panic into an error outcome.
func execute(ctx context.Context, c *Check, shared *Input) (out outcome) {
	in := *shared
	in.scope, in.owner = c.Requires, c.ID
	defer func() {
		if p := recover(); p != nil {
			// The panic value and stack may hold input values; the
			// report passes every byte through redaction.
			out = outcome{err: fmt.Errorf("internal error: check panicked: %v\n%s", p, firstFrames(debug.Stack()))}
		}
	}()
	f, err := c.Run(ctx, &in)
	return outcome{f, err}
}

// result turns an outcome into c's Result.
func result(c *Check, out outcome, took time.Duration) Result {
	res := Result{Check: c, Duration: took}
	var found *FoundError
	if errors.As(out.err, &found) {
		out = outcome{findings: append(out.findings, found.Findings...)}
	}
	if out.err != nil {
		if b, ok := AsBlocker(out.err); ok {
			res.Status, res.SkipReason, res.BlockedBy = StatusSkip, b.Reason, b
			return res
		}
		if s, ok := IsSkip(out.err); ok {
			res.Status, res.SkipReason, res.Enable = StatusSkip, s.Reason, s.Enable
			return res
		}
		res.Status = StatusError
		res.Err = out.err.Error()
		return res
	}
	if len(out.findings) == 0 {
		res.Status = StatusPass
		return res
	}
	res.Status = StatusFail
	res.Findings = make([]Finding, len(out.findings))
	for i, f := range out.findings {
		res.Findings[i] = Complete(c, f)
		res.Severity = max(res.Severity, res.Findings[i].Severity)
	}
	return res
}

// Complete fills a finding's empty texts from its check.
func Complete(c *Check, f Finding) Finding {
	if f.Severity == SeverityNone {
		f.Severity = c.Severity
	}
	if f.Symptom == "" {
		f.Symptom = c.Symptom
	}
	if f.Cause == "" {
		f.Cause = c.Cause
	}
	if f.Fix == "" {
		f.Fix = c.Fix
	}
	if f.Message == "" {
		f.Message = c.Title
	}
	return f
}

// firstFrames keeps the panic's own frames, enough to locate it.
func firstFrames(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	if len(lines) > 12 {
		lines = lines[:12]
	}
	return strings.Join(lines, "\n")
}

// ApplyWaivers marks results matched by an unexpired waiver as waived.
// An expired waiver leaves the result as it is and records the expiry.
// It returns the waivers that matched no check, for a warning.
func ApplyWaivers(results []Result, waivers []integration.Waiver, now time.Time) (unmatched []integration.Waiver) {
	for _, w := range waivers {
		matched := false
		for i := range results {
			c := results[i].Check
			if !strings.EqualFold(w.Check, c.ID) && w.Check != c.Name {
				continue
			}
			matched = true
			w := w
			results[i].Waiver = &w
			if !w.Until.IsZero() && now.After(w.Until) {
				results[i].WaiverExpired = true
				continue
			}
			if results[i].Status == StatusFail {
				results[i].Status = StatusWaived
			}
		}
		if !matched {
			if _, known := Lookup(w.Check); !known {
				unmatched = append(unmatched, w)
			}
		}
	}
	return unmatched
}

// Counts tallies results by status.
type Counts struct {
	Pass, Fail, Skip, Error, Waived int
}

// Count tallies results.
func Count(results []Result) Counts {
	var c Counts
	for _, r := range results {
		switch r.Status {
		case StatusPass:
			c.Pass++
		case StatusFail:
			c.Fail++
		case StatusSkip:
			c.Skip++
		case StatusError:
			c.Error++
		case StatusWaived:
			c.Waived++
		}
	}
	return c
}

// ExitCode is the exit policy, decided here and nowhere else: 1 when a
// problem is at or above failOn or a check could not decide (an error
// result counts as error severity), or when waivers match no check and
// failOn is warning or lower (a stale waiver is a warning); else 0.
// SeverityNone (never) always gives 0. The format a report is written in
// plays no part.
func ExitCode(problems []Problem, results []Result, unmatchedWaivers int, failOn Severity) int {
	if failOn == SeverityNone {
		return 0
	}
	if unmatchedWaivers > 0 && failOn <= SeverityWarning {
		return 1
	}
	for _, p := range problems {
		if p.Severity >= failOn {
			return 1
		}
	}
	for _, r := range results {
		if r.Status == StatusError {
			return 1
		}
	}
	return 0
}
