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
// longer ones are redacted in overlapping chunks of their raw bytes.
const exactStringLimit = 8 << 20

// chunkOverlap is how much of a long string is held back between chunks:
// more than any encoded form of a secret, so none is split unseen.
const chunkOverlap = 8 << 10

// WriteRedacted copies the HAR document src to dst with every secret red
// knows replaced by its fingerprint, in every string of the document:
// header values, URLs, bodies (base64 bodies are decoded, redacted and
// encoded again). Everything outside strings is copied byte for byte, and
// strings without a secret are left exactly as they were, so the copy has
// the same entries and fields as the original. src must be well-formed
// JSON (Load it first).
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
// redacted and written as it streams; long is then true.
func readRawString(in *bufio.Reader, out *bufio.Writer, raw *[]byte, red *redact.Redactor) (long bool, err error) {
	escaped := false
	for {
		c, err := in.ReadByte()
		if err != nil {
			return false, fmt.Errorf("read capture: unterminated string: %w", err)
		}
		if !escaped && c == '"' {
			if long {
				if _, err := out.Write(red.Bytes(*raw)); err != nil {
					return true, fmt.Errorf("write redacted capture: %w", err)
				}
			}
			return long, nil
		}
		escaped = !escaped && c == '\\'
		*raw = append(*raw, c)
		if len(*raw) >= exactStringLimit+chunkOverlap {
			long = true
			done := red.Bytes((*raw)[:len(*raw)-chunkOverlap])
			// A secret cut by the chunk boundary lies in the held-back tail
			// and is found with the next chunk; hold back the tail of the
			// redacted text, which cannot contain one.
			keep := (*raw)[len(*raw)-chunkOverlap:]
			if _, err := out.Write(done); err != nil {
				return true, fmt.Errorf("write redacted capture: %w", err)
			}
			*raw = append((*raw)[:0], keep...)
		}
	}
}

// redactString returns the raw JSON string content with secrets replaced,
// or raw itself when it holds none.
func redactString(raw []byte, red *redact.Redactor) []byte {
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
		return raw
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
