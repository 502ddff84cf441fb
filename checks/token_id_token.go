package checks

import (
	"context"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD3102",
	Name:    "id-token-as-access-token",
	Guide:   contio.GuideInsufficientScope,
	Title:   "An ID token (JWT) is used as the access token",
	Symptom: "User calls answer 401 or 403 although sign-in succeeded and the token decodes fine.",
	Cause: "The token response carries two different tokens: id_token, a JWT (eyJ…) that tells the app who signed in, and access_token, " +
		"an opaque cto_at_v1_ value that opens the API. The ID token grants no API scopes; older examples showing JWT access tokens are out of date.",
	Fix:      "Send the token response's access_token as the Bearer token; keep the id_token only to identify the user.",
	Verifies: "tokens.access_token is not a JWT.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      idTokenAsAccessToken,
})

func idTokenAsAccessToken(_ context.Context, in *Input) ([]Finding, error) {
	t := in.Integration.Tokens.AccessToken
	if tokenKind(t.Raw) != "jwt" {
		return nil, nil
	}
	return []Finding{{
		Message:  "tokens.access_token is a JWT (eyJ… with two dots), the shape of an ID token; Contio access tokens are opaque and start with " + contio.AccessTokenPrefix,
		Location: t.From,
		Evidence: mask("tokens.access_token", t.Raw),
	}}, nil
}
