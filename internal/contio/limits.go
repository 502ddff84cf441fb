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

// RateLimit is a documented limit for one endpoint class.
type RateLimit struct {
	Class    Class
	Requests int
	Per      time.Duration
}

// RateLimits are the documented limits per class.
var RateLimits = []RateLimit{
	{ClassUser, 100, time.Minute},
	{ClassAdmin, 50, time.Minute},
	{ClassOAuth, 20, time.Minute},
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
