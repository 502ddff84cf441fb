package scan

import (
	"context"
	"slices"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/lazyre"
)

// node is a syntax-tree node copied out of tree-sitter.
type node struct {
	typ, field string
	start, end int
	line, col  int
	// endLine and endCol are where the node ends (exclusive column).
	endLine, endCol int
	named           bool
	parent          *node
	kids            []*node
}

// child returns the first child in the field name, or nil.
func (n *node) child(field string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.field == field {
			return k
		}
	}
	return nil
}

// named returns the named children.
func (n *node) namedKids() []*node {
	if n == nil {
		return nil
	}
	out := make([]*node, 0, len(n.kids))
	for _, k := range n.kids {
		if k.named && k.typ != "comment" {
			out = append(out, k)
		}
	}
	return out
}

// walk visits n and its descendants in source order; f returns false to
// skip a node's children.
func (n *node) walk(f func(*node) bool) {
	if n == nil || !f(n) {
		return
	}
	for _, k := range n.kids {
		k.walk(f)
	}
}

// jsFile is one JavaScript/TypeScript file under analysis.
type jsFile struct {
	path string
	src  []byte
	root *node
	out  *integration.Code
	// decls maps a variable name to its initializer (the last seen wins:
	// the analysis is per file, not per scope).
	decls map[string]*node
	// funcs maps a function name to its body.
	funcs map[string]*node
	calls []*node
	cross *crossFile
}

func (f *jsFile) text(n *node) string {
	if n == nil {
		return ""
	}
	return string(f.src[n.start:n.end])
}

func (f *jsFile) at(n *node) integration.Source {
	return integration.Source{File: f.path, Line: n.line, Column: n.col, EndLine: n.endLine, EndColumn: n.endCol}
}

func scanJS(ctx context.Context, path string, k kind, src []byte, out *integration.Code, cross *crossFile) error {
	root, err := parseJS(ctx, k, src)
	if err != nil {
		return err
	}
	f := &jsFile{path: path, src: src, root: root, out: out, decls: map[string]*node{}, funcs: map[string]*node{}, cross: cross}
	root.walk(func(n *node) bool {
		switch n.typ {
		case "variable_declarator":
			if name := n.child("name"); name != nil && name.typ == "identifier" {
				if v := n.child("value"); v != nil {
					f.decls[f.text(name)] = v
					if v.typ == "arrow_function" || v.typ == "function_expression" || v.typ == "function" {
						f.funcs[f.text(name)] = v.child("body")
					}
				}
			}
		case "function_declaration", "method_definition":
			if name := n.child("name"); name != nil {
				f.funcs[f.text(name)] = n.child("body")
			}
		case "call_expression":
			f.calls = append(f.calls, n)
		}
		return true
	})
	f.httpCalls()
	f.sdk()
	f.webhooks()
	f.basicBuilds()
	f.literals()
	f.rateHandlers()
	return nil
}

// resolve follows an identifier to its initializer in the same file, once.
func (f *jsFile) resolve(n *node) *node {
	for range 3 {
		if n == nil {
			return nil
		}
		switch n.typ {
		case "identifier":
			d, ok := f.decls[f.text(n)]
			if !ok {
				return n
			}
			n = d
		case "parenthesized_expression", "await_expression", "as_expression", "non_null_expression", "satisfies_expression":
			if ks := n.namedKids(); len(ks) > 0 {
				n = ks[0]
			} else {
				return n
			}
		default:
			return n
		}
	}
	return n
}

// calleeName is the last name of a call's function: fetch, post, forAdmin.
func (f *jsFile) calleeName(call *node) (name, object string) {
	fn := call.child("function")
	if fn == nil {
		return "", ""
	}
	switch fn.typ {
	case "identifier":
		return f.text(fn), ""
	case "member_expression":
		return f.text(fn.child("property")), f.text(fn.child("object"))
	}
	return "", ""
}

func (f *jsFile) args(call *node) []*node {
	return call.child("arguments").namedKids()
}

// shape renders a string-valued expression: literal text kept, anything
// computed as {id}. A URL written as `${base}/v1/partner/user/meetings/${id}`
// becomes {id}/v1/partner/user/meetings/{id}.
func (f *jsFile) shape(n *node) string {
	return f.shapeDepth(n, 0)
}

func (f *jsFile) shapeDepth(n *node, depth int) string {
	if n == nil || depth > 4 {
		return "{id}"
	}
	switch n.typ {
	case "string":
		return unquoteJS(f.text(n))
	case "template_string":
		// Literal text kept, each ${…} as {id}; the grammar leaves the
		// literal fragments unnamed, so cut by byte ranges.
		var b strings.Builder
		pos := n.start + 1
		for _, k := range n.kids {
			if k.typ == "template_substitution" {
				b.WriteString(unescapeJS(string(f.src[pos:k.start])))
				b.WriteString("{id}")
				pos = k.end
			}
		}
		if end := n.end - 1; end > pos {
			b.WriteString(unescapeJS(string(f.src[pos:end])))
		}
		return b.String()
	case "binary_expression":
		op := f.text(n.child("operator"))
		switch op {
		case "+":
			return f.shapeDepth(n.child("left"), depth+1) + f.shapeDepth(n.child("right"), depth+1)
		case "||", "??":
			if r := n.child("right"); r != nil && (r.typ == "string" || r.typ == "template_string") {
				return f.shapeDepth(r, depth+1)
			}
		}
	case "identifier":
		if d, ok := f.decls[f.text(n)]; ok {
			return f.shapeDepth(d, depth+1)
		}
	case "parenthesized_expression", "as_expression", "non_null_expression":
		if ks := n.namedKids(); len(ks) > 0 {
			return f.shapeDepth(ks[0], depth+1)
		}
	}
	return "{id}"
}

// literalString returns a string literal's value (a `||`/`??` fallback
// counts) and whether there was one.
func (f *jsFile) literalString(n *node) (string, bool) {
	n = f.resolve(n)
	if n == nil {
		return "", false
	}
	switch n.typ {
	case "string":
		return unquoteJS(f.text(n)), true
	case "template_string":
		if !strings.Contains(f.text(n), "${") {
			return f.shape(n), true
		}
	case "binary_expression":
		if op := f.text(n.child("operator")); op == "||" || op == "??" {
			return f.literalString(n.child("right"))
		}
	}
	return "", false
}

func unquoteJS(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"' || s[0] == '`') && s[len(s)-1] == s[0] {
		s = s[1 : len(s)-1]
	}
	return unescapeJS(s)
}

func unescapeJS(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	r := strings.NewReplacer(`\n`, "\n", `\r`, "\r", `\t`, "\t", `\'`, "'", `\"`, `"`, "\\`", "`", `\\`, `\`)
	return r.Replace(s)
}

// contioPath finds the Contio API path in a URL shape.
var contioPath = &lazyre.Regexp{Expr: `(/oauth2/[A-Za-z_-]+|/v1/partner/[^\s'"` + "`" + `?#]*|/auth/(?:initiate|verify)\b|/\.well-known/openid[_-]configuration)`}

func pathOf(url string) string {
	m := contioPath.FindString(url)
	if m == "" {
		return ""
	}
	m = strings.TrimSuffix(m, "/")
	// A trailing {id} glued to a segment (`/meetings{id}`) is a query or
	// suffix, not a segment.
	return m
}

// objectPairs lists an object literal's keys and value nodes; spread is
// true when the object spreads another.
func (f *jsFile) objectPairs(obj *node) (keys []string, vals []*node, at []*node, spread bool) {
	for _, k := range obj.namedKids() {
		switch k.typ {
		case "pair":
			key := k.child("key")
			name := f.text(key)
			if key != nil && (key.typ == "string") {
				name = unquoteJS(name)
			} else if key != nil && key.typ == "computed_property_name" {
				spread = true
				continue
			}
			keys, vals, at = append(keys, name), append(vals, k.child("value")), append(at, k)
		case "shorthand_property_identifier":
			keys, vals, at = append(keys, f.text(k)), append(vals, k), append(at, k)
		case "spread_element":
			spread = true
		case "method_definition":
			if name := k.child("name"); name != nil {
				keys, vals, at = append(keys, f.text(name)), append(vals, k), append(at, k)
			}
		}
	}
	return
}

func (f *jsFile) pairValue(obj *node, key string) *node {
	if obj == nil || obj.typ != "object" {
		return nil
	}
	keys, vals, _, _ := f.objectPairs(obj)
	for i, k := range keys {
		if k == key {
			return vals[i]
		}
	}
	return nil
}

// httpVerb is the HTTP method an axios method name sends ("" for none).
func httpVerb(name string) string {
	switch name {
	case "get":
		return "GET"
	case "post":
		return "POST"
	case "put":
		return "PUT"
	case "patch":
		return "PATCH"
	case "delete":
		return "DELETE"
	case "head":
		return "HEAD"
	case "options":
		return "OPTIONS"
	}
	return ""
}

// httpCalls records fetch and axios calls with their URL and headers.
func (f *jsFile) httpCalls() {
	for _, call := range f.calls {
		name, obj := f.calleeName(call)
		args := f.args(call)
		var urlNode, cfg *node
		method := ""
		lib := ""
		var defaults *node // axios.create({headers}) defaults
		switch {
		case name == "fetch" && (obj == "" || obj == "globalThis" || obj == "window"):
			lib = "fetch"
			if len(args) > 0 {
				urlNode = args[0]
			}
			if len(args) > 1 {
				cfg = f.resolve(args[1])
			}
			method = "GET"
		case httpVerb(name) != "" && (obj == "axios" || f.isAxiosInstance(obj)):
			lib, method = "axios", httpVerb(name)
			if len(args) > 0 {
				urlNode = args[0]
			}
			ci := 1
			if method == "POST" || method == "PUT" || method == "PATCH" {
				ci = 2
			}
			if len(args) > ci {
				cfg = f.resolve(args[ci])
			}
			defaults = f.axiosDefaults(obj)
		case (name == "axios" && obj == "") || (name == "request" && obj == "axios"):
			lib, method = "axios", "GET"
			if len(args) > 0 {
				cfg = f.resolve(args[0])
				urlNode = f.pairValue(cfg, "url")
			}
		default:
			continue
		}
		if urlNode == nil {
			continue
		}
		c := integration.CodeCall{At: f.at(call), Lib: lib, URL: f.shape(urlNode), Method: method, MethodAt: f.at(call), HeadersKnown: true}
		c.Path = pathOf(c.URL)
		if base := f.pairValue(defaults, "baseURL"); c.Path == "" && base != nil {
			c.Path = pathOf(f.shape(base) + c.URL)
		}
		if c.Path == "" {
			continue
		}
		if cfg != nil && cfg.typ != "object" {
			c.HeadersKnown = false
		}
		if m := f.pairValue(cfg, "method"); m != nil {
			if s, ok := f.literalString(m); ok {
				c.Method, c.MethodAt = strings.ToUpper(s), f.at(m)
			} else {
				c.Method = ""
			}
		}
		for _, h := range []*node{f.pairValue(defaults, "headers"), f.pairValue(cfg, "headers")} {
			if h == nil {
				continue
			}
			h = f.resolve(h)
			if h.typ == "new_expression" && f.text(h.child("constructor")) == "Headers" {
				if a := h.child("arguments").namedKids(); len(a) > 0 {
					h = f.resolve(a[0])
				}
			}
			if h.typ != "object" {
				c.HeadersKnown = false
				continue
			}
			keys, vals, at, spread := f.objectPairs(h)
			if spread {
				c.HeadersKnown = false
			}
			for i, k := range keys {
				c.Headers = append(c.Headers, integration.CodeHeader{Name: k, Value: f.shape(vals[i]), At: f.at(at[i])})
			}
		}
		f.out.Calls = append(f.out.Calls, c)
	}
}

func (f *jsFile) isAxiosInstance(name string) bool {
	d, ok := f.decls[name]
	if !ok || d.typ != "call_expression" {
		return false
	}
	return strings.HasPrefix(f.text(d.child("function")), "axios.create")
}

func (f *jsFile) axiosDefaults(name string) *node {
	if !f.isAxiosInstance(name) {
		return nil
	}
	if a := f.args(f.decls[name]); len(a) > 0 {
		return f.resolve(a[0])
	}
	return nil
}

// sdkCtor reports the SDK constructors and factories whose options matter.
func sdkCtor(name string) bool {
	return name == "ContioPartnerSDK" || name == "OAuthClient" || name == "ApiKeyClient"
}

var retryCallee = &lazyre.Regexp{Expr: `(?i)retr(y|ies)|backoff`}

// sdk records SDK option objects and SDK method calls.
func (f *jsFile) sdk() {
	f.root.walk(func(n *node) bool {
		switch n.typ {
		case "new_expression":
			ctor := f.text(n.child("constructor"))
			if i := strings.LastIndexByte(ctor, '.'); i >= 0 {
				ctor = ctor[i+1:]
			}
			if sdkCtor(ctor) {
				f.sdkOptions(n, "new "+ctor)
			}
		case "call_expression":
			name, obj := f.calleeName(n)
			if (name == "forUser" || name == "forAdmin") && obj != "" {
				f.sdkOptions(n, name)
			}
			if name == "getAuthorizationUrl" || slices.Contains(contio.OAuthClientMethods, name) || isSDKMethod(name) && obj != "" {
				c := integration.SDKCall{At: f.at(n), Method: name, Receiver: obj}
				for _, a := range f.args(n) {
					c.Args = append(c.Args, f.argKind(a))
				}
				if r := f.retryAround(n); r != nil {
					c.InRetry, c.RetryAt = true, f.at(r)
				}
				f.out.SDKCalls = append(f.out.SDKCalls, c)
			}
		case "try_statement":
			f.errorCodeTests(n)
		}
		return true
	})
}

func isSDKMethod(name string) bool {
	_, ok := contio.LookupSDKMethod(name, "")
	return ok
}

func (f *jsFile) argKind(a *node) string {
	r := f.resolve(a)
	switch r.typ {
	case "array":
		return "array"
	case "object":
		return "object"
	case "string", "template_string":
		return "string"
	}
	return "other"
}

// retryAround returns the loop or retry-helper call around n within its
// function, or nil.
func (f *jsFile) retryAround(n *node) *node {
	fnDepth := 0
	for p := n.parent; p != nil; p = p.parent {
		switch p.typ {
		case "for_statement", "for_in_statement", "while_statement", "do_statement":
			if fnDepth == 0 {
				return p
			}
		case "arrow_function", "function_expression", "function":
			fnDepth++
			// A function handed to retry(...), pRetry(...), withRetries(...).
			if args := p.parent; args != nil && args.typ == "arguments" {
				if call := args.parent; call != nil && call.typ == "call_expression" {
					if name, _ := f.calleeName(call); retryCallee.MatchString(name) {
						return call
					}
				}
			}
		case "function_declaration", "method_definition":
			return nil
		}
	}
	return nil
}

// errorCodeTests records `err.code === '…'` in the catch of a try whose
// block calls an OAuth-client method.
func (f *jsFile) errorCodeTests(try *node) {
	body, handler := try.child("body"), try.child("handler")
	if body == nil || handler == nil {
		return
	}
	method := ""
	body.walk(func(n *node) bool {
		if n.typ == "call_expression" && method == "" {
			if name, _ := f.calleeName(n); slices.Contains(contio.OAuthClientMethods, name) {
				method = name
			}
		}
		return method == ""
	})
	if method == "" {
		return
	}
	handler.walk(func(n *node) bool {
		if n.typ != "binary_expression" {
			return true
		}
		op := f.text(n.child("operator"))
		if op != "===" && op != "==" && op != "!==" && op != "!=" {
			return true
		}
		l, r := n.child("left"), n.child("right")
		for _, pair := range [][2]*node{{l, r}, {r, l}} {
			m, s := pair[0], pair[1]
			if m != nil && s != nil && m.typ == "member_expression" && f.text(m.child("property")) == "code" && s.typ == "string" {
				f.out.ErrorCodeTests = append(f.out.ErrorCodeTests, integration.ErrorCodeTest{At: f.at(n), Code: unquoteJS(f.text(s)), Method: method})
			}
		}
		return true
	})
}

func (f *jsFile) sdkOptions(call *node, callee string) {
	o := integration.SDKOptions{At: f.at(call), Callee: callee, Keys: map[string]integration.Source{},
		Values: map[string]string{}, Lists: map[string][]string{}}
	args := call.child("arguments").namedKids()
	if len(args) > 0 {
		obj := f.resolve(args[0])
		if obj.typ != "object" {
			o.Spread = true
		} else {
			keys, vals, at, spread := f.objectPairs(obj)
			o.Spread = spread
			for i, k := range keys {
				o.Keys[k] = f.at(at[i])
				if s, ok := f.literalString(vals[i]); ok {
					o.Values[k] = s
				}
				if arr := f.resolve(vals[i]); arr != nil && arr.typ == "array" {
					var list []string
					for _, e := range arr.namedKids() {
						if e.typ == "string" {
							list = append(list, unquoteJS(f.text(e)))
						}
					}
					o.Lists[k] = list
				}
			}
		}
	}
	f.out.SDKOptions = append(f.out.SDKOptions, o)
}
