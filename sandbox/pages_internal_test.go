package sandbox

import (
	htmltemplate "html/template"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"text/template/parse"
	"time"
)

// The pages are text/template with explicit escapers (pages.go says why).
// html/template stays here as the oracle: the same template files, its
// contextual autoescaping applied after identity escText and escAttr,
// must give the same bytes for every page and every value, hostile ones
// included. A value printed where plain HTML escaping is not enough (an
// unquoted attribute, a URL, a script or a style) would make the two
// differ for the hostile values below.

var pageNames = []string{"email.html", "otp.html", "consent.html", "error.html", "inbox.html"}

func oraclePages(t *testing.T) *htmltemplate.Template {
	t.Helper()
	same := func(s string) string { return s }
	tpl, err := htmltemplate.New("pages").Funcs(htmltemplate.FuncMap{"escText": same, "escAttr": same}).
		ParseFS(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

var hostilePageValues = []string{
	"", "ada@example.com", `"><script>alert(1)</script>`, "<script>alert('x')</script>", "javascript:alert(1)",
	"' onmouseover='alert(1)", `" autofocus onfocus="alert(1)`, "a&b+c=d", "&amp; &#34; &lt;", "</title><script>x</script>",
	"`backtick` {{.Title}} ${x}", "spaces and\ttabs\nnewlines\r", "\x00nul\x00", "\xff\xfe invalid \xc3(", "😀 ünï",
	"data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox", "/\\evil.example/%0d%0a", "sk_live_CANARY0123456789",
}

func hostilePageData(h string, variant int) pageData {
	d := pageData{Title: h, AppName: h, Email: h, EmailLocked: variant&1 == 0, ErrorCode: h, Error: h, RequestID: h}
	if variant&2 == 0 {
		d.Hidden = []hiddenField{{"client_id", h}, {h, h}, {"redirect_uri", "javascript:alert(1)//" + h}}
		d.Scopes = []scopeView{{ID: h, Name: h, Grants: h}, {ID: "profile", Name: "profile", Grants: "your profile"}}
		d.Messages = []InboxMessage{{To: h, Code: h, SentAt: time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)}, {To: "b@example.com", Code: "123456"}}
	}
	if variant&4 != 0 {
		d.ErrorCode, d.Error, d.RequestID = "", "", ""
	}
	return d
}

func TestPagesSameBytesAsHTMLTemplate(t *testing.T) {
	oracle := oraclePages(t)
	for _, name := range pageNames {
		for _, h := range hostilePageValues {
			for variant := 0; variant < 8; variant++ {
				d := hostilePageData(h, variant)
				var want strings.Builder
				if err := oracle.ExecuteTemplate(&want, name, d); err != nil {
					t.Fatal(err)
				}
				var got strings.Builder
				if err := pages().ExecuteTemplate(&got, name, d); err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Fatalf("%s, value %q, variant %d: differs from html/template\n got %s\nwant %s", name, h, variant, got.String(), want.String())
				}
			}
		}
	}
}

// TestPageActionsEscape: every action that prints a value goes through
// escText or escAttr; only control actions and template calls do not.
func TestPageActionsEscape(t *testing.T) {
	var walk func(name string, n parse.Node)
	walk = func(name string, n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(name, c)
				}
			}
		case *parse.ActionNode:
			cmds := n.Pipe.Cmds
			id, ok := cmds[len(cmds)-1].Args[0].(*parse.IdentifierNode)
			if len(n.Pipe.Decl) > 0 || !ok || id.Ident != "escText" && id.Ident != "escAttr" {
				t.Errorf("%s: %s prints a value without escText or escAttr", name, n)
			}
		case *parse.IfNode:
			walk(name, n.List)
			walk(name, n.ElseList)
		case *parse.RangeNode:
			walk(name, n.List)
			walk(name, n.ElseList)
		case *parse.WithNode:
			walk(name, n.List)
			walk(name, n.ElseList)
		case *parse.TextNode, *parse.TemplateNode, *parse.CommentNode:
		default:
			t.Errorf("%s: unexpected node %T %s", name, n, n)
		}
	}
	for _, tpl := range pages().Templates() {
		if tpl.Tree != nil {
			walk(tpl.Name(), tpl.Tree.Root)
		}
	}
}

// TestPagesEscapeHostileValues: what a hostile app name, e-mail, error or
// authorization parameter becomes on the page.
func TestPagesEscapeHostileValues(t *testing.T) {
	s := New(Options{Seed: 5})
	d := pageData{Title: "</title><script>t()</script>", AppName: "<script>alert(1)</script>", Email: `x@example.com" onfocus="alert(1)`,
		EmailLocked: true, ErrorCode: `bad"code`, Error: "Tom & Jerry's <b>error</b>.", RequestID: "req_1&2",
		Hidden: []hiddenField{{"redirect_uri", "javascript:alert(1)"}, {"state", `"><img src=x onerror=alert(1)>`}, {`n"ame`, "a+b"}},
		Scopes: []scopeView{{ID: `id" x="`, Name: "<i>scope</i>", Grants: "all & more"}}}
	body := map[string]string{}
	for _, name := range []string{"email.html", "consent.html", "error.html"} {
		rec := httptest.NewRecorder()
		s.renderPage(rec, http.StatusOK, name, d)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", name, rec.Code, rec.Body)
		}
		body[name] = rec.Body.String()
	}
	for name, b := range body {
		for _, bad := range []string{"<script>", "<img", `onfocus="`, `" x="`, "<b>", "<i>", `href="javascript:`, `action="javascript:`, "Tom & Jerry", "&2<"} {
			if strings.Contains(b, bad) {
				t.Errorf("%s carries %q unescaped:\n%s", name, bad, b)
			}
		}
		for _, want := range []string{"<title>&lt;/title&gt;&lt;script&gt;t()&lt;/script&gt; · Contio sandbox</title>",
			`<meta name="contio-error" content="bad&#34;code">`} {
			if !strings.Contains(b, want) {
				t.Errorf("%s lacks %q:\n%s", name, want, b)
			}
		}
	}
	for _, want := range []string{
		`<input type="hidden" name="redirect_uri" value="javascript:alert(1)">`,
		`<input type="hidden" name="state" value="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;">`,
		`<input type="hidden" name="n&#34;ame" value="a&#43;b">`,
		`value="x@example.com&#34; onfocus=&#34;alert(1)" readonly`,
		"<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>",
		`>Tom &amp; Jerry&#39;s &lt;b&gt;error&lt;/b&gt;. <span`,
	} {
		if !strings.Contains(body["email.html"], want) {
			t.Errorf("email page lacks %q:\n%s", want, body["email.html"])
		}
	}
	for _, want := range []string{`<label for="scope-id&#34; x=&#34;"><input type="checkbox" id="scope-id&#34; x=&#34;" name="scope" value="&lt;i&gt;scope&lt;/i&gt;" checked>`,
		"<code>&lt;i&gt;scope&lt;/i&gt;</code>: all &amp; more"} {
		if !strings.Contains(body["consent.html"], want) {
			t.Errorf("consent page lacks %q:\n%s", want, body["consent.html"])
		}
	}
	if want := `<code id="request-id">req_1&amp;2</code>`; !strings.Contains(body["error.html"], want) {
		t.Errorf("error page lacks %q:\n%s", want, body["error.html"])
	}
}
