package checks

// Capture-only checks of request rates and retries (CD5401-CD5403): the
// per-minute rate per endpoint class over sliding windows, retries that
// did not wait out a 429, and retry storms after failures.

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:      "CD5401",
	Name:    "har-rate-over-limit",
	Guide:   contio.GuideRateLimitExceeded,
	Title:   "The capture sends more requests per minute to an endpoint class than its limit",
	Symptom: "Bursts of calls answer 429 rate_limit_exceeded.",
	Cause: "The troubleshooting guide counts requests per endpoint class over a minute (user API 100, admin API 50, OAuth 20). " +
		"Somewhere in the capture, one minute holds more requests of a class than that. (The API guide states per-IP limits over a " +
		"rolling 5 minutes instead, 1,000, 500 and 100, shared by every credential behind one address; this check measures the capture against those too.)",
	Fix: "Cache answers that change rarely, page less often, spread scheduled work over time, and refresh tokens once per expiry " +
		"rather than per request." + sdkRateLimitFix,
	Verifies: "no 60-second window of the capture holds more requests of one class than the guide's per-minute limit, and no " +
		"5-minute window more than the API guide's per-IP limit.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCapture,
	Run:      harRateOverLimit,
})

var _ = register(&Check{
	ID:      "CD5402",
	Name:    "har-retry-before-reset",
	Guide:   contio.GuideRateLimitExceeded,
	Title:   "After a 429 the app called again before Retry-After or X-RateLimit-Reset allowed",
	Symptom: "One 429 turns into a run of 429s and the window never clears.",
	Cause: "A 429 says how long to wait (Retry-After in seconds, X-RateLimit-Reset as a Unix time). Calls of the same class " +
		"sent before then count against the exhausted window and are refused too.",
	Fix:      "On 429, pause every request of that class until Retry-After (or X-RateLimit-Reset) has passed, then retry with backoff." + sdkRateLimitFix,
	Verifies: "after every 429 in the capture, the next call of its class waited as long as the response asked.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCapture,
	Run:      harRetryBeforeReset,
})

var _ = register(&Check{
	ID:      "CD5403",
	Name:    "har-retry-storm",
	Guide:   contio.GuideRateLimitExceeded,
	Title:   "The same request was retried in quick succession after failures",
	Symptom: "A failing call is repeated many times a second, and the API starts answering 429 to everything else too.",
	Cause:   "The client retries 5xx, 429 or dropped requests immediately, without backoff, so one failure becomes a burst.",
	Fix: "Retry with exponential backoff and jitter (for example 1 s, 2 s, 4 s), cap the attempts, honour Retry-After, and never " +
		"retry a code exchange." + sdkRateLimitFix,
	Verifies: "no request in the capture was retried three or more times, each within a second of a failure.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig | NeedsCapture,
	Run:      harRetryStorm,
})

// harObs is one observed call as the rate and retry checks see it: the
// call of its shape (a capture keeps repeats compactly, see
// integration.CallRepeat) with this call's own time, status and path.
type harObs struct {
	shape    *integration.Call
	entry    int32
	status   int32
	started  time.Time
	duration time.Duration
	path     string
	query    string
	// authorization is this call's own Authorization value when it
	// differs from the shape's.
	authorization string
}

// call is the observation as a Call, for the helpers that take one.
func (o harObs) call() integration.Call {
	c := *o.shape
	c.Status, c.Started, c.Duration, c.At = int(o.status), o.started, o.duration, o.at()
	if c.At.URL != "" && o.path != o.shape.Path.Raw {
		c.At.URL = "" // the shape's URL is another call's
	}
	c.Path.Raw, c.Query.Raw = o.path, o.query
	if o.authorization != "" {
		c.Authorization.Raw = o.authorization
	}
	return c
}

// at points at the observation's own entry.
func (o harObs) at() integration.Source {
	src := o.shape.At
	src.HAREntry = int(o.entry)
	if !o.started.IsZero() {
		src.HARTime = o.started
	}
	return src
}

func (o harObs) method() string { return callMethod(*o.shape) }

// harObsList is the observed calls with a start time, repeats included,
// in time order: an index over the capture's records, not copies (a large
// capture has hundreds of thousands). At builds each observation when
// asked.
type harObsList struct {
	ig *integration.Integration
	// order holds i < len(ig.Calls) for a call, len(ig.Calls)+r for
	// repeat r.
	order []int32
}

// Len is the number of observations.
func (l harObsList) Len() int { return len(l.order) }

// At is observation i.
func (l harObsList) At(i int) harObs { return harObsOf(l.ig, l.order[i]) }

func harObsOf(ig *integration.Integration, k int32) harObs {
	if int(k) < len(ig.Calls) {
		c := &ig.Calls[k]
		return harObs{c, int32(c.At.HAREntry), int32(c.Status), c.Started, c.Duration, c.Path.Raw, c.Query.Raw, ""}
	}
	r := &ig.Capture.Repeats[int(k)-len(ig.Calls)]
	o := harObs{&ig.Calls[r.Of], r.Entry, r.Status, time.Unix(0, r.Started).UTC(), r.Duration, r.Path, r.Query, ""}
	if r.Token >= 0 && int(r.Token) < len(ig.Capture.Tokens) {
		o.authorization = ig.Capture.Tokens[r.Token]
	}
	return o
}

// harTimedCache holds the last capture's order: four checks read it, at
// the same time.
var harTimedCache struct {
	sync.Mutex
	ig      *integration.Integration
	calls   int
	repeats int
	list    harObsList
}

// harTimed are the observed calls with a start time, repeats included,
// in time order. The list is shared: callers must not change it.
func harTimed(ig *integration.Integration) harObsList {
	c := &harTimedCache
	c.Lock()
	defer c.Unlock()
	repeats := 0
	if ig.Capture != nil {
		repeats = len(ig.Capture.Repeats)
	}
	if c.ig != ig || c.calls != len(ig.Calls) || c.repeats != repeats {
		c.ig, c.calls, c.repeats, c.list = ig, len(ig.Calls), repeats, buildHarTimed(ig)
	}
	return c.list
}

func buildHarTimed(ig *integration.Integration) harObsList {
	l := harObsList{ig: ig}
	started := func(k int32) (int64, int32) {
		if int(k) < len(ig.Calls) {
			c := &ig.Calls[k]
			return c.Started.UnixNano(), int32(c.At.HAREntry)
		}
		r := &ig.Capture.Repeats[int(k)-len(ig.Calls)]
		return r.Started, r.Entry
	}
	for i := range ig.Calls {
		if c := &ig.Calls[i]; c.Observed && !c.Started.IsZero() {
			l.order = append(l.order, int32(i))
		}
	}
	if ig.Capture != nil {
		for r, rep := range ig.Capture.Repeats {
			if int(rep.Of) < len(ig.Calls) && rep.Started != 0 {
				l.order = append(l.order, int32(len(ig.Calls)+r))
			}
		}
	}
	slices.SortStableFunc(l.order, func(a, b int32) int {
		sa, ea := started(a)
		sb, eb := started(b)
		if sa != sb {
			return cmp.Compare(sa, sb)
		}
		return cmp.Compare(ea, eb)
	})
	return l
}

// harObsClass is an observation's rate-limit class.
func harObsClass(o harObs) contio.Class {
	c := integration.Call{Method: o.shape.Method, Path: integration.Value{Raw: o.path}}
	return rateCallClass(c)
}

func harRateOverLimit(_ context.Context, in *Input) ([]Finding, error) {
	all := harTimed(in.Integration)
	// Indices, not copies: a large capture has hundreds of thousands.
	byClass := map[contio.Class][]int32{}
	for i := 0; i < all.Len(); i++ {
		cl := harObsClass(all.At(i))
		byClass[cl] = append(byClass[cl], int32(i))
	}
	var out []Finding
	// Both statements: the guide's per minute, and the API guide's per IP
	// over a rolling 5 minutes (a capture is one client, one address).
	limits := append(append([]contio.RateLimit(nil), contio.RateLimits...), contio.IPRateLimits...)
	for _, rl := range limits {
		idx := byClass[rl.Class]
		at := func(k int) harObs { return all.At(int(idx[k])) }
		best, bestAt := 0, 0
		lo := 0
		for hi := range idx {
			for at(hi).started.Sub(at(lo).started) >= rl.Per {
				lo++
			}
			if n := hi - lo + 1; n > best {
				best, bestAt = n, lo
			}
		}
		if best <= rl.Requests {
			continue
		}
		first, last := at(bestAt), at(bestAt+best-1)
		limit := fmt.Sprintf("the %s's limit of %d per minute", rl.Source.Title, rl.Requests)
		if rl.Scope == contio.PerIP {
			limit = fmt.Sprintf("the %s's limit of %d per rolling %g minutes per IP address", rl.Source.Title, rl.Requests, rl.Per.Minutes())
		}
		out = append(out, Finding{
			Message: fmt.Sprintf("%d %s-class requests within %s (entries %d to %d, from %s) against %s",
				best, rl.Class, last.started.Sub(first.started).Round(time.Second), first.entry, last.entry,
				first.started.UTC().Format("15:04:05"), limit),
			Location: first.at(),
			Evidence: harTopPaths(all, idx[bestAt:bestAt+best]),
		})
	}
	return out, nil
}

// harTopPaths lists the busiest endpoints of a window: "GET /v1/partner/user/meetings: 90".
func harTopPaths(all harObsList, idx []int32) string {
	count := map[string]int{}
	for _, k := range idx {
		o := all.At(int(k))
		c := integration.Call{Method: o.shape.Method, Path: integration.Value{Raw: o.path}}
		count[callMethod(c)+" "+harPathTemplate(c)]++
	}
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if count[keys[i]] != count[keys[j]] {
			return count[keys[i]] > count[keys[j]]
		}
		return keys[i] < keys[j]
	})
	if len(keys) > 5 {
		keys = keys[:5]
	}
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %d", k, count[k]))
	}
	return strings.Join(parts, "\n")
}

// harWaitUntil is when a 429 allowed the next call: Retry-After (seconds
// or an HTTP date), else X-RateLimit-Reset (Unix seconds).
func harWaitUntil(c integration.Call) (time.Time, string, bool) {
	if vs := c.ResponseHeaders["Retry-After"]; len(vs) > 0 {
		v := strings.TrimSpace(vs[0])
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			return c.Started.Add(c.Duration).Add(time.Duration(n) * time.Second), "Retry-After: " + v, true
		}
		if t, err := time.Parse(time.RFC1123, v); err == nil {
			return t, "Retry-After: " + v, true
		}
	}
	if vs := c.ResponseHeaders["X-Ratelimit-Reset"]; len(vs) > 0 {
		v := strings.TrimSpace(vs[0])
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 1_000_000_000 {
			return time.Unix(n, 0), "X-RateLimit-Reset: " + v, true
		}
	}
	return time.Time{}, "", false
}

func harRetryBeforeReset(_ context.Context, in *Input) ([]Finding, error) {
	calls := harTimed(in.Integration)
	// Each early retry is reported once, against the latest 429 that had
	// arrived before it left.
	byRetry := map[int]Finding{}
	var order []int
	for i := 0; i < calls.Len(); i++ {
		o := calls.At(i)
		if o.status != 429 {
			continue
		}
		c := o.call()
		until, header, ok := harWaitUntil(c)
		if !ok {
			continue
		}
		cl := harObsClass(o)
		arrived := harArrived(c)
		for k := i + 1; k < calls.Len(); k++ {
			no := calls.At(k)
			// A request that left before the 429 arrived cannot have
			// reacted to it: it is part of the burst, not a retry.
			if harObsClass(no) != cl || no.started.Before(arrived) {
				continue
			}
			n := no.call()
			if n.Started.Before(until) {
				if _, seen := byRetry[k]; !seen {
					order = append(order, k)
				}
				byRetry[k] = Finding{
					Message: fmt.Sprintf("%s %s at %s came %s after the 429 at %s arrived, which asked to wait until %s (%s early; answer %s)",
						callMethod(n), n.Path.Raw, harAt(n.At), n.Started.Sub(arrived).Round(time.Millisecond), harAt(c.At),
						until.UTC().Format("15:04:05"), until.Sub(n.Started).Round(time.Millisecond), harCallStatus(n)),
					Location:  n.At,
					RequestID: c.RequestID,
					Evidence:  header,
				}
			}
			break
		}
	}
	out := make([]Finding, 0, len(order))
	for _, k := range order {
		out = append(out, byRetry[k])
	}
	return out, nil
}

// stormGap is the longest pause after a failure that still counts as an
// immediate retry.
const stormGap = time.Second

// stormRetries is how many immediate retries make a storm.
const stormRetries = 3

func harRetryStorm(_ context.Context, in *Input) ([]Finding, error) {
	all := harTimed(in.Integration)
	byReq := map[string][]int32{}
	var keys []string
	for i := 0; i < all.Len(); i++ {
		o := all.At(i)
		k := o.method() + " " + o.shape.Host.Raw + o.path + "?" + o.query
		if byReq[k] == nil {
			keys = append(keys, k)
		}
		byReq[k] = append(byReq[k], int32(i))
	}
	var out []Finding
	for _, k := range keys {
		idx := byReq[k]
		if len(idx) < stormRetries+1 {
			continue
		}
		run := []integration.Call{all.At(int(idx[0])).call()}
		flush := func() {
			if len(run)-1 >= stormRetries {
				first, last := run[0], run[len(run)-1]
				statuses := map[string]int{}
				for _, c := range run[:len(run)-1] {
					statuses[harCallStatus(c)]++
				}
				var parts []string
				for s, n := range statuses {
					parts = append(parts, fmt.Sprintf("%s ×%d", s, n))
				}
				sort.Strings(parts)
				out = append(out, Finding{
					Message: fmt.Sprintf("%s %s was sent %d times in %s (entries %s), each retry within %s of a failure",
						callMethod(first), first.Path.Raw, len(run), last.Started.Sub(first.Started).Round(time.Millisecond), harEntryList(run), stormGap),
					Location:  first.At,
					RequestID: first.RequestID,
					Evidence:  "failures: " + strings.Join(parts, ", "),
				})
			}
		}
		for _, k := range idx[1:] {
			o := all.At(int(k))
			prev := run[len(run)-1]
			if !harRetryable(prev) {
				// Only a failure starts or continues a run.
				flush()
				run = append(run[:0], o.call())
				continue
			}
			c := o.call()
			// A retry starts after the failure arrived; a request sent
			// while the previous one was still in flight is concurrency.
			gap := c.Started.Sub(harArrived(prev))
			if harRetryable(prev) && gap >= 0 && gap <= stormGap {
				run = append(run, c)
				continue
			}
			flush()
			run = []integration.Call{c}
		}
		flush()
	}
	return out, nil
}

// harArrived is when an observed call's response arrived: its start plus
// its total time.
func harArrived(c integration.Call) time.Time { return c.Started.Add(c.Duration) }

// harRetryable reports whether a call failed in a way clients retry.
func harRetryable(c integration.Call) bool {
	return c.Status == 0 || c.Status == 429 || c.Status >= 500
}
