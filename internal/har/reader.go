// Package har reads HAR captures (Chromium and Chrome DevTools, Firefox,
// Safari, Playwright, Charles, Proxyman, mitmproxy) into the same
// Integration model the config fills, so every check that reads observed
// calls works on real traffic. It also records HAR files (Recorder) and
// writes a copy of a capture with its secrets replaced by fingerprints
// (WriteRedacted).
//
// # One exchange at a time
//
// A Session turns exchanges into the Integration the checks read, one at
// a time; Load is a Session fed from a file. A capture proxy feeds it live:
//
//	s := har.NewSession(har.Options{APIURL: upstream})
//	// for each exchange, as it completes (Add is safe for concurrent use):
//	s.Add(har.ExchangeEntry(n, req, reqBody, resp, respBody, started, elapsed))
//	// whenever a diagnosis is wanted (a copy; Add may go on):
//	ig := s.Integration()
//
// Each exchange becomes at most one compact per-call record: an
// integration.Call for a new shape or a failure, an integration.CallRepeat
// (a few dozen bytes) for a successful call that repeats an earlier shape.
// The OAuth and sign-in steps it shows become integration.FlowSteps, and
// every credential it shows (by name, at any depth: redact.IsSecretName)
// is remembered in Capture.Secrets for redaction. Bodies are read, then
// dropped.
//
// Only Contio's hosts, the hosts of Options.APIURL/AuthURL (matched by
// host and port), and a host that served a path only Contio serves are
// Contio; the partner's own hosts stay the partner's, on loopback too.
// Error codes are read from JSON bodies, HTML error pages and the error
// parameter of redirects; repeated form and query fields keep every value.
//
// Captures are read entry by entry from a stream: memory stays bounded by
// the size limits on kept bodies and the compact records, whatever the
// size of the file.
package har

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime/debug"
	"strings"
	"time"
)

// Size limits of what the reader keeps; longer values are truncated (and
// flagged), the rest of the file is skipped without being held in memory.
const (
	// DefaultMaxBody is the largest request or response body kept: token,
	// introspection and error responses are far smaller.
	DefaultMaxBody = 64 << 10
	maxURL         = 64 << 10
	maxHeaderValue = 16 << 10
	maxHeaders     = 256
	maxShort       = 256
)

// Header is one name/value pair of a request or response.
type Header struct {
	Name, Value string
}

// Entry is one request/response pair of a capture, with what the doctor
// needs of it. Bodies are kept only up to the reader's limit.
type Entry struct {
	// Index is the 1-based position of the entry in log.entries.
	Index int
	// Offset and Line are where the entry starts in the file.
	Offset int64
	Line   int

	StartedRaw string
	Started    time.Time
	// Time is the total elapsed time in milliseconds (-1 or 0 when unknown).
	Time float64
	// ResourceType is Chromium's _resourceType (document, xhr, fetch,
	// image, stylesheet…), "" when the producer writes none.
	ResourceType string
	Request      Request
	Response     Response
}

// Request is the request half of an entry.
type Request struct {
	Method      string
	URL         string
	HTTPVersion string
	Headers     []Header
	Cookies     []Header
	PostData    *Body
}

// Response is the response half of an entry. Status 0 means no response
// (browsers record failed and blocked requests that way).
type Response struct {
	Status      int
	StatusText  string
	Headers     []Header
	Cookies     []Header
	Content     Body
	RedirectURL string
}

// Body is postData or content.
type Body struct {
	MimeType string
	Text     string
	// Encoding is "base64" when Text is base64 of the body.
	Encoding string
	// Truncated is true when Text was longer than the reader keeps.
	Truncated bool
	// Params are postData.params (form fields some tools list apart).
	Params []Header
}

// Bytes returns the body, base64-decoded when its encoding says so. ok is
// false for a truncated body or undecodable base64.
func (b *Body) Bytes() (data []byte, ok bool) {
	if b == nil || b.Truncated {
		return nil, false
	}
	if strings.EqualFold(b.Encoding, "base64") {
		d, err := base64.StdEncoding.DecodeString(b.Text)
		if err != nil {
			return nil, false
		}
		return d, true
	}
	return []byte(b.Text), true
}

// Header returns the first value of the named header (case-insensitive).
func headerValue(hs []Header, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// Header returns the first value of the named request header.
func (r *Request) Header(name string) string { return headerValue(r.Headers, name) }

// Header returns the first value of the named response header.
func (r *Response) Header(name string) string { return headerValue(r.Headers, name) }

// Reader reads a HAR capture one entry at a time.
type Reader struct {
	s       *scanner
	maxBody int
	state   int // 0: before entries, 1: in entries, 2: done
	index   int
	err     error
	// Version and Creator are log.version and log.creator.name when they
	// come before the entries (as every known writer puts them).
	Version, Creator string
}

// NewReader returns a Reader of r keeping bodies up to maxBody bytes
// (0 means DefaultMaxBody).
func NewReader(r io.Reader, maxBody int) *Reader {
	if maxBody <= 0 {
		maxBody = DefaultMaxBody
	}
	return &Reader{s: newScanner(r), maxBody: maxBody}
}

// EntryError is a malformed entry, with its index and position.
type EntryError struct {
	Index int
	Err   error
}

func (e *EntryError) Error() string { return fmt.Sprintf("entry %d: %v", e.Index, e.Err) }
func (e *EntryError) Unwrap() error { return e.Err }

// Next returns the next entry, or io.EOF after the last one. Any other
// error is final and says where the input went wrong.
func (r *Reader) Next() (*Entry, error) {
	if r.err != nil {
		return nil, r.err
	}
	e, err := r.next()
	if err != nil {
		r.err = err
	}
	return e, err
}

func (r *Reader) next() (*Entry, error) {
	s := r.s
	switch r.state {
	case 0:
		if err := r.open(); err != nil {
			return nil, err
		}
		r.state = 1
		c, ok := s.peek()
		if !ok {
			return nil, s.eofError("log.entries")
		}
		if c == ']' {
			return nil, r.finish()
		}
	case 1:
		c, ok := s.peek()
		if !ok {
			return nil, &EntryError{r.index + 1, s.eofError("log.entries")}
		}
		if c == ']' {
			return nil, r.finish()
		}
		if c != ',' {
			return nil, &EntryError{r.index + 1, s.errorf("expected ',' or ']' between entries, found %s", quoteByte(c))}
		}
		s.pos++
	default:
		return nil, io.EOF
	}
	r.index++
	if _, ok := s.peek(); !ok {
		return nil, &EntryError{r.index, s.eofError("log.entries")}
	}
	e := &Entry{Index: r.index, Offset: s.base + int64(s.pos)}
	e.Line = s.line()
	if err := r.entry(e); err != nil {
		return nil, &EntryError{r.index, err}
	}
	return e, nil
}

// open walks to the start of log.entries.
func (r *Reader) open() error {
	s := r.s
	c, ok := s.peek()
	if !ok {
		if s.rerr != nil {
			return fmt.Errorf("read: %w", s.rerr)
		}
		return errors.New("the file is empty: a HAR file is a JSON object with a log.entries array")
	}
	if c != '{' {
		return s.errorf("not a HAR file: expected a JSON object, found %s", quoteByte(c))
	}
	s.pos++
	foundLog := false
	for first := true; ; first = false {
		c, ok := s.peek()
		if !ok {
			return s.eofError("the top-level object")
		}
		if c == '}' {
			if foundLog {
				return s.errorf("not a HAR file: log has no entries array")
			}
			return s.errorf(`not a HAR file: no "log" object at the top level`)
		}
		if !first {
			if err := s.expect(',', "between keys"); err != nil {
				return err
			}
		}
		k, _, err := s.readString(maxShort)
		if err != nil {
			return err
		}
		if err := s.expect(':', "after a key"); err != nil {
			return err
		}
		if string(k) != "log" {
			if err := s.skipValue(); err != nil {
				return err
			}
			continue
		}
		foundLog = true
		if err := s.expect('{', `for "log" (an object)`); err != nil {
			return err
		}
		for lfirst := true; ; lfirst = false {
			c, ok := s.peek()
			if !ok {
				return s.eofError("log")
			}
			if c == '}' {
				return s.errorf("not a HAR file: log has no entries array")
			}
			if !lfirst {
				if err := s.expect(',', "between keys of log"); err != nil {
					return err
				}
			}
			k, _, err := s.readString(maxShort)
			if err != nil {
				return err
			}
			if err := s.expect(':', "after a key"); err != nil {
				return err
			}
			switch string(k) {
			case "entries":
				return s.expect('[', "for log.entries (an array)")
			case "version":
				r.Version, _, err = s.readText(maxShort)
			case "creator":
				err = s.object("log.creator", func(key string) error {
					if key == "name" {
						var e error
						r.Creator, _, e = s.readText(maxShort)
						return e
					}
					return s.skipValue()
				})
			default:
				err = s.skipValue()
			}
			if err != nil {
				return err
			}
		}
	}
}

// finish consumes the closing ']' of entries and checks the rest of the
// document is well formed.
func (r *Reader) finish() error {
	s := r.s
	s.pos++ // ']'
	r.state = 2
	// The rest of log, then the rest of the top-level object.
	for level := 0; level < 2; level++ {
		for {
			c, ok := s.peek()
			if !ok {
				return s.eofError("the end of the document")
			}
			if c == '}' {
				s.pos++
				break
			}
			if err := s.expect(',', "after log.entries"); err != nil {
				return err
			}
			if _, _, err := s.readString(maxShort); err != nil {
				return err
			}
			if err := s.expect(':', "after a key"); err != nil {
				return err
			}
			if err := s.skipValue(); err != nil {
				return err
			}
		}
	}
	if c, ok := s.peek(); ok {
		return s.errorf("unexpected %s after the end of the HAR document", quoteByte(c))
	}
	if s.rerr != nil {
		return fmt.Errorf("read: %w", s.rerr)
	}
	return io.EOF
}

func (r *Reader) entry(e *Entry) error {
	s := r.s
	return s.object("entry", func(key string) error {
		var err error
		switch key {
		case "startedDateTime":
			e.StartedRaw, _, err = s.readText(maxShort)
			if err == nil && e.StartedRaw != "" {
				t, perr := time.Parse(time.RFC3339Nano, e.StartedRaw)
				if perr != nil {
					return s.errorf("startedDateTime %q is not an ISO 8601 date-time", e.StartedRaw)
				}
				e.Started = t
			}
		case "time":
			e.Time, err = s.readNumber("time")
		case "_resourceType":
			e.ResourceType, _, err = s.readText(maxShort)
		case "request":
			err = r.request(&e.Request)
		case "response":
			err = r.response(&e.Response)
		default:
			err = s.skipValue()
		}
		return err
	})
}

func (r *Reader) request(q *Request) error {
	s := r.s
	return s.object("request", func(key string) error {
		var err error
		switch key {
		case "method":
			q.Method, _, err = s.readText(maxShort)
		case "url":
			var trunc bool
			q.URL, trunc, err = s.readText(maxURL)
			if err == nil && trunc {
				q.URL = "" // a cut URL would mislead every check
			}
		case "httpVersion":
			q.HTTPVersion, _, err = s.readText(maxShort)
		case "headers":
			q.Headers, err = r.pairs("request.headers", q.Headers)
		case "cookies":
			q.Cookies, err = r.pairs("request.cookies", q.Cookies)
		case "postData":
			q.PostData = &Body{}
			err = r.body("request.postData", q.PostData)
		default:
			err = s.skipValue()
		}
		return err
	})
}

func (r *Reader) response(p *Response) error {
	s := r.s
	return s.object("response", func(key string) error {
		var err error
		switch key {
		case "status":
			var f float64
			f, err = s.readNumber("response.status")
			if err == nil && (f < 0 || f > 999) {
				return s.errorf("response.status %v is not an HTTP status", f)
			}
			p.Status = int(f)
		case "statusText":
			p.StatusText, _, err = s.readText(maxShort)
		case "headers":
			p.Headers, err = r.pairs("response.headers", p.Headers)
		case "cookies":
			p.Cookies, err = r.pairs("response.cookies", p.Cookies)
		case "content":
			err = r.body("response.content", &p.Content)
		case "redirectURL":
			p.RedirectURL, _, err = s.readText(maxURL)
		default:
			err = s.skipValue()
		}
		return err
	})
}

func (r *Reader) body(what string, b *Body) error {
	s := r.s
	return s.object(what, func(key string) error {
		var err error
		switch key {
		case "mimeType":
			b.MimeType, _, err = s.readText(maxShort)
		case "text":
			var trunc bool
			b.Text, trunc, err = s.readText(r.maxBody)
			if trunc {
				b.Text, b.Truncated = "", true
			}
		case "encoding":
			b.Encoding, _, err = s.readText(maxShort)
		case "params":
			b.Params, err = r.pairs(what+".params", b.Params)
		default:
			err = s.skipValue()
		}
		return err
	})
}

// pairs reads an array of {name, value} objects (headers, cookies, params).
func (r *Reader) pairs(what string, into []Header) ([]Header, error) {
	s := r.s
	err := s.array(what, func() error {
		var h Header
		err := s.object(what+" item", func(key string) error {
			var err error
			switch key {
			case "name":
				h.Name, _, err = s.readText(maxShort)
			case "value":
				h.Value, _, err = s.readText(maxHeaderValue)
			default:
				err = s.skipValue()
			}
			return err
		})
		if err != nil {
			return err
		}
		if len(into) == maxHeaders {
			// Dropping the rest could hide the one header a check needs.
			return s.errorf("%s has more than %d items", what, maxHeaders)
		}
		into = append(into, h)
		return nil
	})
	return into, err
}

// SoftMemoryLimit is the Go runtime's soft memory limit the har command
// sets (unless GOMEMLIMIT gives one): what a capture costs is a few tens
// of megabytes of live records and secret patterns, and the limit makes
// the collector reclaim the garbage of reading gigabytes before it piles
// up, instead of letting the heap grow to twice the live size.
const SoftMemoryLimit = 56 << 20

// UseSoftMemoryLimit sets SoftMemoryLimit when no limit is set, and
// returns a func that restores the previous one. Under the limit the
// collector is let wait longer than its default (heap at twice the live
// size): the limit, not the growth ratio, bounds the heap, and reading a
// capture is mostly short-lived garbage that a later cycle frees as well.
func UseSoftMemoryLimit() (restore func()) {
	prev := debug.SetMemoryLimit(-1)
	if prev != math.MaxInt64 {
		return func() {}
	}
	debug.SetMemoryLimit(SoftMemoryLimit)
	gc := debug.SetGCPercent(softLimitGCPercent)
	return func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(prev)
	}
}

// softLimitGCPercent is GOGC under the soft memory limit.
const softLimitGCPercent = 400
