package proxy

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/har"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/redact"
	"github.com/Contio-AI/contio-doctor/report"
)

// SessionOptions configure a proxy session: the proxy's own options, and
// how its traffic is diagnosed.
type SessionOptions struct {
	Proxy Options
	// Name names the session in findings and the report (the --har
	// path, or "proxy session").
	Name string
	// Only, Skip, Timeout, FailOn, Verbose, RunID and Stuck are as for
	// diagnosis.Run.
	Only, Skip []string
	Timeout    time.Duration
	FailOn     diagnosis.Severity
	Verbose    bool
	RunID      string
	Stuck      func(id string, after time.Duration)
	// Announce receives one line per new failing finding (nil: none).
	Announce io.Writer
	// Debounce is the least time between two diagnoses while traffic
	// flows (0: 100 ms); each diagnosis reads everything seen so far.
	Debounce time.Duration
}

// Session is a proxy whose traffic is diagnosed as it passes.
type Session struct {
	opts  SessionOptions
	proxy *Proxy
	red   *redact.Redactor

	kick     chan struct{}
	stop     chan struct{}
	loopDone chan struct{}
	stopOnce sync.Once
	started  bool

	diagMu    sync.Mutex // one diagnosis at a time
	announced map[string]bool
}

// NewSession returns a session; call Start to diagnose in the background
// and Close to stop and get the final report.
func NewSession(opts SessionOptions) (*Session, error) {
	if opts.Name == "" {
		opts.Name = "proxy session"
	}
	if opts.Debounce <= 0 {
		opts.Debounce = 100 * time.Millisecond
	}
	s := &Session{
		opts:      opts,
		red:       redact.New(),
		kick:      make(chan struct{}, 1),
		stop:      make(chan struct{}),
		loopDone:  make(chan struct{}),
		announced: map[string]bool{},
	}
	popts := opts.Proxy
	popts.OnExchange = s.exchanged
	if opts.Announce != nil && popts.ErrorLog == nil {
		popts.ErrorLog = s.Logger()
	}
	p, err := New(popts)
	if err != nil {
		return nil, err
	}
	s.proxy = p
	return s, nil
}

// Logger prints one redacted line per message on the announcement
// writer (the proxy's and the HTTP server's own errors); it discards them
// without one.
func (s *Session) Logger() *log.Logger {
	if s.opts.Announce == nil {
		return log.New(io.Discard, "", 0)
	}
	return log.New(redactedLines{s}, "contio-doctor proxy: ", 0)
}

type redactedLines struct{ s *Session }

func (w redactedLines) Write(p []byte) (int, error) {
	_, err := io.WriteString(w.s.opts.Announce, oneLine(w.s.red.String(strings.TrimRight(string(p), "\n")))+"\n")
	return len(p), err
}

// Handler is the proxy.
func (s *Session) Handler() http.Handler { return s.proxy }

// Redactor masks every secret the traffic has shown so far.
func (s *Session) Redactor() *redact.Redactor { return s.red }

func (s *Session) exchanged() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Start diagnoses in the background: after each exchange (at most once
// per Debounce), announcing new failing findings.
func (s *Session) Start(ctx context.Context) {
	s.started = true
	go func() {
		defer close(s.loopDone)
		for {
			select {
			case <-s.stop:
				return
			case <-ctx.Done():
				return
			case <-s.kick:
			}
			t0 := time.Now()
			_, _, _ = s.Diagnose(ctx)
			// Each diagnosis reads the whole session: rest four times as
			// long as it took, so a long session costs at most a fifth of
			// a core however much traffic flows.
			select {
			case <-s.stop:
				return
			case <-ctx.Done():
				return
			case <-time.After(max(s.opts.Debounce, 4*time.Since(t0))):
			}
		}
	}()
}

// Close stops the background diagnosis (if started) and returns the final
// report on everything seen.
func (s *Session) Close(ctx context.Context) (*report.Report, error) {
	s.stopOnce.Do(func() { close(s.stop) })
	if s.started {
		<-s.loopDone
	}
	rep, _, err := s.Diagnose(ctx)
	return rep, err
}

// Entries is the number of exchanges seen (recorded or not).
func (s *Session) Entries() int {
	recs, dropped := s.proxy.snapshot()
	return len(recs) + dropped
}

// Diagnose runs the capture checks on everything seen so far, announces
// each failing finding not announced before, and returns the report.
func (s *Session) Diagnose(ctx context.Context) (*report.Report, *integration.Integration, error) {
	s.diagMu.Lock()
	defer s.diagMu.Unlock()
	recs, dropped := s.proxy.snapshot()
	up := s.opts.Proxy.Upstream.String()
	ig, err := loadRecords(recs, har.Options{File: s.opts.Name, APIURL: up, AuthURL: up})
	if err != nil {
		return nil, nil, fmt.Errorf("read the session's traffic: %w", err)
	}
	s.learn(ig)
	rep, err := diagnosis.Run(ctx, ig, diagnosis.Options{
		Only: s.opts.Only, Skip: s.opts.Skip, Timeout: s.opts.Timeout, Capture: diagnosis.SourceProxy,
		FailOn:  s.opts.FailOn,
		Verbose: s.opts.Verbose,
		Clock:   s.opts.Proxy.Clock,
		RunID:   s.opts.RunID,
		Stuck:   s.opts.Stuck,
	})
	if err != nil {
		return nil, nil, s.red.Error(err)
	}
	note := fmt.Sprintf("proxy session: %d requests forwarded to %s", len(recs)+dropped, up)
	if dropped > 0 {
		note += fmt.Sprintf(" (%d after the first %d not recorded)", dropped, len(recs))
	}
	rep.Notes = append(rep.Notes, note)
	s.announceNew(rep, recs)
	return rep, ig, nil
}

// learn registers every secret the traffic showed with the redactor.
func (s *Session) learn(ig *integration.Integration) {
	for _, sec := range ig.Secrets() {
		s.red.Add(sec.Value.Raw)
	}
	if sec := ig.OAuth.ClientSecret.Raw; sec != "" {
		s.red.AddPair(ig.OAuth.ClientID.Raw, sec)
	}
}

func (s *Session) announceNew(rep *report.Report, recs []har.Record) {
	if s.opts.Announce == nil {
		return
	}
	for _, p := range rep.Problems {
		key := p.Root.String()
		if s.announced[key] {
			continue
		}
		s.announced[key] = true
		method, path := "", ""
		for _, e := range p.Evidence {
			if i := e.Location.HAREntry - 1; i >= 0 && i < len(recs) {
				method = recs[i].Request.Method
				if u, err := url.Parse(recs[i].Request.URL); err == nil {
					path = u.Path
				}
				break
			}
		}
		announce(s.opts.Announce, s.red, p, method, path)
	}
}

// announce prints one new problem as one line, its checks first:
// "CD4201 CD4451 missing_client_id GET /v1/partner/admin/app: message".
func announce(w io.Writer, red *redact.Redactor, p diagnosis.Problem, method, path string) {
	guide := string(p.Guide)
	if guide == "" {
		guide = "beyond-the-guide"
	}
	line := strings.Join(p.Checks, " ") + " " + guide
	if method != "" {
		line += " " + method + " " + path
	}
	line += ": " + p.Message
	_, _ = io.WriteString(w, oneLine(red.String(line))+"\n")
}

// oneLine keeps a message on one line with no terminal control bytes.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// writeHAR writes records as a HAR 1.2 document, one entry at a time, so
// a long session is never held twice in memory.
func writeHAR(w io.Writer, recs []har.Record) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	head, err := json.Marshal(har.Creator{Name: "contio-doctor", Version: "proxy " + diagnosis.Version})
	if err != nil {
		return fmt.Errorf("encode HAR: %w", err)
	}
	fmt.Fprintf(bw, "{\"log\": {\"version\": \"1.2\", \"creator\": %s, \"entries\": [", head)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range recs {
		if i > 0 {
			_ = bw.WriteByte(',')
		}
		_ = bw.WriteByte('\n')
		if err := enc.Encode(&recs[i]); err != nil {
			return fmt.Errorf("encode HAR entry %d: %w", i+1, err)
		}
	}
	_, _ = bw.WriteString("]}}\n")
	return bw.Flush()
}

// loadRecords reads records into an Integration through the har reader,
// streaming the document between the two.
func loadRecords(recs []har.Record, opts har.Options) (*integration.Integration, error) {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeHAR(pw, recs)) }()
	ig, err := har.Load(pr, opts)
	_ = pr.CloseWithError(io.ErrClosedPipe) // unblock the writer if Load stopped early
	return ig, err
}

// WriteHAR writes the session's traffic as a HAR 1.2 document with every
// secret replaced by its fingerprint.
func (s *Session) WriteHAR(w io.Writer) error {
	recs, _ := s.proxy.snapshot()
	// Learn from everything first: a secret first seen in the last
	// exchange must be masked too.
	if ig, err := loadRecords(recs, har.Options{}); err == nil {
		s.learn(ig)
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeHAR(pw, recs)) }()
	err := har.WriteRedacted(w, pr, s.red)
	_ = pr.CloseWithError(io.ErrClosedPipe)
	return err
}

// writeRawHAR writes the traffic unredacted: only for recording test
// fixtures against the sandbox, whose credentials are fakes.
func (s *Session) writeRawHAR(w io.Writer) error {
	recs, _ := s.proxy.snapshot()
	return writeHAR(w, recs)
}
