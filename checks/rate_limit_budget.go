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
	Cause: "Contio states its limits twice, differently. The troubleshooting guide: per endpoint class and credential, user API 100, " +
		"admin API 50, OAuth 20 requests a minute. The API guide: AWS WAF at the edge counts per IP address over a rolling 5 minutes, " +
		"user API 1,000, admin API 500, OAuth 100, so every user and credential behind one server address shares one budget, and a " +
		"burst keeps counting for 5 minutes. The calls your code makes at peak, added up per class, go over one of these budgets " +
		"(or leave no headroom for retries, which count too).",
	Fix: "Lower the peak: cache responses that change rarely, batch or page less often, spread scheduled jobs over the minute, and " +
		"refresh tokens once per expiry rather than per request; prefer webhooks to polling. If the traffic is legitimate, ask Contio " +
		"about a higher limit." + sdkRateLimitFix,
	Verifies: "the per_minute rates declared in calls, summed per endpoint class, stay below 80% of both documented limits: the " +
		"troubleshooting guide's per credential and minute, and the API guide's per IP and rolling 5 minutes (the peak taken as sustained).",
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
		s := sums[cl]
		limits := contio.LimitsFor(cl)
		// Most runs stay well within every budget: decide that before any
		// text is formatted.
		if len(limits) == 0 || worstShare(s.total, limits) < rateLimitHeadroom {
			continue
		}
		v := judgeRate(s.total, limits)
		// Point at the biggest contributor: lowering it helps most.
		sort.SliceStable(s.calls, func(i, j int) bool { return s.calls[i].PerMinute > s.calls[j].PerMinute })
		top := s.calls[0]
		loc := top.PerMinuteFrom
		if loc.IsZero() {
			loc = top.At
		}
		parts := make([]string, 0, len(s.calls)+len(v.sources))
		for _, c := range s.calls {
			parts = append(parts, fmt.Sprintf("%s %s %s: %d/min", rateCallLabel(c), c.Method.Raw, c.Path.Raw, c.PerMinute))
		}
		f := Finding{Location: loc, Evidence: strings.Join(append(parts, v.sources...), "\n")}
		f.Message = fmt.Sprintf("%s calls declare %d/min: %s", cl, s.total, strings.Join(v.verdicts, "; "))
		if len(v.broken) > 0 {
			f.Message += fmt.Sprintf("; the largest is %s at %d/min", rateCallLabel(top), top.PerMinute)
			tight := v.tightest
			f.Fix = fmt.Sprintf("Bring the %s calls' combined peak under %d/min (ideally under %d/min, to leave room for retries): "+
				"cache, batch or spread them, starting with %s.", cl, int(tight), int(rateLimitHeadroom*tight), rateCallLabel(top))
			if v.ipBroken {
				f.Fix += " The per-IP budget is shared by every user and credential your servers send from one address, and a rolling " +
					"5-minute window does not clear a minute after the burst: wait out the full Retry-After."
			} else {
				f.Fix += " The API guide's per-IP figure would allow this peak, but the troubleshooting guide's does not; until Contio " +
					"says which applies, plan for the lower."
			}
		} else {
			f.Severity = SeverityInfo
			f.Message += "; retries and bursts have little room left"
		}
		out = append(out, f)
	}
	return out, nil
}

// rateVerdict is a declared peak measured against every documented limit
// of its class.
type rateVerdict struct {
	verdicts []string // one per limit, "over the … by 30%" or "within … (65%)"
	sources  []string // one evidence line per limit, with its page
	broken   []contio.RateLimit
	ipBroken bool
	// worst is the highest share of a limit the peak uses; tightest the
	// lowest limit, per minute.
	worst, tightest float64
}

// worstShare is judgeRate's worst: the largest share of any budget that
// perMinute uses.
func worstShare(perMinute int, limits []contio.RateLimit) float64 {
	worst := 0.0
	for _, l := range limits {
		worst = max(worst, float64(perMinute)*l.Per.Minutes()/float64(l.Requests))
	}
	return worst
}

// judgeRate measures perMinute against limits. A per-IP limit over a longer
// window is met by the peak sustained for the whole window: the safe reading,
// since a peak rarely lasts less than 5 minutes.
func judgeRate(perMinute int, limits []contio.RateLimit) rateVerdict {
	var v rateVerdict
	for _, l := range limits {
		window := l.Per.Minutes()
		used := float64(perMinute) * window
		share := used / float64(l.Requests)
		v.worst = max(v.worst, share)
		if v.tightest == 0 || l.PerMinute() < v.tightest {
			v.tightest = l.PerMinute()
		}
		what := fmt.Sprintf("the %s's %d/min per %s", l.Source.Title, l.Requests, limitScopeWord(l.Scope))
		sustained := ""
		if window != 1 {
			kind := "fixed"
			if l.Rolling {
				kind = "rolling"
			}
			what = fmt.Sprintf("the %s's %d per %s %g min per %s", l.Source.Title, l.Requests, kind, window, limitScopeWord(l.Scope))
			sustained = fmt.Sprintf("%d if sustained, ", int(used))
		}
		switch {
		case share > 1:
			v.broken = append(v.broken, l)
			v.ipBroken = v.ipBroken || l.Scope == contio.PerIP
			v.verdicts = append(v.verdicts, fmt.Sprintf("over %s: %s%d%% over", what, sustained, int(share*100)-100))
		case share >= rateLimitHeadroom:
			v.verdicts = append(v.verdicts, fmt.Sprintf("near %s: %s%d%% of it", what, sustained, int(share*100)))
		default:
			v.verdicts = append(v.verdicts, fmt.Sprintf("within %s: %s%d%% of it", what, sustained, int(share*100)))
		}
		per := "minute"
		if window != 1 {
			per = fmt.Sprintf("%g minutes", window)
		}
		v.sources = append(v.sources, fmt.Sprintf("%s: %d requests per %s per %s (%s)", l.Source.Title, l.Requests, per,
			limitScopeWord(l.Scope), l.Source.URL))
	}
	return v
}

// limitScopeWord names who shares a budget, for messages.
func limitScopeWord(s contio.LimitScope) string {
	if s == contio.PerIP {
		return "IP address"
	}
	return "credential"
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
