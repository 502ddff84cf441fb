package har

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"

	"github.com/Contio-AI/contio-doctor/internal/redact"
)

// exactStringLimit is the longest string value WriteRedacted decodes,
// redacts and re-encodes whole (including a look inside base64 bodies);
// longer ones are redacted as a stream of their raw bytes.
const exactStringLimit = 8 << 20

// WriteRedacted copies the HAR document src to dst with every secret red
// knows replaced by its fingerprint, in every string of the document:
// header values, URLs, bodies (base64 bodies are decoded, redacted and
// encoded again). Everything outside strings is copied byte for byte, and
// strings without a secret are left exactly as they were, so the copy has
// the same entries and fields as the original. The document is read once,
// and each string is searched once for every secret at the same time (the
// redactor's automaton). src must be well-formed JSON (Load it first).
func WriteRedacted(dst io.Writer, src io.Reader, red *redact.Redactor) error {
	in := bufio.NewReaderSize(src, 256<<10)
	out := bufio.NewWriterSize(dst, 256<<10)
	var raw []byte
	for {
		chunk, err := in.ReadSlice('"')
		if len(chunk) > 0 {
			if _, werr := out.Write(chunk); werr != nil {
				return fmt.Errorf("write redacted capture: %w", werr)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("read capture: %w", err)
		}
		// chunk ended with an opening quote: read the string.
		raw = raw[:0]
		long, err := readRawString(in, out, &raw, red)
		if err != nil {
			return err
		}
		if !long {
			if _, err := out.Write(redactString(raw, red)); err != nil {
				return fmt.Errorf("write redacted capture: %w", err)
			}
		}
		if err := out.WriteByte('"'); err != nil {
			return fmt.Errorf("write redacted capture: %w", err)
		}
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("write redacted capture: %w", err)
	}
	return nil
}

// readRawString reads the raw bytes of a string up to (and consuming) its
// closing quote into *raw. A string longer than exactStringLimit is
// redacted as it streams (through the redactor's streaming writer, which
// finds a secret cut between two reads); long is then true.
func readRawString(in *bufio.Reader, out *bufio.Writer, raw *[]byte, red *redact.Redactor) (long bool, err error) {
	var stream io.WriteCloser
	for {
		chunk, err := in.ReadSlice('"')
		if err != nil && err != bufio.ErrBufferFull {
			return false, fmt.Errorf("read capture: unterminated string: %w", err)
		}
		*raw = append(*raw, chunk...)
		if err == nil {
			// The quote ends the string unless an odd run of backslashes
			// escapes it.
			body := (*raw)[:len(*raw)-1]
			if trailingBackslashes(body)%2 == 0 {
				*raw = body
				if stream != nil {
					if _, err := stream.Write(*raw); err != nil {
						return true, fmt.Errorf("write redacted capture: %w", err)
					}
					if err := stream.Close(); err != nil {
						return true, fmt.Errorf("write redacted capture: %w", err)
					}
				}
				return stream != nil, nil
			}
		}
		if len(*raw) >= exactStringLimit {
			if stream == nil {
				stream = red.Writer(out)
			}
			if _, err := stream.Write(*raw); err != nil {
				return true, fmt.Errorf("write redacted capture: %w", err)
			}
			*raw = (*raw)[:0]
		}
	}
}

// redactString returns the raw JSON string content with secrets replaced,
// or raw itself when it holds none.
func redactString(raw []byte, red *redact.Redactor) []byte {
	if bytes.IndexByte(raw, '\\') < 0 || !bytes.Contains(raw, []byte(`\u`)) && !bytes.Contains(raw, []byte(`\/`)) {
		// No escapes that could hide a secret's characters (nearly every
		// string): the automaton runs on the raw bytes, where a secret with
		// quotes or line ends shows in its registered JSON-escaped form.
		r := red.Bytes(raw)
		if len(r) == len(raw) && (len(raw) == 0 || &r[0] == &raw[0]) && looksBase64(string(raw)) {
			if data, err := base64.StdEncoding.DecodeString(string(raw)); err == nil {
				if rd := red.Bytes(data); !bytes.Equal(rd, data) {
					return []byte(base64.StdEncoding.EncodeToString(rd))
				}
			}
		}
		return r
	}
	var v string
	quoted := make([]byte, 0, len(raw)+2)
	quoted = append(append(append(quoted, '"'), raw...), '"')
	if err := json.Unmarshal(quoted, &v); err != nil {
		return red.Bytes(raw)
	}
	r := red.String(v)
	if r == v && looksBase64(v) {
		if data, err := base64.StdEncoding.DecodeString(v); err == nil {
			if rd := red.Bytes(bytes.Clone(data)); !bytes.Equal(rd, data) {
				r = base64.StdEncoding.EncodeToString(rd)
			}
		}
	}
	if r == v {
		// Also the raw, escaped text: a secret registered in its escaped
		// form.
		return red.Bytes(raw)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(r)
	s := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	return s[1 : len(s)-1]
}

// looksBase64 reports whether s could be a base64 body (HAR content with
// "encoding": "base64").
func looksBase64(s string) bool {
	if len(s) < 8 || len(s)%4 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}
