package diagnosis

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestGroupFoldsOneRootIntoOneProblem(t *testing.T) {
	offline := fakeCheck("CD2901", nil)
	offline.Guide = contio.GuideInvalidRequest
	live := fakeCheck("CD2951", nil)
	live.Guide = contio.GuideInvalidRequest
	live.Needs, live.Safety = NeedsNetwork, 1
	other := fakeCheck("CD1901", nil)
	other.Guide = contio.GuideBasicAuthEncoding
	dependent := fakeCheck("CD3951", nil)
	root := Root{Kind: "redirect_uri", Subject: "https://app.example.com/cb/"}
	results := []Result{
		{Check: other, Status: StatusFail, Findings: []Finding{{Severity: SeverityWarning, Message: "newline"}}},
		{Check: offline, Status: StatusFail, Findings: []Finding{{Severity: SeverityWarning, Root: root, Message: "claimed"}}},
		{Check: live, Status: StatusFail, Findings: []Finding{{Severity: SeverityError, Root: root, Message: "confirmed", RequestID: "req_1"}}},
		{Check: dependent, Status: StatusSkip, BlockedBy: &Blocker{Root: root, Check: "CD2951", Reason: "blocked"}},
	}
	ps := Group(results, "")
	if len(ps) != 2 {
		t.Fatalf("%d problems, want 2: %+v", len(ps), ps)
	}
	// Guide order: invalid_request before basic_auth_encoding, whatever
	// the result order; IDs follow the report order.
	p := ps[0]
	if p.ID != "P1" || p.Guide != contio.GuideInvalidRequest || ps[1].Guide != contio.GuideBasicAuthEncoding {
		t.Fatalf("order: %s %s, %s %s", p.ID, p.Guide, ps[1].ID, ps[1].Guide)
	}
	if !slices.Equal(p.Checks, []string{"CD2901", "CD2951"}) || !slices.Equal(p.Blocked, []string{"CD3951"}) {
		t.Errorf("checks %v blocked %v", p.Checks, p.Blocked)
	}
	// The most severe finding speaks for the problem; all are evidence.
	if p.Severity != SeverityError || p.Message != "confirmed" || len(p.Evidence) != 2 {
		t.Errorf("primary %s %q, %d evidence", p.Severity, p.Message, len(p.Evidence))
	}
	if p.Evidence[0].Source != SourceOffline || p.Evidence[1].Source != SourceLive || !slices.Equal(p.RequestIDs(), []string{"req_1"}) {
		t.Errorf("evidence %+v", p.Evidence)
	}
	if results[1].Problem != "P1" || results[2].Problem != "P1" || results[3].Problem != "P1" || results[0].Problem != "P2" {
		t.Errorf("results name problems %q %q %q %q", results[0].Problem, results[1].Problem, results[2].Problem, results[3].Problem)
	}
}

func TestGroupBuildsAProblemFromABlockerAlone(t *testing.T) {
	dependent := fakeCheck("CD3952", nil)
	b := &Blocker{Root: Root{Kind: "network", Subject: "connection refused"}, Check: "CD9999", Reason: "refused",
		Finding: Finding{Message: "the host refused the connection"}}
	results := []Result{{Check: dependent, Status: StatusSkip, BlockedBy: b}}
	ps := Group(results, "")
	if len(ps) != 1 || ps[0].Message != "the host refused the connection" || !slices.Equal(ps[0].Blocked, []string{"CD3952"}) {
		t.Fatalf("problems %+v", ps)
	}
	if ExitCode(ps, results, 0, SeverityError) != 1 {
		t.Error("a blocker's problem does not fail the run")
	}
}

func TestWaivedAndPassedResultsAreNoEvidence(t *testing.T) {
	c := fakeCheck("CD9050", nil)
	results := []Result{
		{Check: c, Status: StatusWaived, Findings: []Finding{{Severity: SeverityError, Message: "waived"}}},
		{Check: fakeCheck("CD9051", nil), Status: StatusPass},
	}
	if ps := Group(results, ""); len(ps) != 0 {
		t.Fatalf("problems from waived or passed results: %+v", ps)
	}
}

// Facts: computed once whoever asks, and only for checks that declare them.
func TestFactsAreDeclaredAndComputedOnce(t *testing.T) {
	var calls atomic.Int32
	answer := &Fact[int]{Name: "answer", Compute: func(context.Context, *Input) (int, error) {
		calls.Add(1)
		return 42, nil
	}}
	derived := &Fact[string]{Name: "derived", Requires: []Requirement{answer},
		Compute: func(ctx context.Context, in *Input) (string, error) {
			n, err := answer.Of(ctx, in)
			return strings.Repeat("x", n%5), err
		}}
	var got []int
	reader := func(id string, reqs ...Requirement) *Check {
		c := fakeCheck(id, func(ctx context.Context, in *Input) ([]Finding, error) {
			s, err := derived.Of(ctx, in)
			if err != nil {
				return nil, err
			}
			got = append(got, len(s))
			return nil, nil
		})
		c.Requires = reqs
		return c
	}
	list := []*Check{reader("CD9061", derived), reader("CD9062", derived), reader("CD9063")}
	res := RunChecks(context.Background(), list, &Input{Integration: &integration.Integration{}}, RunnerOptions{Parallel: 1})
	if res[0].Status != StatusPass || res[1].Status != StatusPass {
		t.Fatalf("declared readers: %s %q, %s %q", res[0].Status, res[0].Err, res[1].Status, res[1].Err)
	}
	if res[2].Status != StatusError || !strings.Contains(res[2].Err, "without listing it in Requires") {
		t.Errorf("undeclared reader: %s %q", res[2].Status, res[2].Err)
	}
	if calls.Load() != 1 {
		t.Errorf("answer computed %d times, want once", calls.Load())
	}
}

func TestValidateRefusesACycleOfFacts(t *testing.T) {
	a := &Fact[int]{Name: "a"}
	b := &Fact[int]{Name: "b", Requires: []Requirement{a}}
	a.Requires = []Requirement{b}
	c := fakeCheck("CD9070", func(context.Context, *Input) ([]Finding, error) { return nil, nil })
	c.Requires = []Requirement{a}
	errs := Validate([]*Check{c})
	if !slices.ContainsFunc(errs, func(e error) bool { return strings.Contains(e.Error(), "facts form a cycle") }) {
		t.Errorf("Validate = %v, want a cycle", errs)
	}
}

func TestBlockerBecomesABlockedSkip(t *testing.T) {
	c := fakeCheck("CD9080", func(context.Context, *Input) ([]Finding, error) {
		return nil, &Blocker{Root: Root{Kind: "client_rejected"}, Check: "CD1501", Reason: "the client was rejected"}
	})
	f := fakeCheck("CD9081", func(context.Context, *Input) ([]Finding, error) {
		return nil, Found(Finding{Message: "seen deep inside"})
	})
	res := RunChecks(context.Background(), []*Check{c, f}, &Input{Integration: &integration.Integration{}}, RunnerOptions{})
	if res[0].Status != StatusSkip || res[0].BlockedBy == nil || res[0].SkipReason != "the client was rejected" {
		t.Errorf("blocked: %s %+v", res[0].Status, res[0].BlockedBy)
	}
	if res[1].Status != StatusFail || res[1].Findings[0].Message != "seen deep inside" || res[1].Findings[0].Fix != "f" {
		t.Errorf("found: %s %+v", res[1].Status, res[1].Findings)
	}
}
