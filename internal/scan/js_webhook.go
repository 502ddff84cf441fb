package scan

import (
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// verifierName reports the calls that check a webhook signature.
func verifierName(name string) bool {
	switch name {
	case "verifyWebhookSignature", "parseWebhook", "verifySignature",
		"verifyContioSignature", "verifyWebhook", "isValidSignature":
		return true
	}
	return false
}

// route is one app.post(path, …handlers) registration.
type route struct {
	call     *node
	object   string
	method   string
	path     string
	mw       []*node // the arguments between the path and the handler
	handler  *node   // the last argument
	mountPos int     // where the router is mounted on its app, when it is
	mountObj string
	mountMW  []*node
	mounted  bool // mounted in this file
}

// crossFile is what one file tells the others: routers it mounts (with
// the JSON parser that runs before the mount) and webhook routes on
// routers it does not mount itself.
type crossFile struct {
	mounts []mount
	routed []routedHandler
}

type mount struct {
	router   string
	path     string
	parsedBy string
	parsedAt integration.Source
}

type routedHandler struct {
	index  int // into the file's Webhooks
	router string
}

// resolveMounts applies mounts made in one file to webhook routes on a
// router declared in another, matched by the router's name (an import
// keeps the exported name in most code): the app's parser before the
// mount runs before the route.
func resolveMounts(code *integration.Code, x []crossFile, offsets []int) {
	var mounts []mount
	for _, c := range x {
		mounts = append(mounts, c.mounts...)
	}
	for fi, c := range x {
		for _, r := range c.routed {
			w := &code.Webhooks[offsets[fi]+r.index]
			for _, m := range mounts {
				if m.router != r.router {
					continue
				}
				w.Path = strings.TrimSuffix(m.path, "/") + w.Path
				if w.ParsedBy == "" && m.parsedBy != "" {
					w.ParsedBy, w.ParsedAt = m.parsedBy, m.parsedAt
				}
				break
			}
		}
	}
}

// bodyParser classifies a middleware expression: "json" for a JSON body
// parser that does not keep the raw bytes, "raw" for a raw or text parser
// (or a JSON parser with a verify hook that keeps them), "" otherwise.
func (f *jsFile) bodyParser(mw *node) (string, string) {
	mw = f.resolve(mw)
	if mw == nil || mw.typ != "call_expression" {
		return "", ""
	}
	name, obj := f.calleeName(mw)
	label := f.text(mw.child("function")) + "()"
	switch {
	case name == "json" && (obj == "express" || obj == "bodyParser" || obj == ""),
		name == "urlencoded" && (obj == "express" || obj == "bodyParser"):
		if a := f.args(mw); len(a) > 0 && f.pairValue(f.resolve(a[0]), "verify") != nil {
			return "raw", label
		}
		return "json", label
	case name == "raw" || name == "text":
		return "raw", label
	}
	return "", ""
}

// webhooks finds routes whose handler verifies a signature, and the body
// parsers that run before them.
func (f *jsFile) webhooks() {
	var routes []*route
	type use struct {
		pos    int
		object string
		path   string
		args   []*node
		call   *node
	}
	var uses []use
	for _, call := range f.calls {
		name, obj := f.calleeName(call)
		args := f.args(call)
		if obj == "" || len(args) == 0 {
			continue
		}
		switch name {
		case "use":
			u := use{pos: call.start, object: obj, args: args, call: call}
			if s, ok := f.literalString(args[0]); ok && args[0].typ == "string" {
				u.path, u.args = s, args[1:]
			}
			uses = append(uses, u)
		case "post", "put", "all":
			if len(args) < 2 || (args[0].typ != "string" && args[0].typ != "template_string") {
				continue
			}
			p, _ := f.literalString(args[0])
			routes = append(routes, &route{call: call, object: obj, method: strings.ToUpper(name), path: p,
				mw: args[1 : len(args)-1], handler: args[len(args)-1], mountPos: call.start, mountObj: obj})
		}
	}
	// A router mounted on the app (app.use('/hooks', router)) sees the
	// app's parsers registered before the mount.
	for _, r := range routes {
		for _, u := range uses {
			if len(u.args) > 0 && f.text(u.args[len(u.args)-1]) == r.object && u.object != r.object {
				r.mountPos, r.mountObj, r.mountMW = u.pos, u.object, u.args[:len(u.args)-1]
				r.path = strings.TrimSuffix(u.path, "/") + r.path
				r.mounted = true
			}
		}
	}
	// Mounts of routers this file does not define, for the other files.
	for _, u := range uses {
		if len(u.args) == 0 || u.args[len(u.args)-1].typ != "identifier" {
			continue
		}
		m := mount{router: f.text(u.args[len(u.args)-1]), path: u.path}
		var chain []*node
		for _, v := range uses {
			if v.pos < u.pos && v.object == u.object && (v.path == "" || strings.HasPrefix(u.path, v.path)) {
				chain = append(chain, v.args...)
			}
		}
		chain = append(chain, u.args[:len(u.args)-1]...)
		for _, mw := range chain {
			kind, label := f.bodyParser(mw)
			if kind == "raw" {
				break
			}
			if kind == "json" {
				m.parsedBy, m.parsedAt = label, f.at(mw)
				break
			}
		}
		f.cross.mounts = append(f.cross.mounts, m)
	}
	for _, r := range routes {
		body := f.handlerBody(r.handler)
		reach := f.reach(body)
		wh := integration.WebhookHandler{At: f.at(r.call), Method: r.method, Path: r.path}
		sdkMiddleware := false
		for _, m := range append(append([]*node{}, r.mountMW...), r.mw...) {
			mm := f.resolve(m)
			if mm != nil && mm.typ == "call_expression" {
				if name, _ := f.calleeName(mm); name == "createWebhookMiddleware" {
					sdkMiddleware = true
					wh.Verifier, wh.VerifierAt = "createWebhookMiddleware", f.at(m)
					wh.Input, wh.ReadsSignature, wh.ChecksPresence = "body", true, true
				}
			}
		}
		if !sdkMiddleware && !f.verifies(reach, &wh) {
			continue
		}
		// Parsers in the order Express runs them: the app's global ones
		// registered before the route (or the router's mount), then the
		// mount's, then the route's own before the handler.
		var chain []*node
		for _, u := range uses {
			if u.pos < r.mountPos && (u.object == r.mountObj || u.object == r.object) && (u.path == "" || strings.HasPrefix(r.path, u.path)) {
				chain = append(chain, u.args...)
			}
		}
		chain = append(chain, r.mountMW...)
		chain = append(chain, r.mw...)
		for _, m := range chain {
			mm := f.resolve(m)
			if mm != nil && mm.typ == "call_expression" {
				if name, _ := f.calleeName(mm); name == "createWebhookMiddleware" {
					break // parsers after the verifier do not matter
				}
			}
			kind, label := f.bodyParser(m)
			if kind == "json" && wh.ParsedBy == "" {
				wh.ParsedBy, wh.ParsedAt = label, f.at(m)
			}
			if kind == "raw" && wh.ParsedBy == "" {
				break // the first parser wins: later ones see a parsed body and skip
			}
		}
		if !r.mounted {
			f.cross.routed = append(f.cross.routed, routedHandler{index: len(f.out.Webhooks), router: r.object})
		}
		f.out.Webhooks = append(f.out.Webhooks, wh)
	}
}

// handlerBody returns the body of an inline handler or of the function a
// handler identifier names.
func (f *jsFile) handlerBody(h *node) *node {
	switch h.typ {
	case "arrow_function", "function_expression", "function":
		return h.child("body")
	case "identifier":
		if b, ok := f.funcs[f.text(h)]; ok {
			return b
		}
	case "call_expression":
		// asyncHandler(async (req, res) => …)
		if a := f.args(h); len(a) > 0 {
			return f.handlerBody(a[len(a)-1])
		}
	}
	return nil
}

// reach is a body plus the bodies of same-file functions it calls.
func (f *jsFile) reach(body *node) []*node {
	if body == nil {
		return nil
	}
	out := []*node{body}
	seen := map[*node]bool{body: true}
	for i := 0; i < len(out) && i < 8; i++ {
		out[i].walk(func(n *node) bool {
			if n.typ == "call_expression" {
				if fn := n.child("function"); fn != nil && fn.typ == "identifier" {
					if b, ok := f.funcs[f.text(fn)]; ok && b != nil && !seen[b] {
						seen[b] = true
						out = append(out, b)
					}
				}
			}
			return true
		})
	}
	return out
}

// verifies fills wh from the handler's code; false when it verifies
// nothing.
func (f *jsFile) verifies(reach []*node, wh *integration.WebhookHandler) bool {
	var sigVar string
	var verifierCalls []*node
	for _, b := range reach {
		b.walk(func(n *node) bool {
			switch n.typ {
			case "call_expression":
				name, _ := f.calleeName(n)
				args := f.args(n)
				switch {
				case verifierName(name) && len(args) > 0:
					verifierCalls = append(verifierCalls, n)
					if wh.Verifier == "" {
						wh.Verifier, wh.VerifierAt = name, f.at(n)
						wh.Input, wh.InputAt = f.inputKind(args[0]), f.at(args[0])
					}
				case name == "update" && len(args) > 0 && strings.Contains(f.text(n.child("function")), "createHmac"):
					if wh.Verifier == "" || wh.Verifier == "createHmac" {
						wh.Verifier, wh.VerifierAt = "createHmac", f.at(n)
						wh.Input, wh.InputAt = f.inputKind(args[0]), f.at(args[0])
					}
				case name == "timingSafeEqual" || name == "safeCompare" || name == "tsscmp" || name == "constantTimeEqual":
					wh.ConstantTime = true
				}
			case "string", "template_string":
				if strings.EqualFold(unquoteJS(f.text(n)), "x-contio-signature") {
					wh.ReadsSignature = true
					if wh.SignatureAt.Line == 0 {
						wh.SignatureAt = f.at(n)
					}
					sigVar = f.declaredName(n)
				}
			}
			return true
		})
	}
	if wh.Verifier == "" {
		return false
	}
	// The signature is the verifier's second argument when the header name
	// is not a literal (req.get(config.signatureHeader)).
	if sigVar == "" && len(verifierCalls) > 0 {
		if a := f.args(verifierCalls[0]); len(a) > 1 && a[1].typ == "identifier" {
			sigVar = f.text(a[1])
			wh.ReadsSignature = true
		}
	}
	// A presence test: an if condition naming the signature outside the
	// verifier call itself.
	for _, b := range reach {
		b.walk(func(n *node) bool {
			if n.typ != "if_statement" && n.typ != "ternary_expression" {
				if n.typ == "binary_expression" {
					f.compare(n, sigVar, wh)
				}
				return true
			}
			cond := n.child("condition")
			if f.mentionsSignature(cond, sigVar) {
				wh.ChecksPresence = true
			}
			return true
		})
	}
	return true
}

// declaredName returns the variable a header read is assigned to:
// const sig = req.headers['x-contio-signature'].
func (f *jsFile) declaredName(n *node) string {
	for p := n.parent; p != nil; p = p.parent {
		switch p.typ {
		case "variable_declarator":
			name := p.child("name")
			if name != nil && name.typ == "identifier" {
				return f.text(name)
			}
			if name != nil && name.typ == "object_pattern" {
				for _, k := range name.namedKids() {
					if k.typ == "pair_pattern" && strings.Contains(strings.ToLower(f.text(k.child("key"))), "x-contio-signature") {
						return f.text(k.child("value"))
					}
				}
			}
			return ""
		case "statement_block", "program", "arrow_function", "if_statement":
			return ""
		}
	}
	return ""
}

// mentionsSignature reports a condition that names the signature value
// or header outside a verifier call (if (!sig), if (typeof sig !== …)).
func (f *jsFile) mentionsSignature(cond *node, sigVar string) bool {
	found := false
	cond.walk(func(n *node) bool {
		if found {
			return false
		}
		if n.typ == "call_expression" {
			if name, _ := f.calleeName(n); verifierName(name) || name == "timingSafeEqual" {
				return false
			}
		}
		if n.typ == "identifier" && sigVar != "" && f.text(n) == sigVar {
			found = true
		}
		if (n.typ == "string") && strings.EqualFold(unquoteJS(f.text(n)), "x-contio-signature") {
			found = true
		}
		return true
	})
	return found
}

// compare notes an == or === between a signature and a computed digest.
func (f *jsFile) compare(n *node, sigVar string, wh *integration.WebhookHandler) {
	op := f.text(n.child("operator"))
	if op != "===" && op != "==" && op != "!==" && op != "!=" {
		return
	}
	l, r := n.child("left"), n.child("right")
	if l == nil || r == nil || isLiteralish(l) || isLiteralish(r) || isLength(f, l) || isLength(f, r) {
		return
	}
	digest := func(x *node) bool {
		if strings.Contains(f.text(x), ".digest(") {
			return true
		}
		if x.typ == "identifier" {
			if d, ok := f.decls[f.text(x)]; ok {
				return strings.Contains(f.text(d), ".digest(")
			}
		}
		return false
	}
	sig := func(x *node) bool {
		t := f.text(x)
		return (sigVar != "" && t == sigVar) || strings.Contains(strings.ToLower(t), "x-contio-signature") ||
			strings.Contains(strings.ToLower(t), "signature")
	}
	if (digest(l) && sig(r)) || (digest(r) && sig(l)) || (digest(l) && !digest(r) && r.typ == "identifier") || (digest(r) && l.typ == "identifier") {
		if !wh.Compare {
			wh.Compare, wh.CompareAt = true, f.at(n)
		}
	}
}

func isLiteralish(n *node) bool {
	switch n.typ {
	case "string", "number", "null", "undefined", "true", "false", "template_string", "unary_expression":
		return true
	}
	return false
}

func isLength(f *jsFile, n *node) bool {
	return n.typ == "member_expression" && f.text(n.child("property")) == "length"
}

// inputKind classifies what a verifier is given.
func (f *jsFile) inputKind(a *node) string {
	t := f.text(a)
	if a.typ == "identifier" {
		if d, ok := f.decls[t]; ok {
			t = f.text(d)
		}
	}
	switch {
	case strings.Contains(t, "JSON.stringify("):
		return "stringified"
	case strings.Contains(t, "rawBody") || strings.Contains(t, "Buffer") || strings.Contains(t, "toString("):
		return "raw"
	case strings.HasSuffix(t, ".body") || strings.Contains(t, ".body)"):
		return "body"
	}
	return "other"
}
