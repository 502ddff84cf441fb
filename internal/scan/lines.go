package scan

import (
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/lazyre"
)

// logicalLines joins backslash continuations and reports, for each
// logical line, the 1-based number of its first physical line.
func logicalLines(src []byte) (lines []string, starts []int) {
	phys := strings.Split(string(src), "\n")
	for i := 0; i < len(phys); i++ {
		start := i + 1
		l := strings.TrimSuffix(phys[i], "\r")
		for strings.HasSuffix(l, `\`) && i+1 < len(phys) {
			i++
			l = strings.TrimSuffix(l, `\`) + " " + strings.TrimLeft(strings.TrimSuffix(phys[i], "\r"), " \t")
		}
		lines = append(lines, l)
		starts = append(starts, start)
	}
	return lines, starts
}

var (
	// echo [-flags] WORD | base64, or base64 <<< WORD.
	echoBase64   = &lazyre.Regexp{Expr: `\becho((?:\s+-[a-zA-Z]+)*)\s+("[^"]*"|'[^']*'|\S+)\s*\|\s*base64\b`}
	printfBase64 = &lazyre.Regexp{Expr: `\bprintf\s+("[^"]*"|'[^']*')[^|]*\|\s*base64\b`}
	hereBase64   = &lazyre.Regexp{Expr: `\bbase64\s*<<<\s*("[^"]*"|'[^']*'|\S+)`}
	shellVar     = &lazyre.Regexp{Expr: `\$\{?[A-Za-z_][A-Za-z0-9_]*\}?`}
	// NAME=value, export NAME=value, ENV NAME value, NAME: value (YAML).
	assignment = &lazyre.Regexp{Expr: `^\s*(?:export\s+|ENV\s+|ARG\s+|-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?:=|:\s|\s)\s*("[^"]*"|'[^']*'|[^\s#"']+)`}
)

// scanShell reads shell scripts, Dockerfiles, Makefiles and CI workflow
// files for Basic-credential encodings, curl calls and literal secrets.
func scanShell(path string, src []byte, out *integration.Code) {
	lines, starts := logicalLines(src)
	for i, l := range lines {
		trimmed := strings.TrimSpace(l)
		if strings.HasPrefix(trimmed, "#") {
			continue
		}
		at := func(col int) integration.Source {
			return integration.Source{File: path, Line: starts[i], Column: col + 1}
		}
		shellBasic(l, at, out)
		if idx := strings.Index(l, "curl "); idx >= 0 {
			if c, ok := curlCall(l[idx:], at(idx)); ok {
				out.Calls = append(out.Calls, c)
			}
		}
		if m := assignment.FindStringSubmatchIndex(l); m != nil {
			name, val := l[m[2]:m[3]], unquoteShell(l[m[4]:m[5]])
			if secretName.MatchString(name) && !strings.HasPrefix(val, "$") && looksLikeCredential(val) {
				out.Literals = append(out.Literals, integration.LiteralCredential{At: at(m[4]), Name: name, Value: val, Kind: "source"})
			}
		}
	}
}

func shellBasic(l string, at func(int) integration.Source, out *integration.Code) {
	add := func(start int, word string, newline bool, format string) {
		content := unquoteShell(word)
		if !credentialWords.MatchString(content) {
			return
		}
		b := integration.BasicBuild{At: at(start), Text: strings.TrimSpace(l), Newline: newline}
		if format != "" {
			// printf '%s:%s' "$ID" "$SECRET": the colon is the format's.
			if i := strings.Index(format, "%s"); i >= 0 {
				if j := strings.Index(format[i+2:], "%s"); j >= 0 {
					b.NoColon = !strings.Contains(format[i+2:i+2+j], ":")
				}
			}
		} else if vars := shellVar.FindAllStringIndex(content, -1); len(vars) >= 2 {
			b.NoColon = !strings.Contains(content[vars[0][1]:vars[1][0]], ":")
		}
		switch {
		case strings.Contains(l[:start], "Bearer"):
			b.Scheme = "Bearer"
		case strings.Contains(l[:start], "Basic"):
			b.Scheme = "Basic"
		}
		out.BasicBuilds = append(out.BasicBuilds, b)
	}
	for _, m := range echoBase64.FindAllStringSubmatchIndex(l, -1) {
		flags := l[m[2]:m[3]]
		add(m[0], l[m[4]:m[5]], !strings.Contains(flags, "n"), "")
	}
	for _, m := range printfBase64.FindAllStringSubmatchIndex(l, -1) {
		format := l[m[2]:m[3]]
		add(m[0], l[m[0]:m[1]], strings.Contains(format, `\n`), format)
	}
	for _, m := range hereBase64.FindAllStringSubmatchIndex(l, -1) {
		add(m[0], l[m[2]:m[3]], true, "") // a here-string ends with a newline
	}
}

func unquoteShell(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// shellWords splits a command line into words, honouring quotes.
func shellWords(s string) []string {
	var out []string
	var b strings.Builder
	var quote byte
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				b.WriteByte(c)
			}
		case c == '"' || c == '\'':
			quote, in = c, true
		case c == ' ' || c == '\t':
			if in {
				out = append(out, b.String())
				b.Reset()
				in = false
			}
		case c == '|' || c == ';' || c == '&' || c == ')':
			if in {
				out = append(out, b.String())
			}
			return out
		default:
			b.WriteByte(c)
			in = true
		}
	}
	if in {
		out = append(out, b.String())
	}
	return out
}

// curlCall reads one curl command line.
func curlCall(cmd string, at integration.Source) (integration.CodeCall, bool) {
	words := shellWords(cmd)
	c := integration.CodeCall{At: at, Lib: "curl", HeadersKnown: true, MethodAt: at}
	data := false
	for i := 1; i < len(words); i++ {
		w := words[i]
		next := func() string {
			if i+1 < len(words) {
				i++
				return words[i]
			}
			return ""
		}
		switch {
		case w == "-X" || w == "--request":
			c.Method = strings.ToUpper(next())
		case strings.HasPrefix(w, "-X") && len(w) > 2:
			c.Method = strings.ToUpper(w[2:])
		case w == "-H" || w == "--header":
			name, val, _ := strings.Cut(next(), ":")
			c.Headers = append(c.Headers, integration.CodeHeader{Name: strings.TrimSpace(name), Value: strings.TrimSpace(val), At: at})
		case w == "-u" || w == "--user":
			next()
			c.Headers = append(c.Headers, integration.CodeHeader{Name: "Authorization", Value: "Basic {id}", At: at})
		case w == "-d" || w == "--data" || w == "--data-urlencode" || w == "--data-raw" || w == "-F" || w == "--form" || w == "--data-binary":
			next()
			data = true
		case strings.HasPrefix(w, "-"):
		default:
			if c.URL == "" {
				c.URL = shellVar.ReplaceAllString(w, "{id}")
			}
		}
	}
	if c.Method == "" {
		c.Method = "GET"
		if data {
			c.Method = "POST"
		}
	}
	c.Path = pathOf(c.URL)
	return c, c.Path != ""
}

// scanDotenv reads KEY=value lines of a .env file for credentials.
func scanDotenv(path string, src []byte, out *integration.Code) {
	for i, l := range strings.Split(string(src), "\n") {
		l = strings.TrimSuffix(l, "\r")
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		off := len(l) - len(strings.TrimLeft(l, " \t"))
		t = strings.TrimPrefix(t, "export ")
		if strings.HasPrefix(strings.TrimSpace(l), "export ") {
			off += len("export ")
		}
		name, val, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		name = strings.TrimSpace(name)
		val = strings.TrimSpace(val)
		if j := strings.Index(val, " #"); j >= 0 && val[0] != '"' && val[0] != '\'' {
			val = strings.TrimSpace(val[:j])
		}
		val = unquoteShell(val)
		if !secretName.MatchString(name) || val == "" || strings.HasPrefix(val, "$") {
			continue
		}
		col := off + strings.Index(t, "=") + 2
		out.Literals = append(out.Literals, integration.LiteralCredential{
			At: integration.Source{File: path, Line: i + 1, Column: col}, Name: name, Value: val, Kind: "env"})
	}
}
