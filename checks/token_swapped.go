package checks

import (
	"context"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD3101",
	Name:    "token-slots-swapped",
	Guide:   contio.GuideInvalidGrant,
	Title:   "The access token and the refresh token are in each other's place",
	Symptom: "Refreshing answers invalid_grant, and user calls answer 401 invalid_token, with tokens that were just issued.",
	Cause: "Contio tokens say what they are: access tokens start with cto_at_v1_, refresh tokens with cto_rt_v1_. " +
		"A refresh token sent as the Bearer token, or an access token sent to grant_type=refresh_token, is rejected; " +
		"the usual cause is reading the token response's fields into the wrong variables.",
	Fix: "Store access_token from the token response as the access token and refresh_token as the refresh token; " +
		"send the first as `Authorization: Bearer` and the second only to POST /oauth2/token with grant_type=refresh_token.",
	Verifies: "tokens.access_token is not a refresh token and tokens.refresh_token is not an access token or a JWT.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      tokenSlotsSwapped,
})

func tokenSlotsSwapped(_ context.Context, in *Input) ([]Finding, error) {
	t := in.Integration.Tokens
	var out []Finding
	if tokenKind(t.AccessToken.Raw) == "refresh" {
		out = append(out, Finding{
			Message:  "tokens.access_token holds a refresh token (" + contio.RefreshTokenPrefix + "…); access tokens start with " + contio.AccessTokenPrefix,
			Location: t.AccessToken.From,
			Evidence: mask("tokens.access_token", t.AccessToken.Raw),
		})
	}
	switch tokenKind(t.RefreshToken.Raw) {
	case "access":
		out = append(out, Finding{
			Message:  "tokens.refresh_token holds an access token (" + contio.AccessTokenPrefix + "…); refresh tokens start with " + contio.RefreshTokenPrefix,
			Location: t.RefreshToken.From,
			Evidence: mask("tokens.refresh_token", t.RefreshToken.Raw),
		})
	case "jwt":
		out = append(out, Finding{
			Message:  "tokens.refresh_token holds a JWT (eyJ…, most likely the ID token); refresh tokens start with " + contio.RefreshTokenPrefix,
			Location: t.RefreshToken.From,
			Evidence: mask("tokens.refresh_token", t.RefreshToken.Raw),
		})
	}
	return out, nil
}
