package checks

import (
	"context"
	"fmt"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/uri"
)

var _ = register(&Check{
	ID:    "CD2002",
	Name:  "token-redirect-uri-mismatch",
	Guide: contio.GuideInvalidRequest,
	Title: "The token exchange sends a different redirect_uri than the authorization request",
	Symptom: "The user gets through login and consent, then exchanging the code at /oauth2/token fails with HTTP 400 invalid_request " +
		"(some servers say invalid_grant).",
	Cause: "When the authorization request carried a redirect_uri, the token request must repeat the identical string (RFC 6749 §4.1.3). " +
		"Apps that build the URI in two places (a login route and a callback handler, or the SDK config and a hand-written exchange) " +
		"drift apart by a slash, a scheme or an encoding.",
	Fix: "Build the redirect URI once, from configuration, and pass the same value to the authorization URL and to the code exchange. " +
		"With the SDK, the redirectUri in its config is used for both.",
	Verifies: "the token exchange's redirect_uri (oauth.token_redirect_uri, default oauth.redirect_uri) equals the authorization request's byte for byte.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      tokenRedirectURIMismatch,
})

func tokenRedirectURIMismatch(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	if !ig.OAuth.RedirectURI.Set {
		return nil, Skip("no redirect_uri configured", "set oauth.redirect_uri to the value your code sends")
	}
	tok, req := ig.EffectiveTokenRedirectURI(), ig.OAuth.RedirectURI
	if tok.Raw == req.Raw {
		return nil, nil
	}
	// No loopback port leeway here: the two requests come from the same app
	// and must carry the identical string.
	return []Finding{{
		Message: fmt.Sprintf("token_redirect_uri %q differs from the authorization request's redirect_uri %q: %s",
			tok.Raw, req.Raw, uri.Describe(uri.Diff(tok.Raw, req.Raw))),
		Evidence: redirectDiffEvidence("token exchange", tok.Raw, "authorization", req.Raw),
		Location: tok.From,
		Fix:      fmt.Sprintf("Send redirect_uri=%q in the code exchange, the same string the authorization request carried.", req.Raw),
	}}, nil
}
