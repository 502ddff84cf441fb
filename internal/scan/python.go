package scan

import (
	"regexp"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/lazyre"
)

var (
	pyCall     = &lazyre.Regexp{Expr: `\b(requests|httpx|session|client|s)\.(get|post|put|patch|delete|request)\s*\(`}
	pyAssign   = &lazyre.Regexp{Expr: `(?m)^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\{)`}
	pyString   = &lazyre.Regexp{Expr: `^[rbfRBF]{0,2}("([^"\\]|\\.)*"|'([^'\\]|\\.)*')`}
	pyFBraces  = &lazyre.Regexp{Expr: `\{[^{}]*\}`}
	pyKey      = &lazyre.Regexp{Expr: `["']([A-Za-z0-9-]+)["']\s*:\s*`}
	pyLiteral  = &lazyre.Regexp{Expr: `(?m)^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*["']([^"'\n]+)["']\s*$`}
	pyB64      = &lazyre.Regexp{Expr: `b64encode\(`}
	pyHeadersK = &lazyre.Regexp{Expr: `\bheaders\s*=\s*`}
)

// scanPython reads requests/httpx calls with a small tokenizer: the call's
// parenthesised arguments (strings and nesting honoured), the URL and a
// literal headers dict, by name or inline.
func scanPython(path string, src []byte, out *integration.Code) {
	s := string(src)
	lineCol := func(off int) integration.Source {
		line := strings.Count(s[:off], "\n") + 1
		col := off - strings.LastIndexByte(s[:off], '\n')
		return integration.Source{File: path, Line: line, Column: col}
	}
	dicts := map[string]string{}
	urlVars := map[string]string{}
	for _, m := range pyAssign.FindAllStringSubmatchIndex(s, -1) {
		if end := balanced(s, m[4]); end > 0 {
			dicts[s[m[2]:m[3]]] = s[m[4]:end]
		}
	}
	for _, m := range pyCall.FindAllStringSubmatchIndex(s, -1) {
		open := m[1] - 1
		end := balanced(s, open)
		if end < 0 {
			continue
		}
		args := s[open+1 : end-1]
		verb := strings.ToUpper(s[m[4]:m[5]])
		c := integration.CodeCall{At: lineCol(m[0]), Lib: s[m[2]:m[3]], Method: verb, MethodAt: lineCol(m[0]), HeadersKnown: true}
		rest := strings.TrimSpace(args)
		if verb == "REQUEST" {
			if lit := pyString.FindString(rest); lit != "" {
				c.Method = strings.ToUpper(pyUnquote(lit))
				rest = strings.TrimLeft(strings.TrimSpace(rest[len(lit):]), ", ")
			}
		}
		if lit := pyString.FindString(rest); lit != "" {
			c.URL = pyFBraces.ReplaceAllString(pyUnquote(lit), "{id}")
		} else if name := leadingName(rest); name != "" {
			c.URL = "{id}"
			v, seen := urlVars[name]
			if !seen {
				v = pyVar(s, name) // a regexp per name: compiled once per file, not per call
				urlVars[name] = v
			}
			if v != "" {
				c.URL = pyFBraces.ReplaceAllString(v, "{id}")
			}
		}
		c.Path = pathOf(c.URL)
		if c.Path == "" {
			continue
		}
		if hm := pyHeadersK.FindStringIndex(args); hm != nil {
			val := args[hm[1]:]
			dict := ""
			if strings.HasPrefix(val, "{") {
				if e := balanced(val, 0); e > 0 {
					dict = val[:e]
				}
			} else if name := leadingName(val); name != "" {
				dict = dicts[name]
			}
			if dict == "" || strings.Contains(dict, "**") {
				c.HeadersKnown = false
			}
			for _, kv := range pyKey.FindAllStringSubmatchIndex(dict, -1) {
				v := "{id}"
				if lit := pyString.FindString(dict[kv[1]:]); lit != "" {
					v = pyFBraces.ReplaceAllString(pyUnquote(lit), "{id}")
				}
				c.Headers = append(c.Headers, integration.CodeHeader{Name: dict[kv[2]:kv[3]], Value: v, At: c.At})
			}
		}
		out.Calls = append(out.Calls, c)
	}
	for _, m := range pyLiteral.FindAllStringSubmatchIndex(s, -1) {
		name, val := s[m[2]:m[3]], s[m[4]:m[5]]
		if secretName.MatchString(name) && looksLikeCredential(val) {
			out.Literals = append(out.Literals, integration.LiteralCredential{At: lineCol(m[4] - 1), Name: name, Value: val, Kind: "source"})
		}
	}
	for _, m := range pyB64.FindAllStringIndex(s, -1) {
		end := balanced(s, m[1]-1)
		if end < 0 {
			continue
		}
		arg := s[m[1]:end]
		if !credentialWords.MatchString(arg) {
			continue
		}
		b := integration.BasicBuild{At: lineCol(m[0]), Text: strings.TrimSpace(arg), Newline: strings.Contains(arg, `\n`)}
		if br := pyFBraces.FindAllStringIndex(arg, -1); len(br) >= 2 {
			b.NoColon = !strings.Contains(arg[br[0][1]:br[1][0]], ":")
		}
		lineStart := strings.LastIndexByte(s[:m[0]], '\n') + 1
		if strings.Contains(s[lineStart:m[0]], "Bearer") {
			b.Scheme = "Bearer"
		}
		out.BasicBuilds = append(out.BasicBuilds, b)
	}
}

// balanced returns the index just past the bracket that closes s[open],
// skipping strings and comments; -1 when it is not closed.
func balanced(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch c := s[i]; c {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		case '"', '\'':
			j := i + 1
			for j < len(s) && s[j] != c && s[j] != '\n' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			i = j
		case '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		}
	}
	return -1
}

func pyUnquote(lit string) string {
	lit = strings.TrimLeft(lit, "rbfRBF")
	if len(lit) >= 2 {
		return strings.ReplaceAll(lit[1:len(lit)-1], `\n`, "\n")
	}
	return lit
}

func leadingName(s string) string {
	i := 0
	for i < len(s) && (s[i] == '_' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || i > 0 && s[i] >= '0' && s[i] <= '9') {
		i++
	}
	return s[:i]
}

// pyVar finds `name = "…"` or `name = f"…"` and returns the string.
func pyVar(s, name string) string {
	re := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(name) + `\s*=\s*([rbfRBF]{0,2}("[^"\n]*"|'[^'\n]*'))`)
	if m := re.FindStringSubmatch(s); m != nil {
		return pyUnquote(m[1])
	}
	return ""
}
