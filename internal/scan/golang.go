package scan

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// scanGo reads net/http requests built with http.NewRequest and the
// headers set on them in the same function, plus credential literals.
func scanGo(path string, src []byte, out *integration.Code) error {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	pos := func(p token.Pos) integration.Source {
		q := fset.Position(p)
		return integration.Source{File: path, Line: q.Line, Column: q.Column}
	}
	consts := map[string]ast.Expr{}
	ast.Inspect(file, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					consts[name.Name] = vs.Values[i]
					if s, ok := goString(vs.Values[i]); ok && secretName.MatchString(name.Name) && looksLikeCredential(s) {
						out.Literals = append(out.Literals, integration.LiteralCredential{At: pos(vs.Values[i].Pos()), Name: name.Name, Value: s, Kind: "source"})
					}
				}
			}
		}
		return true
	})
	shape := func(e ast.Expr) string { return goShape(e, consts, 0) }
	for _, d := range file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		reqs := map[string]int{} // request variable → index in calls
		var calls []integration.CodeCall
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.AssignStmt:
				if len(x.Rhs) != 1 || len(x.Lhs) == 0 {
					return true
				}
				call, ok := x.Rhs[0].(*ast.CallExpr)
				if !ok {
					return true
				}
				sel := selName(call.Fun)
				var method, url ast.Expr
				switch {
				case sel == "http.NewRequest" && len(call.Args) >= 2:
					method, url = call.Args[0], call.Args[1]
				case sel == "http.NewRequestWithContext" && len(call.Args) >= 3:
					method, url = call.Args[1], call.Args[2]
				default:
					return true
				}
				c := integration.CodeCall{At: pos(call.Pos()), Lib: "net/http", Method: goMethod(method), MethodAt: pos(method.Pos()),
					URL: shape(url), HeadersKnown: true}
				c.Path = pathOf(c.URL)
				if id, ok := x.Lhs[0].(*ast.Ident); ok && c.Path != "" {
					reqs[id.Name] = len(calls)
					calls = append(calls, c)
				}
			case *ast.CallExpr:
				sel, ok := x.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				switch inner := sel.X.(type) {
				case *ast.SelectorExpr: // req.Header.Set(name, value)
					id, ok := inner.X.(*ast.Ident)
					if !ok || inner.Sel.Name != "Header" || (sel.Sel.Name != "Set" && sel.Sel.Name != "Add") || len(x.Args) != 2 {
						return true
					}
					if i, ok := reqs[id.Name]; ok {
						name, _ := goString(x.Args[0])
						calls[i].Headers = append(calls[i].Headers, integration.CodeHeader{Name: name, Value: shape(x.Args[1]), At: pos(x.Pos())})
					}
				case *ast.Ident: // req.SetBasicAuth(id, secret)
					if i, ok := reqs[inner.Name]; ok && sel.Sel.Name == "SetBasicAuth" {
						calls[i].Headers = append(calls[i].Headers, integration.CodeHeader{Name: "Authorization", Value: "Basic {id}", At: pos(x.Pos())})
					}
				}
			}
			return true
		})
		out.Calls = append(out.Calls, calls...)
	}
	return nil
}

func selName(e ast.Expr) string {
	if s, ok := e.(*ast.SelectorExpr); ok {
		if id, ok := s.X.(*ast.Ident); ok {
			return id.Name + "." + s.Sel.Name
		}
	}
	return ""
}

func goString(e ast.Expr) (string, bool) {
	if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
		s, err := strconv.Unquote(b.Value)
		return s, err == nil
	}
	return "", false
}

func goMethod(e ast.Expr) string {
	if s, ok := goString(e); ok {
		return strings.ToUpper(s)
	}
	if n := selName(e); strings.HasPrefix(n, "http.Method") {
		return strings.ToUpper(strings.TrimPrefix(n, "http.Method"))
	}
	return ""
}

// goShape renders a string expression: literals kept, the rest {id};
// fmt.Sprintf's verbs become {id}.
func goShape(e ast.Expr, consts map[string]ast.Expr, depth int) string {
	if depth > 4 {
		return "{id}"
	}
	switch x := e.(type) {
	case *ast.BasicLit:
		if s, ok := goString(x); ok {
			return s
		}
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			return goShape(x.X, consts, depth+1) + goShape(x.Y, consts, depth+1)
		}
	case *ast.Ident:
		if v, ok := consts[x.Name]; ok {
			return goShape(v, consts, depth+1)
		}
	case *ast.CallExpr:
		if selName(x.Fun) == "fmt.Sprintf" && len(x.Args) > 0 {
			f := goShape(x.Args[0], consts, depth+1)
			for _, verb := range []string{"%s", "%d", "%v", "%q"} {
				f = strings.ReplaceAll(f, verb, "{id}")
			}
			return f
		}
	}
	return "{id}"
}
