package checks

import (
	"regexp"
	"strings"
	"testing"
)

// The regular expressions the hand-written matchers in shapes.go replace:
// the specification they must keep answering to.
var (
	jwtShapeRE     = regexp.MustCompile(`^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$`)
	placeholderREs = []struct {
		re   *regexp.Regexp
		what string
	}{
		{regexp.MustCompile(`^<[^<>]*>$|^\[[^\[\]]*\]$|^\{\{?[^{}]*\}\}?$`), "a bracketed template slot"},
		{regexp.MustCompile(`^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$|^%[A-Za-z_][A-Za-z0-9_]*%$`), "an unexpanded variable reference"},
		{regexp.MustCompile(`(?i)^(your|my|the|insert|enter|paste|put)[-_ ]?(contio[-_ ]?)?(client[-_ ]?(id|secret)|api[-_ ]?key|webhook[-_ ]?secret|secret|key|token|id)([-_ ]?here)?$`), "template text"},
		{regexp.MustCompile(`(?i)^(contio[-_]?)?(partner[-_]?)?(client[-_]?(id|secret)|api[-_]?key|webhook[-_]?secret)$`), "the variable's own name"},
		{regexp.MustCompile(`(?i)^(x{3,}|\*{3,}|\.{3,}|0{4,}|1234\d*|todo|tbd|fixme|change[-_]?me|replace[-_]?me|placeholder|example|dummy|secret|password|null|nil|none|undefined|redacted)$`), "a stand-in word"},
	}
)

func placeholderKindRE(raw string) string {
	v := strings.Trim(strings.TrimSpace(raw), `"'`)
	for _, p := range placeholderREs {
		if p.re.MatchString(v) {
			return p.what
		}
	}
	return ""
}

var shapeSeeds = []string{
	"", "x", "xx", "xxx", "XXXX", "xxX", "***", "**", "...", "000", "0000", "00000", "1234", "12345678", "1234a", "123",
	"todo", "TODO", "tbd", "fixme", "changeme", "change-me", "change_me", "change me", "replace-me", "replaceme",
	"placeholder", "example", "dummy", "secret", "Secret", "password", "null", "nil", "none", "undefined", "redacted",
	"<client-secret>", "<>", "<a<b>", "<a", "[secret]", "[]", "[a]]", "{secret}", "{{secret}}", "{{secret}", "{secret}}",
	"{{{x}}}", "{}", "{{}}", "{", "}", "{a{b}", "{{", "}}", "{a}}}",
	"$FOO", "${FOO}", "${FOO", "$FOO}", "${}", "$", "$1A", "$_", "${{A}", "%APPDATA%", "%1%", "%%", "%", "%A",
	"your-client-secret", "YOUR_CLIENT_ID_HERE", "your client secret here", "insert api key", "put-contio-webhook-secret",
	"enter_contio_clientid", "the token", "mytoken", "paste-key-here", "your--key", "yourkey--here", "your-contio-contio-key",
	"CONTIO_CLIENT_SECRET", "contio-partner-api-key", "partner_webhook_secret", "client_id", "clientsecret", "contio__client_id",
	"contio client id", "webhook-secret", "api_key", "apikey",
	"your\u212Aey", "\u017Fecret", "\u212A", "tbd\u00e9", "\xff", "your-key\n", " \"todo\" ", "'${X}'",
	"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "eyJa.b.", "eyJ.b.c", "eyJa..c", "eyJa.b.c.d", "eyJa.b", "eyJa.b+c.d", "eyJa-_.B9.",
	"ak_live_0123456789abcdef", "s3cr3t-T0k3n-value-ok",
}

func TestShapesMatchTheirExpressions(t *testing.T) {
	for _, s := range shapeSeeds {
		if got, want := placeholderKind(s), placeholderKindRE(s); got != want {
			t.Errorf("placeholderKind(%q) = %q, want %q", s, got, want)
		}
		if got, want := isJWTShape(s), jwtShapeRE.MatchString(s); got != want {
			t.Errorf("isJWTShape(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzShapesMatchTheirExpressions(f *testing.F) {
	for _, s := range shapeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := placeholderKind(s), placeholderKindRE(s); got != want {
			t.Errorf("placeholderKind(%q) = %q, want %q", s, got, want)
		}
		if got, want := isJWTShape(s), jwtShapeRE.MatchString(s); got != want {
			t.Errorf("isJWTShape(%q) = %v, want %v", s, got, want)
		}
	})
}

func BenchmarkPlaceholderKind(b *testing.B) {
	for b.Loop() {
		for _, s := range shapeSeeds {
			placeholderKind(s)
		}
	}
}
