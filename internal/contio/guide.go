// Package contio holds what is true of the Contio Partner API: hosts, the
// endpoint catalogue, scopes, rate limits, token formats and the
// troubleshooting-guide entries checks map to. It is data, read by the
// checks, the probes and the sandbox alike.
package contio

// GuideKey names one entry of Contio's troubleshooting guide. The empty key
// marks a check that goes beyond the guide.
type GuideKey string

// The guide entries, in the order the guide lists them.
const (
	GuideInvalidGrant            GuideKey = "invalid_grant"
	GuideInvalidRequest          GuideKey = "invalid_request"
	GuideSessionExpired          GuideKey = "session_expired"
	GuideInvalidCode             GuideKey = "invalid_code"
	GuideInvalidClient           GuideKey = "invalid_client"
	GuideInsufficientScope       GuideKey = "insufficient_scope"
	GuidePartialScope            GuideKey = "partial_scope"
	GuideMethodNotAllowed        GuideKey = "method_not_allowed"
	GuideAuthMethod              GuideKey = "auth_method"
	GuideMissingClientID         GuideKey = "missing_client_id"
	GuideBasicAuthEncoding       GuideKey = "basic_auth_encoding"
	GuideRateLimitExceeded       GuideKey = "rate_limit_exceeded"
	GuideNetworkError            GuideKey = "network_error"
	GuideWebhookSignature        GuideKey = "webhook_signature"
	GuideWebhookMissingSignature GuideKey = "webhook_missing_signature"
	GuideNone                    GuideKey = ""
)

// GuideBaseURL is the troubleshooting guide's address.
const GuideBaseURL = "https://docs.contio.ai/partner-api/guides/troubleshooting/"

// GuideEntry is one heading of the troubleshooting guide.
type GuideEntry struct {
	Key     GuideKey
	Heading string
	Anchor  string
	// Section is the guide's top-level section the entry sits in.
	Section string
}

// URL is the entry's address, anchor included.
func (g GuideEntry) URL() string {
	if g.Anchor == "" {
		return ""
	}
	return GuideBaseURL + "#" + g.Anchor
}

// Guide lists the entries in guide order. The report groups results by it.
var Guide = []GuideEntry{
	{GuideInvalidGrant, "invalid_grant - Authorization Code Failed", "invalid_grant-authorization-code-failed", "OAuth Authentication"},
	{GuideInvalidRequest, "invalid_request - Request Parameter Issues", "invalid_request-request-parameter-issues", "OAuth Authentication"},
	{GuideSessionExpired, "session_expired - OTP Session Timeout", "session_expired-otp-session-timeout", "OAuth Authentication"},
	{GuideInvalidCode, "invalid_code - OTP Verification Failed", "invalid_code-otp-verification-failed", "OAuth Authentication"},
	{GuideInvalidClient, "invalid_client - Bad Credentials", "invalid_client-bad-credentials", "OAuth Authentication"},
	{GuideInsufficientScope, "insufficient_scope - Access Token Has No Scopes", "insufficient_scope-access-token-has-no-scopes", "OAuth Authentication"},
	{GuidePartialScope, "Token Has Fewer Scopes Than Requested", "token-has-fewer-scopes-than-requested", "OAuth Authentication"},
	{GuideMethodNotAllowed, "405 Method Not Allowed", "405-method-not-allowed", "OAuth Authentication"},
	{GuideAuthMethod, "Authentication Method Confusion", "authentication-method-confusion", "OAuth Authentication"},
	{GuideMissingClientID, "Missing X-Client-ID Header", "missing-x-client-id-header", "OAuth Authentication"},
	{GuideBasicAuthEncoding, "Basic Auth Encoding Issues", "basic-auth-encoding-issues", "OAuth Authentication"},
	{GuideRateLimitExceeded, "rate_limit_exceeded - Too Many Requests", "rate_limit_exceeded-too-many-requests", "API Requests"},
	{GuideNetworkError, "network_error - No Response", "network_error-no-response", "API Requests"},
	{GuideWebhookSignature, "Signature Verification Failed", "signature-verification-failed", "Webhook Issues"},
	{GuideWebhookMissingSignature, "Missing Signature Header", "missing-signature-header", "Webhook Issues"},
	{GuideNone, "Beyond the guide", "", "Beyond the guide"},
}

// LookupGuide returns the entry for key; ok is false for an unknown key.
func LookupGuide(key GuideKey) (GuideEntry, bool) {
	for _, g := range Guide {
		if g.Key == key {
			return g, true
		}
	}
	return GuideEntry{}, false
}
