package webhookdiag

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/Contio-AI/contio-doctor/webhook"
)

// DefaultSlowAfter is how long Contio waits for a 2xx before it counts a
// delivery as failed and schedules a retry (SDK README: about 5 s).
const DefaultSlowAfter = 5 * time.Second

// Probe names one test delivery of the self-test.
type Probe string

// The self-test's deliveries, in the order they are sent.
const (
	// ProbeSigned is a correctly signed compact delivery.
	ProbeSigned Probe = "signed"
	// ProbeDuplicate resends ProbeSigned byte for byte: a redelivery.
	ProbeDuplicate Probe = "duplicate"
	// ProbeReformatted is correctly signed, with other whitespace, key
	// order and \u escapes: it verifies only over the raw bytes.
	ProbeReformatted Probe = "reformatted"
	// ProbeUnsigned carries no X-Contio-Signature.
	ProbeUnsigned Probe = "unsigned"
	// ProbeBadSignature carries a well-formed signature made with another secret.
	ProbeBadSignature Probe = "bad_signature"
)

var probeOrder = []Probe{ProbeSigned, ProbeDuplicate, ProbeReformatted, ProbeUnsigned, ProbeBadSignature}

// SelfTestOptions configure SelfTest.
type SelfTestOptions struct {
	URL    string
	Secret string
	// SlowAfter is the answer time past which Contio retries; 0 means
	// DefaultSlowAfter. Tests lower it.
	SlowAfter time.Duration
	// RequestTimeout bounds each delivery; 0 means SlowAfter + 1 s. The
	// context bounds them all.
	RequestTimeout time.Duration
	// Clock measures answer times; nil means time.Now. Tests inject one
	// that the receiver advances, so "slow" needs no sleeping.
	Clock func() time.Time
	// NewID makes event IDs; nil means random UUIDs.
	NewID func() string
	// Transport overrides the HTTP transport (tests); nil means a fresh one.
	Transport http.RoundTripper
	// UserAgent identifies the doctor in the receiver's logs.
	UserAgent string
}

// Exchange is one test delivery and its answer.
type Exchange struct {
	Probe Probe
	// What was sent.
	Method, URL string
	Header      http.Header // the signature masked
	BodyBytes   int
	EventID     string
	// What came back; Status 0 when nothing did.
	Status    int
	Location  string
	Elapsed   time.Duration
	BodyStart string
	Err       error
	// TimedOut is true when no answer came within the request timeout.
	TimedOut bool
	// NotSent explains a delivery that was not attempted.
	NotSent string
}

// Answered reports whether a status came back.
func (x *Exchange) Answered() bool { return x != nil && x.Status != 0 }

// OK reports a 2xx answer.
func (x *Exchange) OK() bool { return x.Answered() && x.Status/100 == 2 }

// Redirected reports a 3xx answer.
func (x *Exchange) Redirected() bool { return x.Answered() && x.Status/100 == 3 }

// Rejected reports a 4xx answer.
func (x *Exchange) Rejected() bool { return x.Answered() && x.Status/100 == 4 }

// Evidence renders what was sent and what came back, secrets masked.
func (x *Exchange) Evidence() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sent (%s): %s %s\n", x.Probe, x.Method, x.URL)
	for _, k := range []string{"Content-Type", webhook.Header, "User-Agent"} {
		if v := x.Header.Get(k); v != "" {
			fmt.Fprintf(&b, "  %s: %s\n", k, v)
		}
	}
	if x.Header.Get(webhook.Header) == "" {
		fmt.Fprintf(&b, "  (no %s header)\n", webhook.Header)
	}
	fmt.Fprintf(&b, "  body: %d bytes, meeting.created, event_id %s\n", x.BodyBytes, x.EventID)
	switch {
	case x.NotSent != "":
		fmt.Fprintf(&b, "not sent: %s", x.NotSent)
	case x.TimedOut:
		fmt.Fprintf(&b, "received: nothing within %s", x.Elapsed.Round(time.Millisecond))
	case x.Err != nil:
		fmt.Fprintf(&b, "received: nothing (%v)", x.Err)
	default:
		fmt.Fprintf(&b, "received: %d %s in %s", x.Status, http.StatusText(x.Status), x.Elapsed.Round(time.Millisecond))
		if x.Location != "" {
			fmt.Fprintf(&b, "\n  Location: %s", x.Location)
		}
		if x.BodyStart != "" {
			fmt.Fprintf(&b, "\n  body: %s", x.BodyStart)
		}
	}
	return b.String()
}

// SelfTestReport is the outcome of one self-test run.
type SelfTestReport struct {
	URL       string
	SlowAfter time.Duration
	// Refused explains why nothing was sent (plain http to a non-loopback
	// host, a URL that does not parse); "" when deliveries went out.
	Refused   string
	Exchanges map[Probe]*Exchange
}

// Get returns the exchange of p (nil when it was never prepared).
func (r *SelfTestReport) Get(p Probe) *Exchange { return r.Exchanges[p] }

// FirstRedirect returns the first exchange answered with a redirect.
func (r *SelfTestReport) FirstRedirect() *Exchange {
	for _, p := range probeOrder {
		if x := r.Exchanges[p]; x.Redirected() {
			return x
		}
	}
	return nil
}

// SelfTest sends the test deliveries to opts.URL in order and records the
// answers. It never follows a redirect (that would resend the body and
// signature elsewhere) and sends only over https, except to loopback.
// It returns an error only for bad options.
func SelfTest(ctx context.Context, opts SelfTestOptions) (*SelfTestReport, error) {
	if opts.Secret == "" {
		return nil, errors.New("webhook self-test: no secret to sign with")
	}
	if opts.SlowAfter <= 0 {
		opts.SlowAfter = DefaultSlowAfter
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = opts.SlowAfter + time.Second
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.NewID == nil {
		opts.NewID = webhook.NewUUID
	}
	rep := &SelfTestReport{URL: opts.URL, SlowAfter: opts.SlowAfter, Exchanges: map[Probe]*Exchange{}}
	u, err := url.Parse(strings.TrimSpace(opts.URL))
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		rep.Refused = fmt.Sprintf("webhooks.url %q is not an absolute http(s) URL", opts.URL)
		return rep, nil
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		rep.Refused = "webhooks.url uses plain http to a host that is not loopback; deliveries carry meeting data, so the endpoint must use https"
		return rep, nil
	}
	target := u.String()
	client := &http.Client{
		Transport: opts.Transport,
		// A redirect would move the signed body elsewhere: report it instead.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if client.Transport == nil {
		client.Transport = &http.Transport{Proxy: http.ProxyFromEnvironment, TLSHandshakeTimeout: opts.RequestTimeout, ResponseHeaderTimeout: opts.RequestTimeout}
	}

	partnerApp := opts.NewID()
	now := opts.Clock()
	signed := canonical(webhook.TestEvent(opts.NewID(), partnerApp, now))
	reformatted := webhook.TestEvent(opts.NewID(), partnerApp, now)
	unsigned := canonical(webhook.TestEvent(opts.NewID(), partnerApp, now))
	bad := canonical(webhook.TestEvent(opts.NewID(), partnerApp, now))
	otherSecret := "contio-doctor-wrong-secret-" + opts.NewID()

	plan := []struct {
		probe  Probe
		body   []byte
		id     string
		header string
	}{
		{ProbeSigned, signed.body, signed.id, webhook.Sign(opts.Secret, signed.body)},
		{ProbeDuplicate, signed.body, signed.id, webhook.Sign(opts.Secret, signed.body)},
		{ProbeReformatted, reformattedBody(reformatted), reformatted.EventID, ""},
		{ProbeUnsigned, unsigned.body, unsigned.id, ""},
		{ProbeBadSignature, bad.body, bad.id, webhook.Sign(otherSecret, bad.body)},
	}
	plan[2].header = webhook.Sign(opts.Secret, plan[2].body)
	stop := ""
	for _, p := range plan {
		x := &Exchange{Probe: p.probe, Method: http.MethodPost, URL: target, BodyBytes: len(p.body), EventID: p.id, Header: http.Header{}}
		x.Header.Set("Content-Type", "application/json")
		if opts.UserAgent != "" {
			x.Header.Set("User-Agent", opts.UserAgent)
		}
		if p.header != "" {
			x.Header.Set(webhook.Header, maskSignature(p.header))
		}
		rep.Exchanges[p.probe] = x
		if stop == "" && ctx.Err() != nil {
			stop = "the run's time ran out"
		}
		if stop != "" {
			x.NotSent = stop
			continue
		}
		send(ctx, client, opts, x, p.body, p.header)
		if x.TimedOut || (x.Err != nil && !x.Answered()) {
			// An endpoint that does not answer one delivery will not answer
			// the next: stop rather than spend the run's time waiting.
			stop = "the " + string(p.probe) + " delivery got no answer"
		}
	}
	return rep, nil
}

func send(ctx context.Context, client *http.Client, opts SelfTestOptions, x *Exchange, body []byte, signature string) {
	rctx, cancel := context.WithTimeout(ctx, opts.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, x.Method, x.URL, bytes.NewReader(body))
	if err != nil {
		x.Err = fmt.Errorf("build request: %w", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	if opts.UserAgent != "" {
		req.Header.Set("User-Agent", opts.UserAgent)
	}
	if signature != "" {
		req.Header.Set(webhook.Header, signature)
	}
	start := opts.Clock()
	resp, err := client.Do(req)
	if err != nil {
		x.Elapsed = opts.Clock().Sub(start)
		x.Err = transportError(err)
		var ne net.Error
		x.TimedOut = errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
		return
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	x.Elapsed = opts.Clock().Sub(start)
	x.Status = resp.StatusCode
	x.Location = resp.Header.Get("Location")
	x.BodyStart = printable(head)
}

// transportError strips the URL and method Go's client wraps errors in.
func transportError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

type built struct {
	body []byte
	id   string
}

// canonical serialises env compactly with sorted keys and no escapes: the
// form JSON.stringify and a Go map re-encoder reproduce byte for byte, so a
// receiver that verifies a re-serialised body still accepts it and the
// reformatted probe alone tells the two apart.
func canonical(env webhook.Envelope) built {
	tree, err := parseOrdered(env.Marshal())
	if err != nil {
		return built{env.Marshal(), env.EventID}
	}
	return built{jsonForm{sortKeys: true}.encode(tree), env.EventID}
}

// reformattedBody writes env as a different but equivalent JSON text:
// pretty-printed, keys in reverse order, and the title with \u escapes, so
// that any parse-and-re-encode changes its bytes.
func reformattedBody(env webhook.Envelope) []byte {
	tree, err := parseOrdered(env.Marshal())
	if err != nil {
		return env.Marshal()
	}
	reverse(tree)
	setTitle(tree, "contio-doctor test delivery <reformatted> & escaped – safe to ignore")
	return jsonForm{indent: "  ", escape: escapeASCII}.encode(tree)
}

func reverse(n *jsonNode) {
	if n.kind == '{' {
		for i, j := 0, len(n.keys)-1; i < j; i, j = i+1, j-1 {
			n.keys[i], n.keys[j] = n.keys[j], n.keys[i]
			n.elems[i], n.elems[j] = n.elems[j], n.elems[i]
		}
	}
	for _, e := range n.elems {
		reverse(e)
	}
}

func setTitle(n *jsonNode, title string) {
	for i, k := range n.keys {
		if k == "title" && n.elems[i].kind == 's' {
			n.elems[i].str = title
		}
		setTitle(n.elems[i], title)
	}
}

func maskSignature(h string) string {
	if len(h) <= len(webhook.Prefix)+8 {
		return h
	}
	return h[:len(webhook.Prefix)+8] + "…(masked)"
}

func printable(b []byte) string {
	s := strings.ToValidUTF8(string(b), "?")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(b) == 200 {
		s += "…"
	}
	return s
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
