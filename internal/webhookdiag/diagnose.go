// Package webhookdiag diagnoses Contio webhook deliveries and receivers.
//
// Diagnose takes one delivery (body, X-Contio-Signature value, secret) and,
// when the signature does not verify, finds out why by trying what apps and
// proxies typically do to a delivery: re-serialise the JSON, change line
// endings or the charset, add a BOM, keep stray characters in the secret,
// rewrite the header. The transformation that makes the signature match
// names the bug.
//
// SelfTest sends signed test deliveries to a partner's endpoint and
// classifies how it answers (see selftest.go).
package webhookdiag

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/redact"
	"github.com/Contio-AI/contio-doctor/webhook"
)

// Codes say which outcome a diagnosis reached. They are stable: the JSON
// output carries them.
const (
	CodeVerified         = "verified"
	CodeMissing          = "missing_signature"
	CodeHeaderFormat     = "header_format"
	CodeSecretWhitespace = "secret_whitespace"
	CodeBodyReserialised = "body_reserialised"
	CodeBodyChanged      = "body_changed"
	CodeOtherSecret      = "other_secret"
	CodeOtherProvider    = "other_provider"
	CodeWrongSecret      = "wrong_secret"
)

// Secret is one secret to verify with, named for the report (a config
// position or "$VAR"). Its value never reaches the Diagnosis.
type Secret struct {
	Name  string
	Value string
}

// Input is one delivery to diagnose.
type Input struct {
	Body   []byte
	Header string
	// Secret is the secret to verify with.
	Secret Secret
	// Others are further secrets the user holds (the configured webhook
	// secret, the client secret, the API key): the diagnosis tries them
	// and says when the given secret equals one of them.
	Others []Secret
}

// Diagnosis is the outcome, safe to print: secrets appear only as
// fingerprints.
type Diagnosis struct {
	Verified bool            `json:"verified"`
	Code     string          `json:"code"`
	Guide    contio.GuideKey `json:"guide"`
	GuideURL string          `json:"guide_url,omitempty"`
	// Verdict is the one-line answer.
	Verdict string `json:"verdict"`
	// Why lists the evidence, most telling first.
	Why []string `json:"why,omitempty"`
	// Fix lists what to do, in order.
	Fix []string `json:"fix,omitempty"`
	// Recipes show how to keep the raw body in common frameworks.
	Recipes []Recipe `json:"recipes,omitempty"`
	// NodeSDK says what @contio/partner-sdk's verifier would do with the
	// header, when that differs from a strict verifier or is worth knowing.
	NodeSDK string `json:"node_sdk,omitempty"`
	// Header is how the signature value was read.
	Header Signature `json:"header"`
	// Match names the secret and body form that verify, when one does.
	Match   *Match        `json:"match,omitempty"`
	Secrets []SecretPrint `json:"secrets"`
	Body    BodyFacts     `json:"body"`
}

// Match is the combination that made the signature verify.
type Match struct {
	Secret string `json:"secret"`
	// SecretChange is "" for the secret as given, else what was changed.
	SecretChange string `json:"secret_change,omitempty"`
	// BodyChange is "" for the body as given, else what was changed.
	BodyChange string `json:"body_change,omitempty"`
}

// SecretPrint identifies a secret without revealing it.
type SecretPrint struct {
	Name        string `json:"name"`
	Fingerprint string `json:"fingerprint"`
}

// BodyFacts describe the body checked.
type BodyFacts struct {
	Bytes     int    `json:"bytes"`
	SHA256    string `json:"sha256"`
	JSON      bool   `json:"json"`
	EventType string `json:"event_type,omitempty"`
	EventID   string `json:"event_id,omitempty"`
	// Envelope is "" when the body is a complete Contio envelope, else why not.
	Envelope string `json:"envelope_problem,omitempty"`
}

// Recipe is the raw-body idiom of one framework.
type Recipe struct {
	Stack string `json:"stack"`
	Code  string `json:"code"`
}

// RawBodyRecipes are the idioms that hand the verifier the bytes as
// received, before any JSON parsing.
var RawBodyRecipes = []Recipe{
	{"Express", `app.post("/webhooks", express.raw({ type: "application/json" }), handler)  // mount it before any app.use(express.json())`},
	{"Next.js App Router", `const raw = await req.text()  // in route.ts, before JSON.parse(raw)`},
	{"Next.js pages/api", `export const config = { api: { bodyParser: false } }  // then read the stream into a Buffer`},
	{"Flask", `raw = request.get_data()  # not request.json or request.get_json()`},
	{"FastAPI", `raw = await request.body()  # take Request, not a Pydantic model`},
	{"Go net/http", `raw, err := io.ReadAll(r.Body)  // verify raw, then json.Unmarshal(raw, &event)`},
	{"Rails", `raw = request.raw_post  # not params`},
	{"Django", `raw = request.body  # not json.loads(...) re-dumped`},
}

// Diagnose verifies the delivery and, when it does not verify, says why.
func Diagnose(in Input) Diagnosis {
	d := Diagnosis{Header: ParseSignature(in.Header), Body: bodyFacts(in.Body)}
	d.Secrets = append(d.Secrets, SecretPrint{in.Secret.Name, redact.Fingerprint(in.Secret.Value)})
	for _, o := range in.Others {
		// The same value under another name (the config's fall-back to the
		// same variable) would only repeat the fingerprint.
		if o.Value != "" && o.Value != in.Secret.Value {
			d.Secrets = append(d.Secrets, SecretPrint{o.Name, redact.Fingerprint(o.Value)})
		}
	}
	if strings.TrimSpace(in.Header) == "" {
		missing(&d, in)
		return d.finish()
	}
	m := search(in, &d.Header)
	if m == nil {
		noMatch(&d, in)
		return d.finish()
	}
	d.Match = &Match{Secret: m.secret.name, SecretChange: m.secret.change, BodyChange: m.body.desc}
	want := webhook.Digest(m.secret.value, m.body.bytes)
	switch {
	case m.secret.change == "" && m.body.code == "" && m.other == nil && d.Header.Strict:
		d.Verified, d.Code, d.Guide = true, CodeVerified, contio.GuideNone
		d.Verdict = "signature verifies: this delivery was signed with " + in.Secret.Name + " over exactly these bytes"
		if ok, _ := NodeSDK(in.Header, want); !ok {
			d.NodeSDK = "the Node SDK would reject it"
		}
		return d.finish()
	case m.other != nil:
		otherSecret(&d, in, m)
	case m.secret.change != "":
		secretChanged(&d, in, m)
	case m.body.code != "":
		bodyChanged(&d, m)
	default:
		d.Code, d.Guide = CodeHeaderFormat, contio.GuideWebhookSignature
		d.Verdict = "signature does not verify: the digest is right but the header's format is not"
		d.Why = append(d.Why, "the digest in the header matches this body and secret; only its wrapping is off")
	}
	formatNotes(&d, in.Header, want)
	return d.finish()
}

func (d Diagnosis) finish() Diagnosis {
	if e, ok := contio.LookupGuide(d.Guide); ok && d.Guide != contio.GuideNone {
		d.GuideURL = e.URL()
	}
	return d
}

func missing(d *Diagnosis, in Input) {
	d.Code, d.Guide = CodeMissing, contio.GuideWebhookMissingSignature
	d.Verdict = "signature missing: the request has no X-Contio-Signature value"
	d.Why = []string{
		"every Contio delivery carries X-Contio-Signature; a request without it did not come from Contio (a test request, a replay by hand, or someone probing the endpoint)",
		"or a proxy, gateway or the capture tool dropped the header on the way",
	}
	d.Fix = []string{
		"answer 400 or 401 to a request without the header, before reading or acting on the body",
		`read the header by its lower-case name in Node (req.headers["x-contio-signature"]); other stacks match header names case-insensitively`,
		"if this was a real delivery, check that every proxy between Contio and the app forwards X-Contio-Signature",
	}
}

// secretVariant is the secret as given or as an app would clean it up.
type secretVariant struct {
	name, value, change string
}

func secretVariants(s Secret) []secretVariant {
	out := []secretVariant{{s.Name, s.Value, ""}}
	seen := map[string]bool{s.Value: true}
	add := func(v, change string) {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, secretVariant{s.Name, v, change})
		}
	}
	desc := describeStray(s.Value)
	clean := strings.TrimSpace(strings.Trim(strings.TrimSpace(strings.TrimPrefix(s.Value, "\ufeff")), `"'`))
	add(strings.TrimRight(s.Value, "\r\n"), desc)
	add(strings.TrimSpace(s.Value), desc)
	add(strings.TrimPrefix(s.Value, "\ufeff"), desc)
	add(clean, desc)
	return out
}

// describeStray names the stray characters around a secret.
func describeStray(s string) string {
	var parts []string
	if strings.HasPrefix(s, "\ufeff") {
		parts = append(parts, "a byte-order mark at the start")
		s = s[len("\ufeff"):]
	}
	lead := s[:len(s)-len(strings.TrimLeft(s, " \t\r\n"))]
	trail := s[len(strings.TrimRight(s, " \t\r\n")):]
	if lead != "" {
		parts = append(parts, fmt.Sprintf("%q at the start", lead))
	}
	if trail != "" {
		parts = append(parts, fmt.Sprintf("%q at the end", trail))
	}
	core := strings.TrimSpace(s)
	if len(core) >= 2 && (core[0] == '"' || core[0] == '\'') && core[len(core)-1] == core[0] {
		parts = append(parts, "surrounding "+string(core[0])+" quotes")
	}
	if len(parts) == 0 {
		return "stray characters"
	}
	return strings.Join(parts, " and ")
}

// bodyVariant is the body as given or as something in transit may have
// changed it; code is "" for the body as given.
type bodyVariant struct {
	code, desc, cause string
	bytes             []byte
	form              *jsonForm
}

func bodyVariants(body []byte) []bodyVariant {
	out := []bodyVariant{{bytes: body}}
	seen := map[string]bool{string(body): true}
	add := func(v bodyVariant) {
		if !seen[string(v.bytes)] {
			seen[string(v.bytes)] = true
			out = append(out, v)
		}
	}
	bom := []byte("\ufeff")
	if bytes.HasPrefix(body, bom) {
		add(bodyVariant{"bom_added", "without the byte-order mark it starts with", "a UTF-8 byte-order mark (EF BB BF) was added in front of the body: an editor, a PowerShell redirect or a proxy wrote it", bytes.TrimPrefix(body, bom), nil})
	} else {
		add(bodyVariant{"bom_removed", "with a byte-order mark in front", "the byte-order mark the body started with was stripped (a UTF-8 decoder with BOM handling, or a text-mode read)", append(append([]byte{}, bom...), body...), nil})
	}
	if bytes.Contains(body, []byte("\r\n")) {
		add(bodyVariant{"crlf", "with CRLF line endings turned back into LF", "line endings were converted from LF to CRLF (a Windows tool, git autocrlf, a text-mode write)", bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")), nil})
	} else if bytes.Contains(body, []byte("\n")) {
		add(bodyVariant{"lf", "with LF line endings turned into CRLF", "line endings were converted from CRLF to LF (a text-mode read or a copy through an editor)", bytes.ReplaceAll(body, []byte("\n"), []byte("\r\n")), nil})
	}
	if t := bytes.TrimRight(body, "\r\n"); len(t) != len(body) {
		add(bodyVariant{"trailing_newline_added", "without its trailing newline", "a newline was appended to the body (echo, a text editor, a here-document, a logger)", t, nil})
	} else {
		add(bodyVariant{"trailing_newline_removed", "with a trailing newline", "the body's trailing newline was removed (a trim, a line-based read)", append(append([]byte{}, body...), '\n'), nil})
	}
	if t := bytes.TrimSpace(body); len(t) != len(body) {
		add(bodyVariant{"whitespace_added", "without the whitespace around it", "whitespace was added around the body", t, nil})
	}
	if l, ok := latin1ToUTF8(body); ok {
		add(bodyVariant{"latin1", "with its Latin-1 bytes read back as UTF-8", "the body was re-encoded from UTF-8 to Latin-1 (ISO-8859-1) on the way: its non-ASCII characters are single bytes", l, nil})
	}
	if u, ok := utf8ToLatin1(body); ok {
		add(bodyVariant{"double_utf8", "with its double-encoded UTF-8 undone", "the body was decoded as Latin-1 and encoded again as UTF-8 (mojibake such as \"ZÃ¼rich\")", u, nil})
	}
	if dec, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(body))); err == nil && len(dec) > 0 {
		add(bodyVariant{"base64", "base64-decoded", "the body is base64 of the delivery (AWS API Gateway or Lambda with isBase64Encoded): decode it before verifying", dec, nil})
	}
	if tree, err := parseOrdered(body); err == nil {
		for _, f := range allForms() {
			f := f
			add(bodyVariant{"reserialised", f.describe(), f.producer(), f.encode(tree), &f})
		}
	}
	return out
}

// latin1ToUTF8 reads body as Latin-1; ok when that changes anything.
func latin1ToUTF8(body []byte) ([]byte, bool) {
	if utf8.Valid(body) {
		return nil, false
	}
	var b bytes.Buffer
	for _, c := range body {
		b.WriteRune(rune(c))
	}
	return b.Bytes(), true
}

// utf8ToLatin1 turns each UTF-8 character below U+0100 into one byte; ok
// only when the body has such characters and nothing above.
func utf8ToLatin1(body []byte) ([]byte, bool) {
	if !utf8.Valid(body) {
		return nil, false
	}
	out := make([]byte, 0, len(body))
	changed := false
	for _, r := range string(body) {
		if r > 0xff {
			return nil, false
		}
		if r >= 0x80 {
			changed = true
		}
		out = append(out, byte(r))
	}
	return out, changed
}

type match struct {
	secret secretVariant
	body   bodyVariant
	other  *Secret
}

// search finds the first (secret, body) combination whose digest the
// header carries, trying the likeliest explanations first.
func search(in Input, sig *Signature) *match {
	if len(sig.Digests) == 0 && len(sig.TruncatedHex) < 8 {
		return nil
	}
	bodies := bodyVariants(in.Body)
	try := func(s secretVariant, b bodyVariant) bool {
		if sig.matches(webhook.Digest(s.value, b.bytes)) {
			return true
		}
		if sig.StripeTimestamp != "" {
			return sig.matches(webhook.Digest(s.value, append([]byte(sig.StripeTimestamp+"."), b.bytes...)))
		}
		return false
	}
	given := secretVariants(in.Secret)
	for _, b := range bodies {
		for _, s := range given {
			if try(s, b) {
				return &match{secret: s, body: b}
			}
		}
	}
	for i := range in.Others {
		o := in.Others[i]
		if o.Value == "" || o.Value == in.Secret.Value {
			continue
		}
		for _, b := range bodies {
			for _, s := range secretVariants(o) {
				if try(s, b) {
					return &match{secret: s, body: b, other: &o}
				}
			}
		}
	}
	return nil
}

func secretChanged(d *Diagnosis, in Input, m *match) {
	d.Code, d.Guide = CodeSecretWhitespace, contio.GuideWebhookSignature
	d.Verdict = "signature does not verify with the secret as given, but does once the secret is cleaned up"
	d.Why = append(d.Why,
		fmt.Sprintf("%s has %s; Contio signs with the secret without them", in.Secret.Name, m.secret.change),
		fmt.Sprintf("as given: %s; cleaned up: %s", redact.Fingerprint(in.Secret.Value), redact.Fingerprint(m.secret.value)),
	)
	if m.body.code != "" {
		d.Why = append(d.Why, "and the body matches only "+m.body.desc+" ("+m.body.cause+")")
	}
	d.Fix = append(d.Fix,
		"remove the stray characters where the secret is stored: no quotes around values in .env files, printf instead of echo when piping it, no trailing newline in a secret file or Kubernetes secret",
		"or trim the secret when the app loads it (a newline in a secret is never intended)",
	)
}

func bodyChanged(d *Diagnosis, m *match) {
	d.Guide = contio.GuideWebhookSignature
	if m.body.form != nil {
		d.Code = CodeBodyReserialised
		d.Verdict = "signature does not verify: the body was parsed and re-serialised before verification"
		d.Why = append(d.Why, "the signature matches the same JSON "+m.body.desc+", not the bytes given")
		if f := m.body.form; f.indent == "" && !f.spaced && f.escape == escapeGoHTML && !f.sortKeys {
			d.Why = append(d.Why, "that is how Contio writes its deliveries, so the bytes given were re-serialised after they arrived: a parser, a logger or a pretty-printer wrote them out again")
		} else {
			d.Why = append(d.Why, "so the bytes checked are not the bytes Contio signed: something parsed the JSON and wrote it out again — likely "+m.body.cause)
		}
		d.Fix = append(d.Fix,
			"verify the raw request body, byte for byte, before any JSON parsing; parse only after the signature passes",
			"if the body you gave came from a log, log the raw bytes (or their SHA-256) rather than the parsed object",
		)
		d.Recipes = RawBodyRecipes
		return
	}
	d.Code = CodeBodyChanged
	d.Verdict = "signature does not verify: the body's bytes changed after Contio signed them"
	d.Why = append(d.Why,
		"the signature matches the body "+m.body.desc+", not the bytes given",
		m.body.cause,
	)
	d.Fix = append(d.Fix,
		"verify the bytes exactly as they arrive: read the body as bytes, with no charset decoding, newline conversion or trimming, and check that no proxy rewrites it",
		"when saving a delivery for later checks, write the bytes unchanged (curl --data-binary, not --data; no editor round trip)",
	)
	if m.body.code == "base64" {
		d.Fix = []string{"base64-decode the body when the platform marks it as encoded (API Gateway: event.isBase64Encoded), then verify the decoded bytes"}
	}
}

func otherSecret(d *Diagnosis, in Input, m *match) {
	d.Code, d.Guide = CodeOtherSecret, contio.GuideWebhookSignature
	d.Verdict = "signature does not verify with " + in.Secret.Name + ", but does with " + m.other.Name
	d.Why = append(d.Why,
		fmt.Sprintf("%s is %s; %s is %s", in.Secret.Name, redact.Fingerprint(in.Secret.Value), m.other.Name, redact.Fingerprint(m.other.Value)),
		"the two places disagree on the webhook secret: often a rotation updated one and not the other, or each environment has its own secret",
	)
	if m.secret.change != "" {
		d.Why = append(d.Why, m.other.Name+" verifies only once cleaned of "+m.secret.change)
	}
	if m.body.code != "" {
		d.Why = append(d.Why, "and the body matches only "+m.body.desc)
	}
	d.Fix = append(d.Fix, "use the secret Contio currently signs with everywhere the app reads it; after a rotation, accept both the old and the new secret until every delivery signed with the old one has arrived")
}

func noMatch(d *Diagnosis, in Input) {
	d.Guide = contio.GuideWebhookSignature
	for _, is := range d.Header.Issues {
		switch is.Code {
		case "stripe_style", "slack_style", "standard_webhooks_style":
			d.Code = CodeOtherProvider
			d.Verdict = "signature does not verify: the header holds another provider's signature"
			d.Why = append(d.Why, is.Text, "Contio sends X-Contio-Signature: sha256=<64 hex digits> over the raw body, with no timestamp")
			d.Fix = append(d.Fix, "check that the value comes from the X-Contio-Signature header of a Contio delivery, and that the route does not run another provider's verifier (Stripe's constructEvent, Svix, Slack) on Contio's requests")
			return
		}
	}
	d.Code = CodeWrongSecret
	if len(d.Header.Issues) > 0 {
		d.Code = CodeHeaderFormat
		d.Verdict = "signature does not verify: the header is malformed, and its digest matches nothing tried"
		for _, is := range d.Header.Issues {
			d.Why = append(d.Why, is.Text)
		}
		d.Fix = append(d.Fix, `make sure the whole header value reaches the verifier unchanged: "sha256=" followed by 64 lower-case hex digits`)
	} else {
		d.Verdict = "signature does not verify: most likely the secret is not the one Contio signs with"
	}
	d.Why = append(d.Why, fmt.Sprintf("the digest matches neither the body as given nor %d re-serialised or byte-changed forms of it, with %s or its trimmed forms",
		len(bodyVariants(in.Body))-1, in.Secret.Name))
	for _, o := range in.Others {
		if o.Value != "" && o.Value == in.Secret.Value {
			d.Why = append(d.Why, in.Secret.Name+" is the same value as "+o.Name+": that is not a webhook secret")
		}
	}
	var prints []string
	for _, p := range d.Secrets {
		prints = append(prints, p.Name+" = "+p.Fingerprint)
	}
	d.Why = append(d.Why, "fingerprints (compare with the secret shown in the Partner Dashboard): "+strings.Join(prints, "; "))
	if d.Body.Envelope != "" {
		d.Why = append(d.Why, "the body is not a complete Contio envelope ("+d.Body.Envelope+"): make sure it is the delivery's body exactly as received")
	}
	d.Fix = append(d.Fix,
		"copy the webhook secret again from the Partner Dashboard into the place the app reads it, and compare fingerprints with `contio-doctor webhook verify`",
		"after a rotation, accept the old and the new secret until deliveries signed with the old one stop",
		"if the body came from a log or an APM tool, capture the raw bytes instead: a re-serialisation this tool does not know also breaks the signature",
	)
}

// formatNotes adds what is off about the header's format, and what the
// Node SDK would do with it, to a diagnosis that found the right digest.
func formatNotes(d *Diagnosis, header string, want []byte) {
	if len(d.Header.Issues) == 0 {
		return
	}
	if d.Code == CodeHeaderFormat {
		for _, is := range d.Header.Issues {
			d.Why = append(d.Why, is.Text)
		}
	} else {
		for _, is := range d.Header.Issues {
			d.Why = append(d.Why, "also: "+is.Text)
		}
	}
	if ok, reason := NodeSDK(header, want); ok {
		d.NodeSDK = "the Node SDK would accept this header (its hex decoder stops at the first bad character); a strict verifier, like Go's, rejects it"
	} else {
		d.NodeSDK = `the Node SDK would reject it too ("` + reason + `")`
	}
	d.Fix = append(d.Fix, `Contio sends "sha256=" followed by 64 lower-case hex digits: if this value is what your code computes, produce that form ("sha256=" + hmac.digest("hex")); if it is what your server received, find what rewrote it (a proxy, a logger, a copy from a table that cut or wrapped it)`)
	for _, is := range d.Header.Issues {
		if is.Code == "whitespace" {
			d.Fix = append(d.Fix, "HTTP servers strip whitespace around header values, so whitespace here usually comes from copying the value; trim it before comparing")
		}
	}
}

func bodyFacts(body []byte) BodyFacts {
	sum := sha256.Sum256(body)
	f := BodyFacts{Bytes: len(body), SHA256: hex.EncodeToString(sum[:])}
	env, err := webhook.Check(body)
	_, perr := parseOrdered(body)
	f.JSON = perr == nil
	f.EventType, f.EventID = env.EventType, env.EventID
	if err != nil {
		f.Envelope = strings.TrimPrefix(err.Error(), webhook.ErrEnvelope.Error()+": ")
	}
	return f
}
