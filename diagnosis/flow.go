package diagnosis

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// The observed OAuth flow of a capture or proxy session, in a form every
// renderer can draw: who sent what to whom, when (relative to the first
// step), what came back, and the step where the flow broke with the
// checks that diagnosed it. Markdown draws it as a Mermaid sequence
// diagram, text as a timeline.

// Flow participants.
const (
	FlowBrowser = "Browser"
	FlowApp     = "App"
	FlowContio  = "Contio"
)

// flowMaxSteps bounds the steps drawn; a long session's API calls are
// grouped first, and the rest summarised in one line.
const flowMaxSteps = 40

// Flow is the OAuth flow a capture shows.
type Flow struct {
	Steps []FlowStep
	// Omitted counts steps left out past flowMaxSteps.
	Omitted int
	// Broken is the index in Steps of the step where the flow broke, or
	// -1 when nothing failed.
	Broken int
}

// FlowStep is one request of the flow and its answer.
type FlowStep struct {
	// At is the time since the flow's first step.
	At time.Duration
	// From sends the request to To.
	From, To string
	// Label says what the request is ("token: exchange the code").
	Label string
	// Request is its method and path ("POST /oauth2/token").
	Request string
	// Count is how many identical consecutive requests the step stands
	// for (API calls are grouped).
	Count int
	// Status is the (worst) answer; 0 when none came.
	Status int
	// Answer describes it: "200", "400 invalid_grant", "302 to the callback".
	Answer string
	// Failed is true when the answer is an error or no answer came.
	Failed bool
	// Checks are the failing checks whose findings point at this step.
	Checks []string
	// Entry is the first capture entry the step stands for.
	Entry int
}

// BuildFlow draws the flow from what a capture shows: its OAuth and
// sign-in steps, the codes handed out, and the API calls, in capture
// order. It returns nil for an integration that came from a config.
func BuildFlow(ig *integration.Integration, results []Result) *Flow {
	if ig == nil || ig.Capture == nil {
		return nil
	}
	byEntry := map[int][]string{}
	for _, r := range results {
		if r.Status != StatusFail {
			continue
		}
		for _, f := range r.Findings {
			if e := f.Location.HAREntry; e > 0 && !slices.Contains(byEntry[e], r.Check.ID) {
				byEntry[e] = append(byEntry[e], r.Check.ID)
			}
		}
	}
	calls := map[int]*integration.Call{}
	for i := range ig.Calls {
		calls[ig.Calls[i].At.HAREntry] = &ig.Calls[i]
	}
	type raw struct {
		step  FlowStep
		start time.Time
		key   string // grouping key for API calls ("" never groups)
	}
	var rows []raw
	inFlow := map[int]bool{}
	for _, st := range ig.Capture.Steps {
		e := st.At.HAREntry
		c := calls[e]
		from := FlowBrowser
		if c != nil && c.Auth.Raw == integration.AuthBasic {
			// Only the app's server holds the client secret.
			from = FlowApp
		}
		s := FlowStep{From: from, To: FlowContio, Status: st.Status, Entry: e}
		switch st.Kind {
		case integration.FlowAuthorize:
			s.Label, s.Request = "authorize", "GET /oauth2/authorize"
		case integration.FlowInitiate:
			s.Label, s.Request = "sign-in: send a one-time code", "POST /auth/initiate"
		case integration.FlowVerify:
			s.Label, s.Request = "sign-in: verify the one-time code", "POST /auth/verify"
		case integration.FlowConsent:
			s.Label = "consent"
			s.Request = "POST /oauth2/authorize"
			if strings.Contains(st.At.URL, "/oauth2/check-consent") {
				s.Label, s.Request = "consent: check", "POST /oauth2/check-consent"
			}
		case integration.FlowCode:
			// The code goes back to the browser, which takes it to the
			// app's callback.
			s.From, s.To, s.Label = FlowContio, FlowBrowser, "code for the callback"
			s.Request = "redirect_uri " + st.RedirectURI
			if st.RedirectURI == "" {
				s.Request = "code"
			}
			rows = append(rows, raw{step: s, start: st.At.HARTime})
			rows = append(rows, raw{step: FlowStep{From: FlowBrowser, To: FlowApp, Label: "callback with the code", Request: "GET " + flowPath(st.RedirectURI), Status: -1, Entry: e}, start: st.At.HARTime})
			continue
		case integration.FlowToken:
			s.From = FlowApp
			s.Request = "POST /oauth2/token"
			switch st.GrantType {
			case "authorization_code":
				s.Label = "token: exchange the code"
			case "refresh_token":
				s.Label = "token: refresh"
			case "":
				s.Label = "token"
			default:
				s.Label = "token: " + st.GrantType
			}
		case integration.FlowIntrospect:
			s.From, s.Label, s.Request = FlowApp, "introspect a token", "POST /oauth2/introspect"
		default:
			continue
		}
		s.Answer = flowAnswer(st.Status, st.ErrorCode)
		inFlow[e] = true
		rows = append(rows, raw{step: s, start: st.At.HARTime})
	}
	for i := range ig.Calls {
		c := &ig.Calls[i]
		e := c.At.HAREntry
		if inFlow[e] {
			continue
		}
		cl := contio.ClassOf(c.Path.Raw)
		if cl != contio.ClassUser && cl != contio.ClassAdmin {
			continue
		}
		req := c.Method.Raw + " " + c.Path.Raw
		rows = append(rows, raw{
			step:  FlowStep{From: FlowApp, To: FlowContio, Label: "API call", Request: req, Status: c.Status, Answer: flowAnswer(c.Status, c.ErrorCode), Entry: e},
			start: c.Started, key: req,
		})
	}
	if len(rows) == 0 {
		return nil
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].step.Entry < rows[j].step.Entry })

	f := &Flow{Broken: -1}
	first := rows[0].start
	lastKey := ""
	for i := range rows {
		r := rows[i].step
		r.Count = 1
		r.Failed = r.Status == 0 || r.Status >= 400
		r.Checks = slices.Clone(byEntry[r.Entry])
		if !rows[i].start.IsZero() && !first.IsZero() {
			r.At = rows[i].start.Sub(first)
		}
		if r.Status < 0 { // the callback: implied by the code, not seen
			r.Status, r.Failed = 0, false
		}
		// Group consecutive identical API calls with the same answer.
		if n := len(f.Steps); n > 0 && rows[i].key != "" && rows[i].key == lastKey && f.Steps[n-1].Answer == r.Answer {
			prev := &f.Steps[n-1]
			prev.Count++
			for _, id := range r.Checks {
				if !slices.Contains(prev.Checks, id) {
					prev.Checks = append(prev.Checks, id)
				}
			}
			continue
		}
		lastKey = rows[i].key
		if len(f.Steps) == flowMaxSteps {
			f.Omitted++
			continue
		}
		f.Steps = append(f.Steps, r)
	}
	for i, s := range f.Steps {
		if f.Broken < 0 && (s.Failed || len(s.Checks) > 0) {
			f.Broken = i
		}
	}
	return f
}

func flowAnswer(status int, code string) string {
	switch {
	case status == 0:
		return "no answer"
	case code != "":
		return fmt.Sprintf("%d %s", status, code)
	case status >= 300 && status < 400:
		return fmt.Sprintf("%d redirect", status)
	}
	return fmt.Sprint(status)
}

func flowPath(rawURL string) string {
	if i := strings.Index(rawURL, "://"); i >= 0 {
		rest := rawURL[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			return rest[j:]
		}
		return "/"
	}
	if rawURL == "" {
		return "the callback"
	}
	return rawURL
}

// redacted applies f to every text of the flow that came from traffic.
func (f *Flow) redacted(fn func(string) string) *Flow {
	if f == nil {
		return nil
	}
	out := *f
	out.Steps = make([]FlowStep, len(f.Steps))
	for i, s := range f.Steps {
		s.Request = fn(s.Request)
		s.Answer = fn(s.Answer)
		s.Label = fn(s.Label)
		s.Checks = slices.Clone(s.Checks)
		out.Steps[i] = s
	}
	return &out
}
