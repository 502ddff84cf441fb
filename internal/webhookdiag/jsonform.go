package webhookdiag

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonNode is a parsed JSON value that keeps object key order, which
// encoding/json's map decoding would lose: re-encoders differ exactly in
// whether they keep it.
type jsonNode struct {
	kind  byte // '{', '[', 's', 'n', 'b', 'z' (null)
	str   string
	num   json.Number
	b     bool
	keys  []string
	elems []*jsonNode // object values (parallel to keys) or array elements
}

// parseOrdered parses one JSON document keeping key order.
func parseOrdered(data []byte) (*jsonNode, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := parseNode(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after the JSON value")
	}
	return n, nil
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 512

func parseNode(dec *json.Decoder, depth int) (*jsonNode, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("JSON nested deeper than %d levels", maxDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &jsonNode{kind: '{'}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key is not a string")
				}
				v, err := parseNode(dec, depth+1)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k)
				n.elems = append(n.elems, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return n, nil
		case '[':
			n := &jsonNode{kind: '['}
			for dec.More() {
				v, err := parseNode(dec, depth+1)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return n, nil
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case string:
		return &jsonNode{kind: 's', str: t}, nil
	case json.Number:
		return &jsonNode{kind: 'n', num: t}, nil
	case bool:
		return &jsonNode{kind: 'b', b: t}, nil
	case nil:
		return &jsonNode{kind: 'z'}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// escapeStyle is how a serialiser escapes strings.
type escapeStyle int

const (
	// escapeMinimal is JavaScript's JSON.stringify: only quote, backslash
	// and control characters.
	escapeMinimal escapeStyle = iota
	// escapeGoHTML is Go's encoding/json default: also <, >, & and
	// U+2028/U+2029 as \u escapes.
	escapeGoHTML
	// escapeASCII is Python's json.dumps default (ensure_ascii): every
	// non-ASCII character as \u escapes.
	escapeASCII
)

// jsonForm is one way a framework re-serialises a parsed body.
type jsonForm struct {
	sortKeys bool
	// envelopeOrder puts the top-level keys in the documented envelope
	// order, the order Contio's generator presumably writes: it restores a
	// body whose keys something else re-ordered.
	envelopeOrder bool
	escape        escapeStyle
	// indent is "" for one line; otherwise the per-level indent.
	indent string
	// spaced is Python's default separators ", " and ": " on one line.
	spaced bool
	// normaliseNumbers re-prints numbers as a float64 round trip (1.0 → 1),
	// as JavaScript and Go's map decoding do.
	normaliseNumbers bool
}

func (f jsonForm) encode(n *jsonNode) []byte {
	var b bytes.Buffer
	f.write(&b, n, 0)
	return b.Bytes()
}

func (f jsonForm) write(b *bytes.Buffer, n *jsonNode, depth int) {
	switch n.kind {
	case 'z':
		b.WriteString("null")
	case 'b':
		b.WriteString(strconv.FormatBool(n.b))
	case 'n':
		b.WriteString(f.number(n.num))
	case 's':
		writeString(b, n.str, f.escape)
	case '[':
		if len(n.elems) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range n.elems {
			if i > 0 {
				f.comma(b)
			}
			f.newline(b, depth+1)
			f.write(b, e, depth+1)
		}
		f.newline(b, depth)
		b.WriteByte(']')
	case '{':
		if len(n.keys) == 0 {
			b.WriteString("{}")
			return
		}
		order := make([]int, len(n.keys))
		for i := range order {
			order[i] = i
		}
		if f.sortKeys || (f.envelopeOrder && depth == 0) {
			sort.SliceStable(order, func(i, j int) bool { return n.keys[order[i]] < n.keys[order[j]] })
		}
		if f.envelopeOrder && depth == 0 {
			sort.SliceStable(order, func(i, j int) bool { return envelopeRank(n.keys[order[i]]) < envelopeRank(n.keys[order[j]]) })
		}
		b.WriteByte('{')
		for i, k := range order {
			if i > 0 {
				f.comma(b)
			}
			f.newline(b, depth+1)
			writeString(b, n.keys[k], f.escape)
			if f.indent != "" || f.spaced {
				b.WriteString(": ")
			} else {
				b.WriteByte(':')
			}
			f.write(b, n.elems[k], depth+1)
		}
		f.newline(b, depth)
		b.WriteByte('}')
	}
}

func (f jsonForm) comma(b *bytes.Buffer) {
	b.WriteByte(',')
	if f.spaced && f.indent == "" {
		b.WriteByte(' ')
	}
}

func (f jsonForm) newline(b *bytes.Buffer, depth int) {
	if f.indent == "" {
		return
	}
	b.WriteByte('\n')
	for range depth {
		b.WriteString(f.indent)
	}
}

func (f jsonForm) number(n json.Number) string {
	if !f.normaliseNumbers {
		return string(n)
	}
	v, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return string(n)
	}
	// The ECMAScript Number::toString rule, which Go's encoder also follows.
	abs := math.Abs(v)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		s := strconv.FormatFloat(v, 'e', -1, 64)
		// Go writes e-07 where JavaScript writes e-7.
		if i := strings.Index(s, "e"); i >= 0 && len(s) > i+3 && s[i+2] == '0' {
			s = s[:i+2] + s[i+3:]
		}
		return s
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func writeString(b *bytes.Buffer, s string, style escapeStyle) {
	const hexDigits = "0123456789abcdef"
	u := func(r rune) {
		b.WriteString(`\u`)
		b.WriteByte(hexDigits[r>>12&0xf])
		b.WriteByte(hexDigits[r>>8&0xf])
		b.WriteByte(hexDigits[r>>4&0xf])
		b.WriteByte(hexDigits[r&0xf])
	}
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20:
			u(r)
		case style == escapeGoHTML && (r == '<' || r == '>' || r == '&' || r == '\u2028' || r == '\u2029'):
			u(r)
		case style == escapeASCII && r > 0x7e:
			if r >= 0x10000 {
				r1, r2 := utf16.EncodeRune(r)
				u(r1)
				u(r2)
			} else {
				u(r)
			}
		default:
			if r == utf8.RuneError {
				b.WriteString("\ufffd")
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// allForms is every re-serialisation the diagnosis tries: key order ×
// escaping × layout × number printing. Together they cover JSON.stringify,
// Go's json.Marshal and MarshalIndent, Python's json.dumps and the pretty
// printers of logging tools.
func allForms() []jsonForm {
	var out []jsonForm
	for _, norm := range []bool{true, false} {
		for _, keys := range []struct{ sorted, envelope bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
			for _, esc := range []escapeStyle{escapeMinimal, escapeGoHTML, escapeASCII} {
				for _, lay := range []struct {
					indent string
					spaced bool
				}{{"", false}, {"", true}, {"  ", false}, {"    ", false}, {"\t", false}} {
					out = append(out, jsonForm{sortKeys: keys.sorted, envelopeOrder: keys.envelope, escape: esc, indent: lay.indent, spaced: lay.spaced, normaliseNumbers: norm})
				}
			}
		}
	}
	return out
}

// describe says in words what the form looks like and who produces it.
func (f jsonForm) describe() string {
	var layout string
	switch {
	case f.indent == "  ":
		layout = "pretty-printed with 2-space indents"
	case f.indent == "    ":
		layout = "pretty-printed with 4-space indents"
	case f.indent == "\t":
		layout = "pretty-printed with tab indents"
	case f.spaced:
		layout = `on one line with ", " and ": " separators`
	default:
		layout = "compact (no whitespace)"
	}
	parts := []string{layout}
	switch {
	case f.envelopeOrder && f.sortKeys:
		parts = append(parts, "envelope keys in Contio's order and nested keys sorted")
	case f.envelopeOrder:
		parts = append(parts, "envelope keys in Contio's order")
	case f.sortKeys:
		parts = append(parts, "keys sorted alphabetically")
	default:
		parts = append(parts, "keys in their original order")
	}
	switch f.escape {
	case escapeGoHTML:
		parts = append(parts, `<, > and & written as \u003c, \u003e, \u0026`)
	case escapeASCII:
		parts = append(parts, `non-ASCII characters written as \u escapes`)
	default:
		parts = append(parts, "only the escapes JSON requires")
	}
	return strings.Join(parts, ", ")
}

// producer guesses which code writes this form, for the report.
func (f jsonForm) producer() string {
	switch {
	case f.indent == "" && f.spaced && f.escape == escapeASCII:
		return "Python's json.dumps(...)"
	case f.indent == "" && !f.spaced && f.escape == escapeMinimal && !f.sortKeys:
		return "JavaScript's JSON.stringify(req.body), e.g. express.json() before the verifier"
	case f.indent == "" && !f.spaced && f.escape == escapeGoHTML && f.sortKeys:
		return "Go's json.Marshal of a decoded map"
	case f.indent == "" && !f.spaced && f.escape == escapeGoHTML:
		return "Go's json.Marshal of a decoded struct"
	case f.indent == "  " && f.escape == escapeMinimal:
		return "JSON.stringify(body, null, 2) or a log formatter"
	case f.indent != "":
		return "a pretty-printer (a log formatter, an API gateway console or an editor)"
	}
	return "a JSON parse followed by a re-encode"
}

// envelopeFields is the envelope's field order in Contio's types.
var envelopeFields = []string{"event_type", "event_id", "timestamp", "partner_app_id", "data", "actor_user_id", "for_user"}

func envelopeRank(k string) int {
	for i, f := range envelopeFields {
		if f == k {
			return i
		}
	}
	return len(envelopeFields)
}
