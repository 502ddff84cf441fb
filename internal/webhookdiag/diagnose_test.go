package webhookdiag

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/webhook"
)

const canary = "whsec_CANARY_d1a9n0s3_secret"

// contioBody is a delivery as Contio's Go generator writes it: compact,
// struct key order, <>& escaped, non-ASCII as UTF-8.
func contioBody(t *testing.T) []byte {
	t.Helper()
	data, err := json.Marshal(struct {
		MeetingID   string  `json:"meeting_id"`
		Title       string  `json:"title"`
		WorkspaceID string  `json:"workspace_id"`
		CreatedAt   string  `json:"created_at"`
		Score       float64 `json:"score"`
	}{"7c0e8f3a-2b1d-4c5e-9f60-1a2b3c4d5e6f", "Q3 <planning> & review – Zürich", "0b6f3c1e-9d2a-4f8b-8c7d-6e5f4a3b2c1d", "2026-03-01T09:30:00Z", 0.5})
	if err != nil {
		t.Fatal(err)
	}
	env := webhook.Envelope{EventType: "meeting.created", EventID: "5f0d6b3e-8a4c-4b1f-9e2d-3c7a1b0e9f8d",
		Timestamp: "2026-03-01T09:30:01Z", PartnerAppID: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", Data: data}
	b := env.Marshal()
	if !strings.Contains(string(b), `\u003cplanning\u003e \u0026`) {
		t.Fatalf("fixture is not Go-escaped: %s", b)
	}
	return b
}

func diagnose(body []byte, header, secret string, others ...Secret) Diagnosis {
	return Diagnose(Input{Body: body, Header: header, Secret: Secret{"$CONTIO_WEBHOOK_SECRET", secret}, Others: others})
}

func TestDiagnoseVerifies(t *testing.T) {
	body := contioBody(t)
	d := diagnose(body, webhook.Sign(canary, body), canary)
	if !d.Verified || d.Code != CodeVerified {
		t.Fatalf("Diagnose(signed envelope) = %s: %s", d.Code, d.Verdict)
	}
	if d.Body.EventType != "meeting.created" || d.Body.Envelope != "" {
		t.Fatalf("body facts = %+v", d.Body)
	}
	// GitHub's published vector: same scheme, so it must verify as is.
	gh := diagnose([]byte("Hello, World!"), "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "It's a Secret to Everybody")
	if !gh.Verified {
		t.Fatalf("GitHub vector: %s: %s", gh.Code, gh.Verdict)
	}
}

func TestDiagnoseFailureModes(t *testing.T) {
	body := contioBody(t)
	sig := webhook.Sign(canary, body)
	hexDigest := sig[len("sha256="):]
	raw, _ := hex.DecodeString(hexDigest)
	signedOver := func(b []byte) string { return webhook.Sign(canary, b) }
	var tree map[string]any
	_ = json.Unmarshal(body, &tree)
	sortedGo, _ := json.Marshal(tree) // keys sorted, <>& escaped, 0.5 stays
	pretty := mustForm(t, body, jsonForm{indent: "  ", normaliseNumbers: true})
	jsForm := mustForm(t, body, jsonForm{normaliseNumbers: true})
	latinSrc := []byte(strings.ReplaceAll(string(body), "–", "-")) // Latin-1 cannot hold U+2013
	latin1, ok := utf8ToLatin1(latinSrc)
	if !ok {
		t.Fatal("fixture cannot be Latin-1")
	}

	cases := []struct {
		name     string
		body     []byte
		header   string
		secret   string
		others   []Secret
		code     string
		guide    contio.GuideKey
		want     []string // substrings of verdict + why + fix + node_sdk
		issue    string
		nodeOK   *bool
		bodyCode string
	}{
		{name: "missing", body: body, header: "", secret: canary, code: CodeMissing, guide: contio.GuideWebhookMissingSignature, want: []string{"400 or 401"}},
		{name: "blank", body: body, header: "   ", secret: canary, code: CodeMissing},
		{name: "bare hex", body: body, header: hexDigest, secret: canary, code: CodeHeaderFormat, issue: "bare_hex", nodeOK: ptr(false), want: []string{"digest is right", "Invalid signature format"}},
		{name: "capital prefix", body: body, header: "SHA256=" + hexDigest, secret: canary, code: CodeHeaderFormat, issue: "capital_prefix", nodeOK: ptr(false)},
		{name: "base64", body: body, header: "sha256=" + base64.StdEncoding.EncodeToString(raw), secret: canary, code: CodeHeaderFormat, issue: "base64", nodeOK: ptr(false)},
		{name: "bare base64", body: body, header: base64.StdEncoding.EncodeToString(raw), secret: canary, code: CodeHeaderFormat, issue: "base64"},
		{name: "stripe style", body: body, header: "t=1767225600,v1=" + hex.EncodeToString(webhook.Digest("other", body)), secret: canary, code: CodeOtherProvider, issue: "stripe_style", want: []string{"another provider"}},
		{name: "truncated", body: body, header: sig[:40], secret: canary, code: CodeHeaderFormat, issue: "truncated", nodeOK: ptr(false), want: []string{"Signature length mismatch", "33 of its 64"}},
		{name: "padded hex", body: body, header: sig + "00", secret: canary, code: CodeHeaderFormat, issue: "padded", nodeOK: ptr(false)},
		{name: "trailing junk", body: body, header: sig + "xyz", secret: canary, code: CodeHeaderFormat, issue: "trailing_junk", nodeOK: ptr(true), want: []string{"would accept"}},
		{name: "trailing whitespace", body: body, header: sig + " \r\n", secret: canary, code: CodeHeaderFormat, issue: "whitespace", nodeOK: ptr(true), want: []string{"strip whitespace around header values"}},
		{name: "leading whitespace", body: body, header: " " + sig, secret: canary, code: CodeHeaderFormat, issue: "whitespace", nodeOK: ptr(false)},
		{name: "doubled prefix", body: body, header: "sha256=" + sig, secret: canary, code: CodeHeaderFormat, issue: "doubled_prefix"},
		{name: "secret newline", body: body, header: sig, secret: canary + "\n", code: CodeSecretWhitespace, want: []string{`"\n" at the end`, "cleaned up"}},
		{name: "secret quotes", body: body, header: sig, secret: `"` + canary + `"`, code: CodeSecretWhitespace, want: []string{"surrounding \" quotes"}},
		{name: "secret CRLF and spaces", body: body, header: sig, secret: "  " + canary + "\r\n", code: CodeSecretWhitespace, want: []string{`"  " at the start`, `"\r\n" at the end`}},
		{name: "parsed then JSON.stringify", body: body, header: signedOver(jsForm), secret: canary, code: CodeBodyReserialised, bodyCode: "reserialised", want: []string{"JSON.stringify", "express.raw"}},
		{name: "captured pretty, signed compact", body: pretty, header: sig, secret: canary, code: CodeBodyReserialised, want: []string{"compact (no whitespace), keys in their original order, <, > and & written as"}},
		{name: "sorted keys", body: body, header: signedOver(sortedGo), secret: canary, code: CodeBodyReserialised, want: []string{"keys sorted alphabetically", "json.Marshal of a decoded map"}},
		{name: "pretty 2 spaces", body: body, header: signedOver(pretty), secret: canary, code: CodeBodyReserialised, want: []string{"pretty-printed with 2-space indents"}},
		{name: "bom added", body: append([]byte("\ufeff"), body...), header: sig, secret: canary, code: CodeBodyChanged, bodyCode: "bom_added", want: []string{"byte-order mark"}},
		{name: "bom removed", body: body, header: signedOver(append([]byte("\ufeff"), body...)), secret: canary, code: CodeBodyChanged, bodyCode: "bom_removed"},
		{name: "crlf", body: []byte(strings.ReplaceAll(string(pretty), "\n", "\r\n")), header: signedOver(pretty), secret: canary, code: CodeBodyChanged, bodyCode: "crlf", want: []string{"CRLF"}},
		{name: "trailing newline added", body: append(append([]byte{}, body...), '\n'), header: sig, secret: canary, code: CodeBodyChanged, bodyCode: "trailing_newline_added"},
		{name: "trailing newline removed", body: body, header: signedOver(append(append([]byte{}, body...), '\n')), secret: canary, code: CodeBodyChanged, bodyCode: "trailing_newline_removed"},
		{name: "latin-1", body: latin1, header: signedOver(latinSrc), secret: canary, code: CodeBodyChanged, bodyCode: "latin1", want: []string{"Latin-1"}},
		{name: "double utf-8", body: []byte(string(runesOf(body))), header: sig, secret: canary, code: CodeBodyChanged, bodyCode: "double_utf8", want: []string{"mojibake"}},
		{name: "api gateway base64", body: []byte(base64.StdEncoding.EncodeToString(body)), header: sig, secret: canary, code: CodeBodyChanged, bodyCode: "base64", want: []string{"isBase64Encoded"}},
		{name: "wrong secret", body: body, header: webhook.Sign("whsec_rotated_elsewhere_value", body), secret: canary,
			others: []Secret{{"webhooks.secret (contio-doctor.yaml:20:11)", "whsec_configured_value_123"}},
			code:   CodeWrongSecret, guide: contio.GuideWebhookSignature, want: []string{"fingerprints", "$CONTIO_WEBHOOK_SECRET = whse…", "webhooks.secret (contio-doctor.yaml:20:11) = whse…"}},
		{name: "rotation: configured secret verifies", body: body, header: webhook.Sign("whsec_configured_value_123", body), secret: canary,
			others: []Secret{{"webhooks.secret", "whsec_configured_value_123"}}, code: CodeOtherSecret, want: []string{"but does with webhooks.secret", "rotation"}},
		{name: "api key as secret", body: body, header: webhook.Sign("whsec_real", body), secret: canary,
			others: []Secret{{"admin.api_key", canary}}, code: CodeWrongSecret, want: []string{"same value as admin.api_key"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := diagnose(c.body, c.header, c.secret, c.others...)
			all := d.Verdict + "\n" + strings.Join(d.Why, "\n") + "\n" + strings.Join(d.Fix, "\n") + "\n" + d.NodeSDK
			for _, r := range d.Recipes {
				all += "\n" + r.Code
			}
			if d.Verified || d.Code != c.code {
				t.Fatalf("code = %s (verified %v), want %s\n%s", d.Code, d.Verified, c.code, all)
			}
			if c.guide != "" && d.Guide != c.guide {
				t.Errorf("guide = %q, want %q", d.Guide, c.guide)
			}
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("report lacks %q:\n%s", w, all)
				}
			}
			if c.issue != "" && !hasIssue(d.Header, c.issue) {
				t.Errorf("issues = %+v, want %s", d.Header.Issues, c.issue)
			}
			if c.nodeOK != nil {
				accepts := strings.Contains(d.NodeSDK, "would accept")
				if accepts != *c.nodeOK {
					t.Errorf("NodeSDK = %q, want accept=%v", d.NodeSDK, *c.nodeOK)
				}
			}
			if c.bodyCode != "" {
				if d.Match == nil {
					t.Fatalf("no match recorded")
				}
			}
			out, _ := json.Marshal(d)
			for _, s := range []string{canary, "whsec_configured_value_123", "whsec_rotated_elsewhere_value"} {
				if strings.Contains(string(out)+all, s) {
					t.Fatalf("secret %q leaked into the diagnosis", s)
				}
			}
		})
	}
}

func TestDiagnoseAcceptsSandboxDeliveries(t *testing.T) {
	for i, at := range []time.Time{time.Unix(0, 0), time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)} {
		body := webhook.TestEvent("", "", at).Marshal()
		if d := diagnose(body, webhook.Sign(canary, body), canary); !d.Verified {
			t.Fatalf("delivery %d: %s: %s", i, d.Code, d.Verdict)
		}
	}
}

func TestNodeSDK(t *testing.T) {
	want := webhook.Digest("k", []byte("b"))
	h := hex.EncodeToString(want)
	cases := map[string]string{
		"sha256=" + h:                  "",
		"sha256=" + strings.ToUpper(h): "",
		"sha256=" + h + " ":            "",
		"sha256=" + h + "zz":           "",
		"":                             "Missing signature",
		"SHA256=" + h:                  "Invalid signature format",
		" sha256=" + h:                 "Invalid signature format",
		h:                              "Invalid signature format",
		"t=1,sha256=" + h:              "Invalid signature format",
		"sha256=" + h[:62]:             "Signature length mismatch",
		"sha256=" + h[:63] + "0":       "Signature mismatch",
	}
	for header, reason := range cases {
		ok, got := NodeSDK(header, want)
		if ok != (reason == "") || got != reason {
			t.Errorf("NodeSDK(%q) = %v %q, want %q", header, ok, got, reason)
		}
	}
}

func mustForm(t *testing.T, body []byte, f jsonForm) []byte {
	t.Helper()
	tree, err := parseOrdered(body)
	if err != nil {
		t.Fatal(err)
	}
	return f.encode(tree)
}

// runesOf double-encodes b: each byte becomes the character of that code.
func runesOf(b []byte) []rune {
	out := make([]rune, len(b))
	for i, c := range b {
		out[i] = rune(c)
	}
	return out
}

func hasIssue(s Signature, code string) bool {
	for _, is := range s.Issues {
		if is.Code == code {
			return true
		}
	}
	return false
}

func ptr[T any](v T) *T { return &v }
