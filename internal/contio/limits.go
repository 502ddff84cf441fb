package contio

import "time"

// Class is an endpoint class: it decides the auth scheme and the rate limit.
type Class string

// Endpoint classes.
const (
	ClassOAuth  Class = "oauth"
	ClassUser   Class = "user"
	ClassAdmin  Class = "admin"
	ClassPublic Class = "public"
)

// LimitScope says who shares one rate-limit budget.
type LimitScope string

// Limit scopes.
const (
	// PerCredential: each client, API key or token counts apart (the
	// troubleshooting guide's "per endpoint type" limits).
	PerCredential LimitScope = "credential"
	// PerIP: every request from one source address counts together, whatever
	// credential it carries (the API guide's AWS WAF limits).
	PerIP LimitScope = "ip"
)

// DocPage is a page of Contio's documentation a fact comes from.
type DocPage struct {
	Title string
	URL   string
}

// The pages the rate-limit figures come from.
var (
	PageTroubleshooting = DocPage{"troubleshooting guide", GuideBaseURL}
	PageAPIGuide        = DocPage{"API guide", "https://docs.contio.ai/partner-api/guides/api-guide/"}
)

// RateLimit is a documented limit for one endpoint class.
type RateLimit struct {
	Class    Class
	Requests int
	Per      time.Duration
	// Scope says who shares the budget; Rolling is true for a sliding
	// window (a burst keeps counting until it slides out), false for a
	// fixed one.
	Scope   LimitScope
	Rolling bool
	// Source is the page that states the figure.
	Source DocPage
}

// PerMinute is the limit scaled to one minute (the average a window allows).
func (l RateLimit) PerMinute() float64 {
	return float64(l.Requests) * float64(time.Minute) / float64(l.Per)
}

// RateLimits are the troubleshooting guide's limits per class: requests per
// minute, counted per credential. The sandbox enforces these.
var RateLimits = []RateLimit{
	{ClassUser, 100, time.Minute, PerCredential, false, PageTroubleshooting},
	{ClassAdmin, 50, time.Minute, PerCredential, false, PageTroubleshooting},
	{ClassOAuth, 20, time.Minute, PerCredential, false, PageTroubleshooting},
}

// IPRateLimits are the API guide's limits per class: AWS WAF counts every
// request from one IP address over a rolling 5 minutes, so all users and
// credentials behind one egress address share them. The two pages disagree;
// the doctor holds an integration to both.
var IPRateLimits = []RateLimit{
	{ClassUser, 1000, 5 * time.Minute, PerIP, true, PageAPIGuide},
	{ClassAdmin, 500, 5 * time.Minute, PerIP, true, PageAPIGuide},
	{ClassOAuth, 100, 5 * time.Minute, PerIP, true, PageAPIGuide},
}

// LimitFor returns the per-minute limit of a class, or 0 when none is documented.
func LimitFor(c Class) int {
	for _, l := range RateLimits {
		if l.Class == c {
			return l.Requests
		}
	}
	return 0
}

// LimitsFor returns every documented limit of a class: the guide's per
// credential, then the API guide's per IP.
func LimitsFor(c Class) []RateLimit {
	var out []RateLimit
	for _, set := range [][]RateLimit{RateLimits, IPRateLimits} {
		for _, l := range set {
			if l.Class == c {
				out = append(out, l)
			}
		}
	}
	return out
}

// Token lifetimes and formats.
const (
	AccessTokenPrefix  = "cto_at_v1_"
	RefreshTokenPrefix = "cto_rt_v1_"

	AccessTokenTTL  = 24 * time.Hour
	RefreshTokenTTL = 30 * 24 * time.Hour
	IDTokenTTL      = 24 * time.Hour
	AuthCodeTTL     = 5 * time.Minute
	OTPTTL          = 3 * time.Minute
	SessionTTL      = 30 * time.Minute

	// WebhookResponseDeadline is how long Contio waits for a webhook 2xx.
	WebhookResponseDeadline = 5 * time.Second
	// SignatureHeader carries the webhook HMAC.
	SignatureHeader = "X-Contio-Signature"
	// SignaturePrefix precedes the lower-case hex digest.
	SignaturePrefix = "sha256="
)
