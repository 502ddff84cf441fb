package har

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// File is a HAR 1.2 document as the Recorder writes it.
type File struct {
	Log Log `json:"log"`
}

// Log is the document's log object.
type Log struct {
	Version string   `json:"version"`
	Creator Creator  `json:"creator"`
	Entries []Record `json:"entries"`
}

// Creator names the tool that wrote the capture.
type Creator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Record is one entry as written.
type Record struct {
	StartedDateTime string         `json:"startedDateTime"`
	Time            float64        `json:"time"`
	Request         RecordRequest  `json:"request"`
	Response        RecordResponse `json:"response"`
	Cache           struct{}       `json:"cache"`
	Timings         Timings        `json:"timings"`
}

// NameValue is a header, cookie, query or form parameter.
type NameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// RecordRequest is a written request.
type RecordRequest struct {
	Method      string      `json:"method"`
	URL         string      `json:"url"`
	HTTPVersion string      `json:"httpVersion"`
	Cookies     []NameValue `json:"cookies"`
	Headers     []NameValue `json:"headers"`
	QueryString []NameValue `json:"queryString"`
	PostData    *PostData   `json:"postData,omitempty"`
	HeadersSize int         `json:"headersSize"`
	BodySize    int         `json:"bodySize"`
}

// PostData is a written request body.
type PostData struct {
	MimeType string      `json:"mimeType"`
	Text     string      `json:"text"`
	Params   []NameValue `json:"params,omitempty"`
}

// RecordResponse is a written response.
type RecordResponse struct {
	Status      int         `json:"status"`
	StatusText  string      `json:"statusText"`
	HTTPVersion string      `json:"httpVersion"`
	Cookies     []NameValue `json:"cookies"`
	Headers     []NameValue `json:"headers"`
	Content     Content     `json:"content"`
	RedirectURL string      `json:"redirectURL"`
	HeadersSize int         `json:"headersSize"`
	BodySize    int         `json:"bodySize"`
}

// Content is a written response body.
type Content struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Encoding string `json:"encoding,omitempty"`
}

// Timings are the phases of an entry, in milliseconds.
type Timings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

// Recorder is an http.RoundTripper that records every exchange as a HAR
// 1.2 entry. Entry times come from Clock, so a recording made against the
// sandbox's fake clock carries the sandbox's time.
type Recorder struct {
	// Transport sends the requests (nil: http.DefaultTransport).
	Transport http.RoundTripper
	// Clock dates the entries (nil: time.Now).
	Clock func() time.Time

	mu      sync.Mutex
	entries []Record
}

// RoundTrip sends req and records the exchange.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	clock := r.Clock
	if clock == nil {
		clock = time.Now
	}
	tr := r.Transport
	if tr == nil {
		tr = http.DefaultTransport
	}
	var reqBody []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("record request body: %w", err)
		}
		reqBody = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	started := clock()
	resp, err := tr.RoundTrip(req)
	rec := Record{
		StartedDateTime: started.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		Request:         recordRequest(req, reqBody),
		Response:        RecordResponse{HTTPVersion: "HTTP/1.1", Cookies: []NameValue{}, Headers: []NameValue{}, HeadersSize: -1, BodySize: -1},
	}
	if err != nil {
		// HAR records a request without a response as status 0.
		r.append(rec)
		return nil, err
	}
	body, rerr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	elapsed := clock().Sub(started)
	rec.Time = float64(elapsed) / float64(time.Millisecond)
	rec.Timings = Timings{Wait: rec.Time}
	rec.Response = recordResponse(resp, body)
	r.append(rec)
	if rerr != nil {
		return nil, fmt.Errorf("record response body: %w", rerr)
	}
	return resp, nil
}

func (r *Recorder) append(rec Record) {
	r.mu.Lock()
	r.entries = append(r.entries, rec)
	r.mu.Unlock()
}

// Entries returns the recorded entries, oldest first.
func (r *Recorder) Entries() []Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Record(nil), r.entries...)
}

// WriteTo writes the recording as an indented HAR 1.2 document.
func (r *Recorder) WriteTo(w io.Writer) (int64, error) {
	doc := File{Log: Log{Version: "1.2", Creator: Creator{Name: "contio-doctor", Version: "har.Recorder"}, Entries: r.Entries()}}
	if doc.Log.Entries == nil {
		doc.Log.Entries = []Record{}
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return 0, fmt.Errorf("encode HAR: %w", err)
	}
	n, err := w.Write(append(b, '\n'))
	return int64(n), err
}

func recordRequest(req *http.Request, body []byte) RecordRequest {
	out := RecordRequest{
		Method: req.Method, URL: req.URL.String(), HTTPVersion: "HTTP/1.1",
		Cookies: []NameValue{}, Headers: headerList(req.Header), QueryString: []NameValue{},
		HeadersSize: -1, BodySize: len(body),
	}
	for _, c := range req.Cookies() {
		out.Cookies = append(out.Cookies, NameValue{c.Name, c.Value})
	}
	q := req.URL.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range q[k] {
			out.QueryString = append(out.QueryString, NameValue{k, v})
		}
	}
	if len(body) > 0 {
		out.PostData = &PostData{MimeType: req.Header.Get("Content-Type"), Text: string(body)}
	}
	return out
}

func recordResponse(resp *http.Response, body []byte) RecordResponse {
	out := RecordResponse{
		Status: resp.StatusCode, StatusText: strings.TrimSpace(strings.TrimPrefix(resp.Status, fmt.Sprint(resp.StatusCode))),
		HTTPVersion: "HTTP/1.1", Cookies: []NameValue{}, Headers: headerList(resp.Header),
		RedirectURL: resp.Header.Get("Location"), HeadersSize: -1, BodySize: len(body),
	}
	if out.StatusText == "" {
		out.StatusText = http.StatusText(resp.StatusCode)
	}
	for _, c := range resp.Cookies() {
		out.Cookies = append(out.Cookies, NameValue{c.Name, c.Value})
	}
	out.Content = Content{Size: len(body), MimeType: resp.Header.Get("Content-Type")}
	if utf8.Valid(body) {
		out.Content.Text = string(body)
	} else {
		out.Content.Text, out.Content.Encoding = base64.StdEncoding.EncodeToString(body), "base64"
	}
	return out
}

// headerList is h as HAR name/value pairs in a stable order.
func headerList(h http.Header) []NameValue {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := []NameValue{}
	for _, k := range keys {
		for _, v := range h[k] {
			out = append(out, NameValue{k, v})
		}
	}
	return out
}
