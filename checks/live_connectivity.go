package checks

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/url"
	"time"

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
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		return hostReachable(ctx, in, false)
	},
})

// certWarnDays: a certificate closer than this to expiry is worth a warning.
const certWarnDays = 14

// reach is the memoised first contact with one host.
type reach struct {
	resp *probe.Response
	err  error
	url  string
}

// contact sends one public GET to a host, once per run.
func (l *Live) contact(ctx context.Context, auth bool) (*reach, error) {
	key := "contact:api"
	if auth {
		key = "contact:auth"
	}
	v, err := l.Probe.Once(key, func() (any, error) {
		var u string
		var err error
		if auth {
			u, err = l.authEndpoint("/.well-known/jwks.json")
		} else {
			u, err = l.apiEndpoint("/")
		}
		if err != nil {
			return nil, err
		}
		resp, err := l.Probe.Do(ctx, probe.Request{Method: "GET", URL: u, Class: contio.ClassPublic,
			Header: http.Header{"Accept": {"application/json"}}, Purpose: "first contact with the host (no credentials)"})
		return &reach{resp: resp, err: err, url: u}, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*reach), nil
}

func hostReachable(ctx context.Context, in *Input, auth bool) ([]Finding, error) {
	l, err := liveOf(in)
	if err != nil {
		return nil, err
	}
	r, err := l.contact(ctx, auth)
	if err != nil {
		return nil, err
	}
	loc := in.Integration.APIURL.From
	name := "api_url"
	if auth {
		loc, name = in.Integration.AuthURL.From, "auth_url"
	}
	if r.err != nil {
		if s := budgetOrLimited(r.err); s != nil {
			return nil, s
		}
		f := networkFinding(name+" "+hostPart(r.url), r.err)
		f.Location = loc
		return []Finding{f}, nil
	}
	var out []Finding
	if st := r.resp.TLS; st != nil {
		out = append(out, tlsFindings(st, hostPart(r.url), probeNow(in), name)...)
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
	Run: func(ctx context.Context, in *Input) ([]Finding, error) {
		l, err := liveOf(in)
		if err != nil {
			return nil, err
		}
		for _, auth := range []bool{false, true} {
			r, err := l.contact(ctx, auth)
			if err != nil || r.err != nil || r.resp == nil {
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
		return nil, Skip("no response carried a usable Date header", "check that the hosts are reachable (CD6501, CD6502)")
	},
})
