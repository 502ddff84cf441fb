package checks

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:      "CD5001",
	Name:    "rate-limit-budget",
	Guide:   contio.GuideRateLimitExceeded,
	Title:   "The declared peak request rate exceeds, or nears, an endpoint class's rate limit",
	Symptom: "At busy times the API answers HTTP 429 with rate_limit_exceeded, and requests fail or slow down while clients wait out the window.",
	Cause: "Contio limits requests per minute per endpoint class: user API 100, admin API 50, OAuth 20. The calls your code makes at " +
		"peak, added up per class, go over that budget (or leave no headroom for retries, which count too).",
	Fix: "Lower the peak: cache responses that change rarely, batch or page less often, spread scheduled jobs over the minute, and " +
		"refresh tokens once per expiry rather than per request. If the traffic is legitimate, ask Contio about a higher limit.",
	Verifies: "the per_minute rates declared in calls, summed per endpoint class, stay below 80% of the class's documented limit.",
	Severity: SeverityError,
	Needs:    NeedsCalls,
	Run:      rateLimitBudget,
})

// rateLimitHeadroom is the share of a limit above which a declared peak is
// worth a note: retries and bursts need the rest.
const rateLimitHeadroom = 0.8

func rateLimitBudget(_ context.Context, in *Input) ([]Finding, error) {
	type classSum struct {
		total int
		calls []integration.Call
	}
	sums := map[contio.Class]*classSum{}
	for _, c := range in.Integration.Calls {
		if c.PerMinute <= 0 {
			continue
		}
		cl := rateCallClass(c)
		if sums[cl] == nil {
			sums[cl] = &classSum{}
		}
		sums[cl].total += c.PerMinute
		sums[cl].calls = append(sums[cl].calls, c)
	}
	classes := make([]contio.Class, 0, len(sums))
	for cl := range sums {
		classes = append(classes, cl)
	}
	sort.Slice(classes, func(i, j int) bool { return classes[i] < classes[j] })

	var out []Finding
	for _, cl := range classes {
		s, limit := sums[cl], contio.LimitFor(cl)
		if limit == 0 || float64(s.total) < rateLimitHeadroom*float64(limit) {
			continue
		}
		// Point at the biggest contributor: lowering it helps most.
		sort.SliceStable(s.calls, func(i, j int) bool { return s.calls[i].PerMinute > s.calls[j].PerMinute })
		top := s.calls[0]
		loc := top.PerMinuteFrom
		if loc.IsZero() {
			loc = top.At
		}
		var parts []string
		for _, c := range s.calls {
			parts = append(parts, fmt.Sprintf("%s %s %s: %d/min", rateCallLabel(c), c.Method.Raw, c.Path.Raw, c.PerMinute))
		}
		f := Finding{Location: loc, Evidence: strings.Join(parts, "\n")}
		if s.total > limit {
			over := (s.total - limit) * 100 / limit
			f.Message = fmt.Sprintf("%s calls declare %d/min against a limit of %d/min (%d%% over); the largest is %s at %d/min",
				cl, s.total, limit, over, rateCallLabel(top), top.PerMinute)
			f.Fix = fmt.Sprintf("Bring the %s calls' combined peak under %d/min (ideally under %d/min, to leave room for retries): "+
				"cache, batch or spread them, starting with %s.", cl, limit, int(rateLimitHeadroom*float64(limit)), rateCallLabel(top))
		} else {
			f.Severity = SeverityInfo
			f.Message = fmt.Sprintf("%s calls declare %d/min against a limit of %d/min (%d%% of it); retries and bursts have little room left",
				cl, s.total, limit, s.total*100/limit)
		}
		out = append(out, f)
	}
	return out, nil
}

// rateCallClass is the endpoint class of a call: the catalogue's when the
// call is in it, else the class its path prefix implies.
func rateCallClass(c integration.Call) contio.Class {
	path, _, _ := strings.Cut(c.Path.Raw, "?")
	if ep, _ := contio.Lookup(strings.ToUpper(c.Method.Raw), path); ep != nil {
		return ep.Class
	}
	return contio.ClassOf(path)
}

// rateCallLabel names a call by its name, or by method and path.
func rateCallLabel(c integration.Call) string {
	if c.Name.Raw != "" {
		return fmt.Sprintf("%q", c.Name.Raw)
	}
	return c.Method.Raw + " " + c.Path.Raw
}
