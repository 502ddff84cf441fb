package scan

import (
	"regexp"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/lazyre"
)

// credentialWords are the names a credential pair's parts go by.
var credentialWords = &lazyre.Regexp{Expr: `(?i)secret|client_?id|clientid|password|passwd|api_?key`}

// basicBuilds finds base64 encodings of a credential pair:
// Buffer.from(`${id}:${secret}`).toString('base64') and btoa(…).
func (f *jsFile) basicBuilds() {
	for _, call := range f.calls {
		name, _ := f.calleeName(call)
		var pair *node
		switch name {
		case "toString":
			a := f.args(call)
			if len(a) == 0 || unquoteJS(f.text(a[0])) != "base64" {
				continue
			}
			inner := call.child("function").child("object")
			if inner == nil || inner.typ != "call_expression" || f.text(inner.child("function")) != "Buffer.from" {
				continue
			}
			if ia := f.args(inner); len(ia) > 0 {
				pair = ia[0]
			}
		case "btoa":
			if a := f.args(call); len(a) > 0 {
				pair = a[0]
			}
		default:
			continue
		}
		if pair == nil {
			continue
		}
		resolved := f.resolve(pair)
		text := f.text(resolved)
		if !credentialWords.MatchString(text) {
			continue
		}
		b := integration.BasicBuild{At: f.at(call), Text: f.text(call)}
		parts := f.pairParts(resolved)
		b.Newline = f.hasLineEnding(resolved, parts)
		if len(parts) >= 2 {
			b.NoColon = !strings.Contains(f.between(resolved, parts[0], parts[1]), ":")
		}
		b.Scheme = f.schemeAround(call)
		f.out.BasicBuilds = append(f.out.BasicBuilds, b)
	}
}

// pairParts lists the computed parts of a template or concatenation.
func (f *jsFile) pairParts(n *node) []*node {
	var out []*node
	switch n.typ {
	case "template_string":
		for _, k := range n.kids {
			if k.typ == "template_substitution" {
				out = append(out, k)
			}
		}
	case "binary_expression":
		var walk func(x *node)
		walk = func(x *node) {
			if x.typ == "binary_expression" && f.text(x.child("operator")) == "+" {
				walk(x.child("left"))
				walk(x.child("right"))
				return
			}
			if x.typ != "string" {
				out = append(out, x)
			}
		}
		walk(n)
	}
	return out
}

// between is the literal text between two parts of a pair.
func (f *jsFile) between(n, a, b *node) string {
	if a.end > b.start {
		return ""
	}
	return string(f.src[a.end:b.start])
}

var readFileCall = &lazyre.Regexp{Expr: `readFileSync\(|readFile\(`}

// hasLineEnding: a "\n" or "\r" in the literal text, or a part read from a
// file without trimming.
func (f *jsFile) hasLineEnding(n *node, parts []*node) bool {
	lit := f.text(n)
	for _, p := range parts {
		lit = strings.Replace(lit, f.text(p), "", 1)
	}
	if strings.Contains(lit, `\n`) || strings.Contains(lit, `\r`) {
		return true
	}
	for _, p := range parts {
		t := f.text(p)
		inner := strings.TrimSuffix(strings.TrimPrefix(t, "${"), "}")
		if d, ok := f.decls[strings.TrimSpace(inner)]; ok {
			t = f.text(d)
		}
		if readFileCall.MatchString(t) && !strings.Contains(t, ".trim") {
			return true
		}
	}
	return false
}

// schemeAround finds the scheme word an encoded pair is sent under: the
// literal text around the call, or around the variable it is stored in.
func (f *jsFile) schemeAround(call *node) string {
	scheme := func(t string) string {
		switch {
		case strings.Contains(t, "Bearer "):
			return "Bearer"
		case strings.Contains(t, "Basic "):
			return "Basic"
		}
		return ""
	}
	for p := call.parent; p != nil; p = p.parent {
		switch p.typ {
		case "template_string", "binary_expression":
			if s := scheme(f.text(p)); s != "" {
				return s
			}
			continue
		case "template_substitution", "parenthesized_expression", "member_expression", "call_expression", "arguments", "await_expression":
			continue
		case "variable_declarator":
			name := f.text(p.child("name"))
			var word *regexp.Regexp // compiled once, on the first candidate, not per node
			s := ""
			f.root.walk(func(n *node) bool {
				if s != "" {
					return false
				}
				if n.typ == "template_string" || n.typ == "binary_expression" {
					t := f.text(n)
					if word == nil {
						word = regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\b`)
					}
					if word.MatchString(t) {
						s = scheme(t)
					}
				}
				return true
			})
			return s
		}
		return ""
	}
	return ""
}

// secretName matches names that hold credentials.
var secretName = &lazyre.Regexp{Expr: `(?i)(client_?secret|webhook_?secret|signing_?secret|secret_?key|\bsecret\b|^secret|secret$|api_?key|apikey|access_?token|refresh_?token|password|passwd)`}

// literals records string literals assigned to credential names.
func (f *jsFile) literals() {
	f.root.walk(func(n *node) bool {
		var nameNode, val *node
		switch n.typ {
		case "variable_declarator":
			nameNode, val = n.child("name"), n.child("value")
		case "pair":
			nameNode, val = n.child("key"), n.child("value")
		case "assignment_expression":
			nameNode, val = n.child("left"), n.child("right")
			if nameNode != nil && nameNode.typ == "member_expression" {
				nameNode = nameNode.child("property")
			}
		default:
			return true
		}
		if nameNode == nil || val == nil {
			return true
		}
		name := unquoteJS(f.text(nameNode))
		if !secretName.MatchString(name) || strings.ContainsAny(name, " ()") {
			return true
		}
		lit := val
		if val.typ == "binary_expression" {
			if op := f.text(val.child("operator")); op == "||" || op == "??" {
				lit = val.child("right")
			}
		}
		if lit == nil || (lit.typ != "string" && lit.typ != "template_string") || strings.Contains(f.text(lit), "${") {
			return true
		}
		v := unquoteJS(f.text(lit))
		if looksLikeCredential(v) {
			f.out.Literals = append(f.out.Literals, integration.LiteralCredential{At: f.at(lit), Name: name, Value: v, Kind: "source"})
		}
		return true
	})
}

// looksLikeCredential: long enough, one token of letters and digits, not a
// URL, path or header name. Placeholders are the check's to judge.
func looksLikeCredential(v string) bool {
	if len(v) < 12 || len(v) > 512 || strings.ContainsAny(v, " \t\n/") {
		return false
	}
	if strings.Contains(v, "://") || strings.HasPrefix(strings.ToLower(v), "x-") {
		return false
	}
	// Generated credentials mix letters and digits; a name such as
	// "contio-partner-api-key" does not.
	return strings.ContainsAny(v, "0123456789") && strings.IndexFunc(v, func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}) >= 0
}

var (
	waitWords  = &lazyre.Regexp{Expr: `(?i)\b(setTimeout|sleep|delay|wait|backoff|back_off)`}
	retryWords = &lazyre.Regexp{Expr: `(?i)\bcontinue\b|retry|retries|fetch\(|axios|request\(`}
	retryAfter = &lazyre.Regexp{Expr: `(?i)retry-after|retryafter|retry_after`}
)

// rateHandlers records branches taken on a 429.
func (f *jsFile) rateHandlers() {
	f.root.walk(func(n *node) bool {
		var body *node
		switch n.typ {
		case "if_statement":
			cond := n.child("condition")
			if cond == nil || !is429Test(f.text(cond)) {
				return true
			}
			body = n.child("consequence")
		case "switch_case":
			if v := n.child("value"); v == nil || f.text(v) != "429" {
				return true
			}
			body = n
		default:
			return true
		}
		if body == nil {
			return true
		}
		fn := enclosingFunction(n)
		h := integration.RateLimitHandler{At: f.at(n)}
		bt := f.text(body)
		h.Retries = retryWords.MatchString(bt) || (fn != nil && f.callsItself(body, fn))
		scope := bt
		if fn != nil {
			scope = f.text(fn)
		}
		h.Waits = waitWords.MatchString(scope)
		h.ReadsRetryAfter = retryAfter.MatchString(scope)
		f.out.RateHandlers = append(f.out.RateHandlers, h)
		return true
	})
}

var status429 = &lazyre.Regexp{Expr: `(?i)(status(code)?|code)\s*(===|==)\s*429|429\s*(===|==)`}

func is429Test(t string) bool { return status429.MatchString(t) }

func enclosingFunction(n *node) *node {
	for p := n.parent; p != nil; p = p.parent {
		switch p.typ {
		case "function_declaration", "method_definition", "arrow_function", "function_expression", "function":
			return p
		}
	}
	return nil
}

func (f *jsFile) callsItself(body, fn *node) bool {
	name := f.text(fn.child("name"))
	if name == "" {
		if p := fn.parent; p != nil && p.typ == "variable_declarator" {
			name = f.text(p.child("name"))
		}
	}
	if name == "" {
		return false
	}
	found := false
	body.walk(func(n *node) bool {
		if n.typ == "call_expression" && f.text(n.child("function")) == name {
			found = true
		}
		return !found
	})
	return found
}
