// Package uri compares redirect URIs the way an OAuth server does (byte for
// byte) and, when they differ, says which component differs and how, so a
// partner sees "trailing slash added" rather than two long strings.
//
// Parsing here is deliberately raw: net/url decodes and normalises, which
// would hide exactly the differences (percent-encoding, default ports,
// host case) that make an exact comparison fail.
package uri

import (
	"fmt"
	"net/netip"
	"strings"
)

// Parts are the raw components of a URI, nothing decoded or normalised.
type Parts struct {
	Scheme string
	// HasAuthority is true when "//" follows the scheme.
	HasAuthority bool
	UserInfo     string
	// Host is as written, brackets of an IPv6 literal included.
	Host string
	// Port is the digits after the host's colon; HasPort is true even for
	// an empty port ("host:").
	Port     string
	HasPort  bool
	Path     string
	Query    string
	HasQuery bool
	Fragment string
	HasFrag  bool
}

// Split cuts s into its components without decoding anything. It never
// fails: a string without a scheme has Scheme "" and everything before the
// query in Path.
func Split(s string) Parts {
	var p Parts
	if i := strings.IndexByte(s, '#'); i >= 0 {
		p.Fragment, p.HasFrag = s[i+1:], true
		s = s[:i]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		p.Query, p.HasQuery = s[i+1:], true
		s = s[:i]
	}
	if i := schemeEnd(s); i > 0 {
		p.Scheme = s[:i]
		s = s[i+1:]
	}
	if strings.HasPrefix(s, "//") {
		p.HasAuthority = true
		s = s[2:]
		auth := s
		if i := strings.IndexByte(s, '/'); i >= 0 {
			auth, s = s[:i], s[i:]
		} else {
			s = ""
		}
		if i := strings.LastIndexByte(auth, '@'); i >= 0 {
			p.UserInfo, auth = auth[:i], auth[i+1:]
		}
		p.Host = auth
		// The port colon is the last one outside an IPv6 literal's brackets.
		if i := strings.LastIndexByte(auth, ':'); i >= 0 && !strings.Contains(auth[i:], "]") {
			p.Host, p.Port, p.HasPort = auth[:i], auth[i+1:], true
		}
	}
	p.Path = s
	return p
}

// schemeEnd returns the index of the colon ending a valid RFC 3986 scheme,
// or -1.
func schemeEnd(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case c == ':' && i > 0:
			return i
		default:
			return -1
		}
	}
	return -1
}

// Hostname is Host without IPv6 brackets, lower-cased.
func (p Parts) Hostname() string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(p.Host, "["), "]"))
}

// DefaultPort is the port a scheme implies ("443" for https), or "".
func DefaultPort(scheme string) string {
	switch strings.ToLower(scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// IsLoopbackIP reports whether host (brackets allowed) is an IP loopback
// literal: 127.0.0.0/8 or ::1.
func IsLoopbackIP(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// IsLoopback reports whether host is loopback by name or address:
// "localhost", "*.localhost", 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	return h == "localhost" || strings.HasSuffix(h, ".localhost") || IsLoopbackIP(h)
}

// Difference is one way two URIs differ.
type Difference struct {
	// Component is scheme, host, port, path, query, fragment, userinfo or
	// whitespace.
	Component string
	// Detail says how, reading got against want: "trailing slash added".
	Detail string
}

func (d Difference) String() string { return d.Detail }

// Equal applies the comparison Contio makes between a requested and a
// registered redirect URI: byte for byte. Contio documents an exact match
// (trailing slash and query included) and no port exception for loopback
// addresses, so RFC 8252 §7.3's any-port rule, which some servers apply to
// 127.0.0.1 and [::1], is not assumed here; the sandbox matches the same way.
func Equal(requested, registered string) bool {
	return requested == registered
}

// Diff lists how got differs from want, component by component, in the
// order scheme, userinfo, host, port, path, query, fragment, with
// surrounding whitespace first. Equal strings give nil. Wording reads got
// against want: "added" means got has it and want does not.
func Diff(got, want string) []Difference {
	if got == want {
		return nil
	}
	var out []Difference
	add := func(comp, format string, a ...any) {
		out = append(out, Difference{comp, fmt.Sprintf(format, a...)})
	}
	gt, wt := strings.TrimSpace(got), strings.TrimSpace(want)
	if gt != got || wt != want {
		gl, gr := edgeSpace(got)
		wl, wr := edgeSpace(want)
		switch {
		case gr != wr && gr != "" && wr == "":
			add("whitespace", "trailing whitespace %s added", quoteChars(gr))
		case gr != wr && wr != "" && gr == "":
			add("whitespace", "trailing whitespace %s removed", quoteChars(wr))
		case gr != wr:
			add("whitespace", "trailing whitespace %s instead of %s", quoteChars(gr), quoteChars(wr))
		}
		switch {
		case gl != wl && gl != "" && wl == "":
			add("whitespace", "leading whitespace %s added", quoteChars(gl))
		case gl != wl && wl != "" && gl == "":
			add("whitespace", "leading whitespace %s removed", quoteChars(wl))
		case gl != wl:
			add("whitespace", "leading whitespace %s instead of %s", quoteChars(gl), quoteChars(wl))
		}
	}
	a, b := Split(gt), Split(wt)

	switch {
	case a.Scheme == b.Scheme:
	case strings.EqualFold(a.Scheme, b.Scheme):
		add("scheme", "scheme case differs (%q instead of %q)", a.Scheme, b.Scheme)
	case a.Scheme == "":
		add("scheme", "scheme missing (want %q)", b.Scheme)
	case b.Scheme == "":
		add("scheme", "scheme %q added", a.Scheme)
	default:
		add("scheme", "scheme %q instead of %q", a.Scheme, b.Scheme)
	}

	if a.UserInfo != b.UserInfo {
		switch {
		case b.UserInfo == "":
			add("userinfo", "user info %q added before the host", a.UserInfo)
		case a.UserInfo == "":
			add("userinfo", "user info %q removed", b.UserInfo)
		default:
			add("userinfo", "user info %q instead of %q", a.UserInfo, b.UserInfo)
		}
	}

	switch {
	case a.Host == b.Host:
	case strings.EqualFold(a.Host, b.Host):
		add("host", "host case differs (%q instead of %q; the comparison is case-sensitive)", a.Host, b.Host)
	case IsLoopback(a.Host) && IsLoopback(b.Host):
		add("host", "loopback host spelled %q instead of %q (the server treats them as different hosts)", a.Host, b.Host)
	default:
		add("host", "host %q instead of %q", a.Host, b.Host)
	}

	diffPort(a, b, add)
	diffPath(a.Path, b.Path, add)
	diffQuery(a, b, add)

	switch {
	case a.HasFrag == b.HasFrag && a.Fragment == b.Fragment:
	case !b.HasFrag:
		add("fragment", "fragment %q added", "#"+a.Fragment)
	case !a.HasFrag:
		add("fragment", "fragment %q removed", "#"+b.Fragment)
	default:
		add("fragment", "fragment %q instead of %q", "#"+a.Fragment, "#"+b.Fragment)
	}
	if len(out) == 0 {
		// Unreachable for distinct strings in practice; never claim equality.
		add("uri", "the two differ byte for byte")
	}
	return out
}

func diffPort(a, b Parts, add func(string, string, ...any)) {
	if a.HasPort == b.HasPort && a.Port == b.Port {
		return
	}
	def := DefaultPort(a.Scheme)
	switch {
	case a.HasPort && !b.HasPort && a.Port == def && def != "":
		add("port", "explicit default port :%s added", a.Port)
	case b.HasPort && !a.HasPort && b.Port == DefaultPort(b.Scheme) && b.Port != "":
		add("port", "explicit default port :%s removed", b.Port)
	case a.HasPort && !b.HasPort:
		add("port", "port :%s added", a.Port)
	case b.HasPort && !a.HasPort:
		add("port", "port :%s removed", b.Port)
	default:
		add("port", "port :%s instead of :%s", a.Port, b.Port)
	}
}

func diffPath(a, b string, add func(string, string, ...any)) {
	if a == b {
		return
	}
	switch {
	case a == b+"/" || (b == "" && a == "/"):
		add("path", "trailing slash added")
		return
	case b == a+"/" || (a == "" && b == "/"):
		add("path", "trailing slash removed")
		return
	}
	if d := encodingDiff(a, b); d != "" {
		add("path", "path %s", d)
		return
	}
	if strings.EqualFold(a, b) {
		add("path", "path case differs (%q instead of %q; paths are case-sensitive)", a, b)
		return
	}
	add("path", "path %q instead of %q", a, b)
}

func diffQuery(a, b Parts, add func(string, string, ...any)) {
	if a.HasQuery == b.HasQuery && a.Query == b.Query {
		return
	}
	switch {
	case !b.HasQuery || b.Query == "":
		if a.Query == "" {
			add("query", "empty query \"?\" added")
		} else {
			add("query", "query %q added", "?"+a.Query)
		}
		return
	case !a.HasQuery || a.Query == "":
		add("query", "query %q removed", "?"+b.Query)
		return
	}
	ap, bp := strings.Split(a.Query, "&"), strings.Split(b.Query, "&")
	if sameMultiset(ap, bp) {
		add("query", "query parameters reordered (%q instead of %q)", "?"+a.Query, "?"+b.Query)
		return
	}
	if d := encodingDiff(a.Query, b.Query); d != "" {
		add("query", "query %s", d)
		return
	}
	var added, removed []string
	for _, x := range ap {
		if !containsStr(bp, x) {
			added = append(added, x)
		}
	}
	for _, x := range bp {
		if !containsStr(ap, x) {
			removed = append(removed, x)
		}
	}
	var parts []string
	if len(added) > 0 {
		parts = append(parts, fmt.Sprintf("parameter %s added", quoteList(added)))
	}
	if len(removed) > 0 {
		parts = append(parts, fmt.Sprintf("parameter %s removed", quoteList(removed)))
	}
	add("query", "query %s", strings.Join(parts, ", "))
}

// encodingDiff describes a difference between a and b that is only one of
// percent-encoding, or returns "" when they differ in substance.
func encodingDiff(a, b string) string {
	da, oka := decode(a)
	db, okb := decode(b)
	if oka && okb && da == db {
		return firstEncodingDifference(a, b)
	}
	// Double encoding: decoding got once more gives want (or want's decoding).
	if strings.Contains(a, "%25") && oka {
		if da == b {
			return fmt.Sprintf("is percent-encoded twice (%s is %s encoded again)", firstEscape(a, "%25"), strings.Replace(firstEscape(a, "%25"), "%25", "%", 1))
		}
		if dda, ok := decode(da); ok && okb && dda == db {
			return fmt.Sprintf("is percent-encoded twice (%s is %s encoded again)", firstEscape(a, "%25"), strings.Replace(firstEscape(a, "%25"), "%25", "%", 1))
		}
	}
	if strings.Contains(b, "%25") && okb {
		if db == a {
			return fmt.Sprintf("is encoded once where the other is percent-encoded twice (%s)", firstEscape(b, "%25"))
		}
	}
	return ""
}

// firstEscape returns the first escape sequence in s starting with prefix,
// extended to the following two hex digits (e.g. "%252F").
func firstEscape(s, prefix string) string {
	i := strings.Index(s, prefix)
	if i < 0 {
		return prefix
	}
	end := min(i+len(prefix)+2, len(s))
	return s[i:end]
}

// firstEncodingDifference walks a and b, which decode to the same text, to
// the first place their spelling differs and names it.
func firstEncodingDifference(a, b string) string {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ta, na := token(a, i)
		tb, nb := token(b, j)
		if ta != tb {
			switch {
			case len(ta) == 3 && len(tb) == 3:
				return fmt.Sprintf("uses %q where the other has %q (percent-encoding hex case differs)", ta, tb)
			case len(ta) == 3:
				return fmt.Sprintf("has %q percent-encoded as %q", tb, ta)
			default:
				return fmt.Sprintf("has %q where the other has it encoded as %q", ta, tb)
			}
		}
		i, j = i+na, j+nb
	}
	return "differs only in percent-encoding"
}

// token returns the character or escape sequence at s[i] and its length.
func token(s string, i int) (string, int) {
	if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
		return s[i : i+3], 3
	}
	return s[i : i+1], 1
}

// decode percent-decodes s once (no '+' handling: that is form encoding,
// not URI syntax). ok is false for a malformed escape.
func decode(s string) (string, bool) {
	if !strings.Contains(s, "%") {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return "", false
		}
		b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
		i += 2
	}
	return b.String(), true
}

// Decode percent-decodes s once; ok is false for a malformed escape.
func Decode(s string) (string, bool) { return decode(s) }

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func edgeSpace(s string) (lead, trail string) {
	t := strings.TrimLeft(s, " \t\r\n\v\f")
	lead = s[:len(s)-len(t)]
	u := strings.TrimRight(t, " \t\r\n\v\f")
	trail = t[len(u):]
	return lead, trail
}

// quoteChars spells whitespace so it is visible: "\n", " ".
func quoteChars(s string) string { return fmt.Sprintf("%q", s) }

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

func sameMultiset(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		seen[x]--
		if seen[x] < 0 {
			return false
		}
	}
	return true
}

func containsStr(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Describe joins the details of ds: "trailing slash added; port :8443 added".
func Describe(ds []Difference) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.Detail
	}
	return strings.Join(parts, "; ")
}
