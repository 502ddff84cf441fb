package checks

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/probe"
)

var _ = register(&Check{
	ID:    "CD6501",
	Name:  "auth-host-reachable",
	Guide: contio.GuideNetworkError,
	Title: "The OAuth host cannot be reached",
	Symptom: "Every OAuth call (authorize, token exchange, introspection) fails with no response, " +
		"and the SDK reports network_error.",
	Cause:    "DNS, the TCP connection, the TLS handshake or the first HTTP response failed between this machine and auth_url.",
	Fix:      "Follow the failed step named in the finding: the host name, the firewall, the proxy or the certificate.",
	Verifies: "auth_url resolves, accepts a TLS connection with a valid certificate and answers HTTP.",
	Severity: SeverityError,
	Needs:    NeedsNetwork,
	Safety:   1,
	Requires: probing,
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		return hostReachable(ctx, in, true)
	},
})

var _ = register(&Check{
	ID:    "CD6502",
	Name:  "api-host-reachable",
	Guide: contio.GuideNetworkError,
	Title: "The API host cannot be reached",
	Symptom: "User and admin API calls fail with no response, and the SDK reports network_error " +
		"(\"No response received from server\").",
	Cause:    "DNS, the TCP connection, the TLS handshake or the first HTTP response failed between this machine and api_url.",
	Fix:      "Follow the failed step named in the finding: the host name, the firewall, the proxy or the certificate.",
	Verifies: "api_url resolves, accepts a TLS connection with a valid certificate and answers HTTP.",
	Severity: SeverityError,
	Needs:    NeedsNetwork,
	Safety:   1,
	Requires: probing,
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		return hostReachable(ctx, in, false)
	},
})

// certWarnDays: a certificate closer than this to expiry is worth a warning.
const certWarnDays = 14

// reach is the memoised first contact with one host.
// reach is the first contact with one host.
type reach struct {
	resp *probe.Response
	err  error
	url  string
	// name is the config key of the host ("auth_url"), check the ID of
	// the check that reports it.
	name, check string
}

// authContact and apiContact make the first contact with each host, with
// no credentials. Other probes go out at the same time; only when one of
// them gets no answer does it read these, to tell a host that answers
// nothing (blocked by this problem) from an endpoint that fails.
var (
	authContact = &diagnosis.Fact[*reach]{Name: "auth host contact", Requires: []diagnosis.Requirement{liveHosts},
		Compute: func(ctx context.Context, in *Input) (*reach, error) { return contact(ctx, in, true) }}
	apiContact = &diagnosis.Fact[*reach]{Name: "API host contact", Requires: []diagnosis.Requirement{liveHosts},
		Compute: func(ctx context.Context, in *Input) (*reach, error) { return contact(ctx, in, false) }}
)

func contact(ctx context.Context, in *Input, auth bool) (*reach, error) {
	l, err := liveHosts.Of(ctx, in)
	if err != nil {
		return nil, err
	}
	r := &reach{name: "api_url", check: "CD6502"}
	if auth {
		r.name, r.check = "auth_url", "CD6501"
		r.url, err = l.authEndpoint("/.well-known/jwks.json")
	} else {
		r.url, err = l.apiEndpoint("/")
	}
	if err != nil {
		return nil, err
	}
	r.resp, r.err = l.Probe.Do(ctx, probe.Request{Method: "GET", URL: r.url, Class: contio.ClassPublic,
		Header: http.Header{"Accept": {"application/json"}}, Purpose: "first contact with the host (no credentials)"})
	return r, nil
}

// blocker is the problem a failed contact blocks other checks by, or nil
// when the host answered.
func (r *reach) blocker() *diagnosis.Blocker {
	var te *probe.TransportError
	if r.err == nil || !errors.As(r.err, &te) {
		return nil
	}
	return &diagnosis.Blocker{Root: networkRoot(te.Failure), Check: r.check, Reason: te.Describe(),
		Finding: networkFinding(r.name+" "+hostPart(r.url), r.err)}
}

// contactFor returns the first contact with the host of raw, or nil.
func (l *Live) contactFor(ctx context.Context, in *Input, raw string) *reach {
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	for _, f := range []*diagnosis.Fact[*reach]{authContact, apiContact} {
		r, err := f.Of(ctx, in)
		if err == nil && hostPart(r.url) == u.Host {
			return r
		}
	}
	return nil
}

func hostReachable(ctx context.Context, in *Input, auth bool) ([]Finding, error) {
	f := apiContact
	loc := in.Integration.APIURL.From
	if auth {
		f, loc = authContact, in.Integration.AuthURL.From
	}
	r, err := f.Of(ctx, in)
	if err != nil {
		return nil, err
	}
	if r.err != nil {
		if s := budgetOrLimited(r.err); s != nil {
			return nil, s
		}
		nf := networkFinding(r.name+" "+hostPart(r.url), r.err)
		nf.Location = loc
		return []Finding{nf}, nil
	}
	var out []Finding
	if st := r.resp.TLS; st != nil {
		out = append(out, tlsFindings(st, hostPart(r.url), probeNow(in), r.name)...)
	}
	for i := range out {
		out[i].Location = loc
	}
	return out, nil
}

func hostPart(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Host
}

func tlsFindings(st *tls.ConnectionState, host string, now time.Time, name string) []Finding {
	var out []Finding
	if st.Version < tls.VersionTLS12 {
		out = append(out, Finding{
			Severity: SeverityWarning,
			Message:  fmt.Sprintf("%s %s negotiated %s; TLS 1.2 or newer is expected", name, host, tls.VersionName(st.Version)),
			Cause:    "An old TLS version was negotiated, usually because a proxy in between or an outdated client library downgraded the connection.",
			Fix:      "Update the TLS stack or the proxy so that TLS 1.2 or 1.3 is used.",
		})
	}
	if len(st.PeerCertificates) > 0 {
		leaf := st.PeerCertificates[0]
		days := int(leaf.NotAfter.Sub(now).Hours() / 24)
		if days < certWarnDays {
			out = append(out, Finding{
				Severity: SeverityWarning,
				Message:  fmt.Sprintf("%s %s presents a certificate that expires in %d days (%s)", name, host, days, leaf.NotAfter.UTC().Format("2006-01-02")),
				Cause:    "The certificate this machine sees is close to expiry. For a Contio host this usually means an intercepting proxy re-signs traffic with its own certificate.",
				Fix:      "If a proxy intercepts TLS, renew its certificate; otherwise report the expiry date to Contio support.",
				Evidence: fmt.Sprintf("issuer %q, subject %q", leaf.Issuer.CommonName, leaf.Subject.CommonName),
			})
		}
	}
	return out
}

var _ = register(&Check{
	ID:    "CD6503",
	Name:  "clock-skew",
	Guide: contio.GuideNone,
	Title: "This machine's clock differs from the server's",
	Symptom: "Tokens look expired too early or too late, and anything that compares timestamps " +
		"(token expiry, rate-limit resets) behaves oddly.",
	Cause:    "The local clock is off. The SDK compares a token's expiry with the local clock, with no margin.",
	Fix:      "Enable time synchronisation (NTP) on the machine that runs the integration.",
	Verifies: "The local clock is within 60 s of the Date header the API sends.",
	Severity: SeverityWarning,
	Needs:    NeedsNetwork,
	Safety:   1,
	Requires: probing,
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		var blocked error
		for _, f := range []*diagnosis.Fact[*reach]{apiContact, authContact} {
			r, err := f.Of(ctx, in)
			if err != nil {
				return nil, err
			}
			if r.err != nil {
				if b := r.blocker(); b != nil {
					blocked = b
				}
				continue
			}
			if r.resp == nil {
				continue
			}
			h := r.resp.Header
			if h.Get("Age") != "" || h.Get("Date") == "" {
				continue // a cached answer's Date is not the server's now
			}
			date, err := http.ParseTime(h.Get("Date"))
			if err != nil {
				continue
			}
			// The Date has one-second resolution and was stamped during the
			// request: compare with the request's midpoint.
			local := probeNow(in)
			skew := local.Sub(date)
			if skew < 0 {
				skew = -skew
			}
			if skew <= 60*time.Second {
				return nil, nil
			}
			dir := "ahead of"
			if local.Before(date) {
				dir = "behind"
			}
			return []Finding{{
				Message:  fmt.Sprintf("the local clock is %s %s the server's (%s)", skew.Round(time.Second), dir, hostPart(r.url)),
				Evidence: fmt.Sprintf("server Date: %s; local: %s", date.UTC().Format(time.RFC1123), local.UTC().Format(time.RFC1123)),
			}}, nil
		}
		if blocked != nil {
			return nil, blocked
		}
		return nil, Skip("no response carried a usable Date header", "check that the hosts are reachable (CD6501, CD6502)")
	},
})
