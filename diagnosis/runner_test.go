package diagnosis

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
)

func fakeCheck(id string, run func(context.Context, *Input) ([]Finding, error)) *Check {
	return &Check{ID: id, Name: "fake-" + strings.ToLower(id), Title: "fake " + id, Symptom: "s", Cause: "c", Fix: "f",
		Verifies: "v", Severity: SeverityError, Needs: NeedsConfig, Run: run}
}

func TestRunIsolatesPanicsAndKeepsOrder(t *testing.T) {
	list := []*Check{
		fakeCheck("CD9001", func(context.Context, *Input) ([]Finding, error) {
			time.Sleep(5 * time.Millisecond) // finishes last: order must still be registry order
			return nil, nil
		}),
		fakeCheck("CD9002", func(context.Context, *Input) ([]Finding, error) { panic("boom with secret-canary-0042") }),
		fakeCheck("CD9003", func(context.Context, *Input) ([]Finding, error) {
			return []Finding{{Message: "bad", Severity: SeverityWarning}}, nil
		}),
		fakeCheck("CD9004", func(context.Context, *Input) ([]Finding, error) { return nil, Skip("no token", "set one") }),
		fakeCheck("CD9005", func(context.Context, *Input) ([]Finding, error) { return nil, errors.New("could not decide") }),
	}
	res := RunChecks(context.Background(), list, &Input{Integration: &integration.Integration{}}, RunnerOptions{})
	want := []Status{StatusPass, StatusError, StatusFail, StatusSkip, StatusError}
	for i, r := range res {
		if r.Check != list[i] {
			t.Fatalf("result %d is %s, want %s (registry order)", i, r.Check.ID, list[i].ID)
		}
		if r.Status != want[i] {
			t.Errorf("%s: status %s, want %s", r.Check.ID, r.Status, want[i])
		}
	}
	if !strings.Contains(res[1].Err, "panicked") {
		t.Errorf("panic result error = %q", res[1].Err)
	}
	if f := res[2].Findings[0]; f.Symptom != "s" || f.Cause != "c" || f.Fix != "f" || res[2].Severity != SeverityWarning {
		t.Errorf("finding not completed from its check: %+v severity %v", f, res[2].Severity)
	}
	if res[3].SkipReason != "no token" || res[3].Enable != "set one" {
		t.Errorf("skip = %q/%q", res[3].SkipReason, res[3].Enable)
	}
}

// A check that ignores its context is reported as not finished; the
// runner hands it to Stuck at the deadline (the command line exits there).
func TestRunDeadline(t *testing.T) {
	block := make(chan struct{})
	list := []*Check{fakeCheck("CD9010", func(ctx context.Context, _ *Input) ([]Finding, error) {
		<-block // ignores ctx on purpose
		return nil, nil
	})}
	res := RunChecks(context.Background(), list, &Input{Integration: &integration.Integration{}},
		RunnerOptions{CheckTimeout: 20 * time.Millisecond, Stuck: func(string, time.Duration) { close(block) }})
	if res[0].Status != StatusError || !strings.Contains(res[0].Err, "did not finish") {
		t.Fatalf("got %s %q, want error 'did not finish'", res[0].Status, res[0].Err)
	}
}

func TestNeedsSkip(t *testing.T) {
	c := fakeCheck("CD9020", func(context.Context, *Input) ([]Finding, error) { t.Error("ran"); return nil, nil })
	c.Needs = NeedsNetwork
	c.Safety = 1
	tok := fakeCheck("CD9021", func(context.Context, *Input) ([]Finding, error) { t.Error("ran"); return nil, nil })
	tok.Needs = NeedsAccessToken
	res := RunChecks(context.Background(), []*Check{c, tok}, &Input{Integration: &integration.Integration{}}, RunnerOptions{})
	if res[0].Status != StatusSkip || !strings.Contains(res[0].Enable, "--offline") {
		t.Errorf("network check offline: %s %q", res[0].Status, res[0].Enable)
	}
	if res[1].Status != StatusSkip || !strings.Contains(res[1].Enable, "access_token") {
		t.Errorf("token check without token: %s %q", res[1].Status, res[1].Enable)
	}
}

func TestLateChecksRunAfterOthers(t *testing.T) {
	done := make(chan struct{})
	early := fakeCheck("CD9030", func(context.Context, *Input) ([]Finding, error) {
		time.Sleep(5 * time.Millisecond)
		close(done)
		return nil, nil
	})
	late := fakeCheck("CD9031", func(context.Context, *Input) ([]Finding, error) {
		select {
		case <-done:
			return nil, nil
		default:
			return []Finding{{Message: "ran before the others finished"}}, nil
		}
	})
	late.Late = true
	res := RunChecks(context.Background(), []*Check{late, early}, &Input{Integration: &integration.Integration{}}, RunnerOptions{})
	if res[0].Status != StatusPass {
		t.Fatalf("late check: %s %v", res[0].Status, res[0].Findings)
	}
}

func TestWaiversAndExitCode(t *testing.T) {
	now := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	a := fakeCheck("CD9040", nil)
	b := fakeCheck("CD9041", nil)
	results := []Result{
		{Check: a, Status: StatusFail, Severity: SeverityError, Findings: []Finding{{Severity: SeverityError, Message: "a"}}},
		{Check: b, Status: StatusFail, Severity: SeverityWarning, Findings: []Finding{{Severity: SeverityWarning, Message: "b"}}},
	}
	unmatched := ApplyWaivers(results, []integration.Waiver{
		{Check: "CD9040", Reason: "staging", Until: now.Add(24 * time.Hour)},
		{Check: "fake-cd9041", Reason: "old", Until: now.Add(-time.Hour)},
		{Check: "CD0000", Reason: "typo"},
	}, now)
	if results[0].Status != StatusWaived {
		t.Errorf("unexpired waiver: %s", results[0].Status)
	}
	if results[1].Status != StatusFail || !results[1].WaiverExpired {
		t.Errorf("expired waiver: %s expired=%v", results[1].Status, results[1].WaiverExpired)
	}
	if len(unmatched) != 1 || unmatched[0].Check != "CD0000" {
		t.Errorf("unmatched = %+v", unmatched)
	}
	for _, tc := range []struct {
		failOn Severity
		want   int
	}{{SeverityError, 0}, {SeverityWarning, 1}, {SeverityInfo, 1}, {SeverityNone, 0}} {
		if got := ExitCode(Group(results, ""), results, 0, tc.failOn); got != tc.want {
			t.Errorf("ExitCode(fail-on %v) = %d, want %d", tc.failOn, got, tc.want)
		}
	}
}

func TestSelectSuggests(t *testing.T) {
	if len(All()) == 0 {
		t.Skip("no checks registered yet")
	}
	c := All()[0]
	if _, err := Select(All(), []string{c.ID}, nil); err != nil {
		t.Fatal(err)
	}
	_, err := Select(All(), []string{c.Name + "x"}, nil)
	if err == nil || !strings.Contains(err.Error(), "did you mean "+c.Name) {
		t.Fatalf("err = %v, want a did-you-mean for %s", err, c.Name)
	}
}

// Offline checks run in turn. One that ignores its context is reported to
// Stuck at the deadline with its ID; once it returns it is reported as not
// finished in time, the checks before it keep their results and the ones
// after it are reported as not started.
func TestRunOfflineStuckCheck(t *testing.T) {
	block := make(chan struct{})
	var list []*Check
	pass := func(context.Context, *Input) ([]Finding, error) { return nil, nil }
	for i := range 3 {
		list = append(list, fakeCheck(fmt.Sprintf("CD91%02d", i), pass))
	}
	list = append(list, fakeCheck("CD9110", func(context.Context, *Input) ([]Finding, error) {
		<-block
		return nil, nil
	}))
	for i := range 3 {
		list = append(list, fakeCheck(fmt.Sprintf("CD912%d", i), pass))
	}
	type call struct {
		id    string
		after time.Duration
	}
	calls := make(chan call, 2)
	stuck := func(id string, after time.Duration) {
		calls <- call{id, after}
		close(block) // the command line exits here; the test lets the check go on
	}
	res := RunChecks(context.Background(), list, &Input{Integration: &integration.Integration{}},
		RunnerOptions{CheckTimeout: 100 * time.Millisecond, Stuck: stuck})
	select {
	case c := <-calls:
		if c.id != "CD9110" || c.after != 100*time.Millisecond {
			t.Errorf("Stuck(%q, %s), want Stuck(\"CD9110\", 100ms)", c.id, c.after)
		}
	default:
		t.Fatal("Stuck was not called for the check that held the batch")
	}
	if len(calls) != 0 {
		t.Errorf("Stuck called more than once")
	}
	for _, r := range res[:3] {
		if r.Status != StatusPass {
			t.Errorf("%s before the stuck check: %s %q, want pass", r.Check.ID, r.Status, r.Err)
		}
	}
	if r := res[3]; r.Status != StatusError || !strings.Contains(r.Err, "did not finish within 100ms") {
		t.Errorf("stuck check: %s %q, want error 'did not finish within 100ms'", r.Status, r.Err)
	}
	for _, r := range res[4:] {
		if r.Status != StatusError || !strings.Contains(r.Err, "not started within 100ms") {
			t.Errorf("%s after the stuck check: %s %q, want error 'not started within 100ms'", r.Check.ID, r.Status, r.Err)
		}
	}
}

// Without Stuck the runner waits for a slow check, then reports it and
// the checks it kept from starting; a batch that finishes in time never
// calls Stuck.
func TestRunOfflineSlowCheckWithoutStuck(t *testing.T) {
	slow := fakeCheck("CD9200", func(context.Context, *Input) ([]Finding, error) {
		time.Sleep(60 * time.Millisecond)
		return nil, nil
	})
	next := fakeCheck("CD9201", func(context.Context, *Input) ([]Finding, error) { return nil, nil })
	res := RunChecks(context.Background(), []*Check{slow, next}, &Input{Integration: &integration.Integration{}},
		RunnerOptions{CheckTimeout: 20 * time.Millisecond})
	if r := res[0]; r.Status != StatusError || !strings.Contains(r.Err, "did not finish within 20ms") {
		t.Errorf("slow check: %s %q, want 'did not finish within 20ms'", r.Status, r.Err)
	}
	if r := res[1]; r.Status != StatusError || !strings.Contains(r.Err, "not started") {
		t.Errorf("check behind the slow one: %s %q, want 'not started'", r.Status, r.Err)
	}

	called := false
	res = RunChecks(context.Background(), []*Check{next}, &Input{Integration: &integration.Integration{}},
		RunnerOptions{CheckTimeout: 20 * time.Millisecond, Stuck: func(string, time.Duration) { called = true }})
	time.Sleep(40 * time.Millisecond) // past the deadline: a stopped timer stays quiet
	if res[0].Status != StatusPass || called {
		t.Errorf("quick batch: %s, Stuck called %v; want pass and no call", res[0].Status, called)
	}
}

// Offline checks receive a context that carries the run's deadline.
func TestRunOfflineContextHasDeadline(t *testing.T) {
	c := fakeCheck("CD9120", func(ctx context.Context, _ *Input) ([]Finding, error) {
		if _, ok := ctx.Deadline(); !ok {
			return []Finding{{Message: "no deadline"}}, nil
		}
		return nil, nil
	})
	res := RunChecks(context.Background(), []*Check{c}, &Input{Integration: &integration.Integration{}}, RunnerOptions{})
	if res[0].Status != StatusPass {
		t.Errorf("%s %q %v, want pass", res[0].Status, res[0].Err, res[0].Findings)
	}
}

// A cancelled run reports its offline checks as errors naming the
// cancellation, never as passes, and does not call them stuck.
func TestRunOfflineCancelled(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	cancel()
	c := fakeCheck("CD9121", func(ctx context.Context, _ *Input) ([]Finding, error) { return nil, ctx.Err() })
	stuck := false
	res := RunChecks(parent, []*Check{c}, &Input{Integration: &integration.Integration{}}, RunnerOptions{Stuck: func(string, time.Duration) { stuck = true }})
	if res[0].Status != StatusError || !strings.Contains(res[0].Err, "canceled") || stuck {
		t.Errorf("cancelled run: %s %q, want an error naming the cancellation", res[0].Status, res[0].Err)
	}
}

// Parallel bounds the offline checks too.
func TestRunOfflineHonoursParallel(t *testing.T) {
	var running, peak atomic.Int32
	var list []*Check
	for i := range 8 {
		list = append(list, fakeCheck(fmt.Sprintf("CD93%02d", i), func(context.Context, *Input) ([]Finding, error) {
			n := running.Add(1)
			defer running.Add(-1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			runtime.Gosched()
			return nil, nil
		}))
	}
	RunChecks(context.Background(), list, &Input{Integration: &integration.Integration{}}, RunnerOptions{Parallel: 1})
	if p := peak.Load(); p != 1 {
		t.Errorf("%d offline checks ran at once with Parallel 1", p)
	}
}

// Network checks keep their own goroutine and deadline beside the pool;
// results stay in the order given.
func TestRunMixesNetworkAndOffline(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	net := fakeCheck("CD9650", func(context.Context, *Input) ([]Finding, error) { <-block; return nil, nil })
	net.Needs = NeedsNetwork
	off := fakeCheck("CD9130", func(context.Context, *Input) ([]Finding, error) {
		return []Finding{{Message: "bad"}}, nil
	})
	res := RunChecks(context.Background(), []*Check{net, off}, &Input{Integration: &integration.Integration{}, Probe: probe.New(probe.Options{})},
		RunnerOptions{CheckTimeout: 30 * time.Millisecond})
	if res[0].Check != net || res[0].Status != StatusError || !strings.Contains(res[0].Err, "did not finish") {
		t.Errorf("network check: %s %s %q", res[0].Check.ID, res[0].Status, res[0].Err)
	}
	if res[1].Check != off || res[1].Status != StatusFail || res[1].Findings[0].Fix != "f" {
		t.Errorf("offline check: %s %s %+v", res[1].Check.ID, res[1].Status, res[1].Findings)
	}
}
