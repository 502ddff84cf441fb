package report

import (
	"bytes"
	"encoding/xml"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// The JUnit renderer writes its XML itself so that the binary does not
// link encoding/xml. The tests keep encoding/xml as the oracle: the old
// renderer's Encoder path, on the same values, must give the same bytes.

// junitXMLDoc is junitSuites as encoding/xml encodes it: the embedded
// struct's tagged fields under the root element testsuites.
type junitXMLDoc struct {
	XMLName xml.Name `xml:"testsuites"`
	junitSuites
}

// encodeJUnitWithXML is the renderer as it was with encoding/xml.
func encodeJUnitWithXML(t testing.TB, d junitSuites) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(junitXMLDoc{junitSuites: d}); err != nil {
		t.Fatalf("encoding/xml: %v", err)
	}
	b.WriteString("\n")
	return b.Bytes()
}

// JUnitViaEncodingXML renders r's JUnit document with encoding/xml, for
// the external tests to compare with the renderer.
func JUnitViaEncodingXML(t testing.TB, r *Report) []byte {
	return encodeJUnitWithXML(t, junitDocument(r))
}

// hostileStrings are texts every escaping rule and edge of XML 1.0's
// character range meets.
func hostileStrings() []string {
	out := []string{
		"", "plain", `"double"`, "'single'", "a & b", "<script>alert(1)</script>", "]]>", "<![CDATA[x]]>",
		"</testcase></testsuite>", "&amp; &#0; &lt;", "line\nbreak", "crlf\r\nend", "tab\there", " lead and trail ",
		"\xff", "\xfe\xfe", "\xc3", "\xc3(", "\xe2\x82", "\xf0\x9f\x98", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\uFFFD", "\uFFFE", "\uFFFF", "\U0010FFFF", "\uD7FF", "\uE000", "\uFEFFbom", "\u2028\u2029", "\u0085",
		"😀 emoji 👩‍💻", "ünïcødé", "\x1b[31mred\x1b[0m",
		"sk_live_CANARY0123456789abcdefCANARY", "Bearer eyJhbGciOiJIUzI1NiJ9.CANARY.sig", "client_secret=CANARY%7C%26x",
	}
	var all strings.Builder
	for r := rune(0); r < 0xA0; r++ {
		out = append(out, string(r), "x"+string(r)+"y")
		all.WriteRune(r)
	}
	for i := 0x80; i < 0x100; i++ {
		out = append(out, "b"+string([]byte{byte(i)})+"e")
	}
	out = append(out, all.String(), strings.Join(out, "|"))
	return out
}

// hostileDoc puts h in every string of a document, with every optional
// part present.
func hostileDoc(h string) junitSuites {
	p := &junitProblem{Message: h, Type: h, Body: h}
	cases := []junitCase{
		{Name: h, Classname: h, Time: h, File: h, Line: 7, Failure: p, Error: p, Skipped: &junitSkipped{Message: h}},
		{Name: h, Classname: h, Time: h, Failure: p},
		{Name: h, Classname: h, Time: h, Line: -1, Error: p},
		{Name: h, Classname: h, Time: h, File: h, Skipped: &junitSkipped{Message: h}},
		{Name: h, Classname: h, Time: h},
	}
	return junitSuites{Name: h, Tests: 5, Failures: 2, Errors: 2, Skipped: 2, Time: h, Suites: []junitSuite{
		{Name: h, Tests: 1, Time: h, Timestamp: h, Properties: []junitProperty{{h, h}, {"k", h}}, Cases: cases, SystemOut: h},
		{Name: h, Time: h},
		{Name: h, Properties: []junitProperty{}, Cases: cases[4:]},
	}}
}

func requireSameJUnit(t *testing.T, what string, d junitSuites) {
	t.Helper()
	want := encodeJUnitWithXML(t, d)
	if got := appendJUnit(nil, &d); !bytes.Equal(got, want) {
		t.Fatalf("%s: writer and encoding/xml differ\n got %q\nwant %q", what, got, want)
	}
}

func TestJUnitWriterMatchesEncodingXML(t *testing.T) {
	requireSameJUnit(t, "zero document", junitSuites{})
	requireSameJUnit(t, "one empty suite", junitSuites{Suites: []junitSuite{{}}})
	for _, h := range hostileStrings() {
		d := hostileDoc(h)
		requireSameJUnit(t, strings.ToValidUTF8(h, "?"), d)

		// The output parses back, and what a reader sees is the text with
		// every character XML cannot carry replaced by U+FFFD.
		var back junitXMLDoc
		if err := xml.Unmarshal(appendJUnit(nil, &d), &back); err != nil {
			t.Fatalf("%q: output does not parse: %v", h, err)
		}
		c := back.Suites[0].Cases[0]
		want := xmlVisible(h)
		for _, got := range []string{back.Name, back.Suites[0].Properties[0].Value, back.Suites[0].SystemOut,
			c.Name, c.File, c.Failure.Message, c.Failure.Body, c.Error.Body, c.Skipped.Message} {
			if got != want {
				t.Fatalf("%q parsed back as %q, want %q", h, got, want)
			}
		}
	}
}

// xmlVisible is what an XML reader gets back for s.
func xmlVisible(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		if !xmlChar(r) || r == utf8.RuneError && w == 1 {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestJUnitWriterRandomStrings: strings made of the hostile pieces and
// random bytes.
func TestJUnitWriterRandomStrings(t *testing.T) {
	pieces := hostileStrings()
	rng := rand.New(rand.NewPCG(14, 2026))
	for i := 0; i < 2000; i++ {
		var b []byte
		for n := rng.IntN(6); n >= 0; n-- {
			if rng.IntN(3) == 0 {
				b = append(b, byte(rng.UintN(256)))
			} else {
				b = append(b, pieces[rng.IntN(len(pieces))]...)
			}
		}
		requireSameJUnit(t, strings.ToValidUTF8(string(b), "?"), hostileDoc(string(b)))
	}
}

// FuzzJUnitEscape: xmlEscape is encoding/xml's EscapeText, byte for byte.
func FuzzJUnitEscape(f *testing.F) {
	for _, h := range hostileStrings() {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		if err := xml.EscapeText(&want, []byte(s)); err != nil {
			t.Fatal(err)
		}
		if got := xmlEscape(nil, s); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("xmlEscape(%q) = %q, encoding/xml %q", s, got, want.Bytes())
		}
	})
}
