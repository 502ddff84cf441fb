package webhookdiag

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httputil"
	"strconv"
	"strings"

	"github.com/Contio-AI/contio-doctor/webhook"
)

// Delivery is a captured request: its headers and the body bytes.
type Delivery struct {
	Method, Target string
	// Headers in the order given; look them up with Header.
	Headers []HeaderField
	Body    []byte
	// Notes are remarks about the capture (a body longer than its
	// Content-Length, a repeated signature header).
	Notes []string
}

// HeaderField is one header line.
type HeaderField struct{ Name, Value string }

// Header returns the first value of the named header (case-insensitive)
// and whether it is present at all.
func (d *Delivery) Header(name string) (string, bool) {
	for _, h := range d.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}

func (d *Delivery) noteRepeats() {
	n := 0
	for _, h := range d.Headers {
		if strings.EqualFold(h.Name, webhook.Header) {
			n++
		}
	}
	if n > 1 {
		d.Notes = append(d.Notes, fmt.Sprintf("%s appears %d times; the first is used (Contio sends it once: a proxy may have added one)", webhook.Header, n))
	}
}

// maxHeaderLines bounds a dump's header section.
const maxHeaderLines = 1000

// ParseRequest reads a raw HTTP/1.x request dump: request line, header
// lines, a blank line, the body. Lines may end in CRLF or LF. The body is
// kept byte for byte; a chunked body is decoded, and a body longer than its
// Content-Length (an editor's trailing newline) is cut to it with a note.
func ParseRequest(data []byte) (*Delivery, error) {
	d := &Delivery{}
	rest := data
	line := 0
	next := func() (string, bool) {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			s := string(rest)
			rest = nil
			line++
			return s, false
		}
		s := strings.TrimSuffix(string(rest[:i]), "\r")
		rest = rest[i+1:]
		line++
		return s, true
	}
	first, ok := next()
	first = strings.TrimPrefix(first, "\ufeff")
	fields := strings.Fields(first)
	if len(fields) < 2 || len(fields) > 3 || strings.ContainsAny(fields[0], ":/") {
		return nil, fmt.Errorf("line 1: want a request line such as \"POST /webhooks HTTP/1.1\", got %q", clip(first))
	}
	d.Method, d.Target = fields[0], fields[1]
	if !ok {
		return nil, fmt.Errorf("line 1: the dump ends after the request line; want headers, a blank line and the body")
	}
	ended := false
	for rest != nil {
		s, more := next()
		if s == "" && more {
			ended = true
			break
		}
		if s == "" {
			break
		}
		if line > maxHeaderLines {
			return nil, fmt.Errorf("line %d: more than %d header lines; is the blank line before the body missing?", line, maxHeaderLines)
		}
		if s[0] == ' ' || s[0] == '\t' {
			if len(d.Headers) == 0 {
				return nil, fmt.Errorf("line %d: a continuation line before any header", line)
			}
			// Obsolete line folding: join with one space, as servers do.
			d.Headers[len(d.Headers)-1].Value += " " + strings.TrimSpace(s)
			continue
		}
		name, value, found := strings.Cut(s, ":")
		if !found || name == "" || strings.ContainsAny(name, " \t") {
			return nil, fmt.Errorf("line %d: want \"Name: value\", got %q", line, clip(s))
		}
		// Servers drop the whitespace around a header value (RFC 9110 §5.5).
		d.Headers = append(d.Headers, HeaderField{name, strings.Trim(value, " \t")})
	}
	if !ended {
		return nil, fmt.Errorf("line %d: no blank line after the headers, so there is no body", line)
	}
	d.Body = rest
	if d.Body == nil {
		d.Body = []byte{}
	}
	if te, _ := d.Header("Transfer-Encoding"); strings.EqualFold(strings.TrimSpace(te), "chunked") {
		b, err := io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(d.Body)))
		if err != nil {
			return nil, fmt.Errorf("line %d: chunked body: %w", line+1, err)
		}
		d.Body = b
	} else if cl, ok := d.Header("Content-Length"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(cl))
		switch {
		case err != nil || n < 0:
			return nil, fmt.Errorf("Content-Length %q is not a byte count", clip(cl))
		case n < len(d.Body):
			d.Notes = append(d.Notes, fmt.Sprintf("the body has %d bytes after the blank line but Content-Length is %d; using the first %d (the rest is likely a newline the editor added)", len(d.Body), n, n))
			d.Body = d.Body[:n]
		case n > len(d.Body):
			return nil, fmt.Errorf("the body has %d bytes but Content-Length says %d: the dump is cut short", len(d.Body), n)
		}
	}
	d.noteRepeats()
	return d, nil
}

// harFile is the part of HAR 1.2 a delivery needs.
type harFile struct {
	Log struct {
		Entries []struct {
			Request struct {
				Method  string `json:"method"`
				URL     string `json:"url"`
				Headers []struct {
					Name  string `json:"name"`
					Value string `json:"value"`
				} `json:"headers"`
				PostData *struct {
					MimeType string `json:"mimeType"`
					Text     string `json:"text"`
					Encoding string `json:"encoding"`
				} `json:"postData"`
			} `json:"request"`
		} `json:"entries"`
	} `json:"log"`
}

// ParseHAR reads entry n (1-based) of a HAR capture as a delivery. With n
// 0 it takes the first entry that carries an X-Contio-Signature header.
func ParseHAR(data []byte, n int) (*Delivery, int, error) {
	var h harFile
	if err := json.Unmarshal(data, &h); err != nil {
		return nil, 0, fmt.Errorf("not a HAR file: %w", jsonPos(data, err))
	}
	entries := h.Log.Entries
	if len(entries) == 0 {
		return nil, 0, fmt.Errorf("the HAR file has no entries (log.entries is empty or missing)")
	}
	if n == 0 {
		for i, e := range entries {
			for _, hd := range e.Request.Headers {
				if strings.EqualFold(hd.Name, webhook.Header) {
					n = i + 1
					break
				}
			}
			if n != 0 {
				break
			}
		}
		if n == 0 {
			return nil, 0, fmt.Errorf("no entry of the %d carries %s; pick one with --entry N", len(entries), webhook.Header)
		}
	}
	if n < 1 || n > len(entries) {
		return nil, 0, fmt.Errorf("--entry %d: the HAR file has entries 1 to %d", n, len(entries))
	}
	e := entries[n-1].Request
	d := &Delivery{Method: e.Method, Target: e.URL, Body: []byte{}}
	for _, hd := range e.Headers {
		d.Headers = append(d.Headers, HeaderField{hd.Name, hd.Value})
	}
	if pd := e.PostData; pd != nil {
		switch strings.ToLower(pd.Encoding) {
		case "":
			d.Body = []byte(pd.Text)
		case "base64":
			b, err := base64.StdEncoding.DecodeString(pd.Text)
			if err != nil {
				return nil, n, fmt.Errorf("entry %d: postData.text is not valid base64: %w", n, err)
			}
			d.Body = b
		default:
			return nil, n, fmt.Errorf("entry %d: unknown postData.encoding %q (want base64 or none)", n, pd.Encoding)
		}
	} else {
		d.Notes = append(d.Notes, fmt.Sprintf("entry %d has no postData: the body is empty (some browsers leave large or binary bodies out of HAR files)", n))
	}
	d.noteRepeats()
	return d, n, nil
}

// jsonPos adds line:col to a JSON syntax error.
func jsonPos(data []byte, err error) error {
	var off int64
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
	default:
		return err
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	ln := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return fmt.Errorf("line %d, column %d: %w", ln, col, err)
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
