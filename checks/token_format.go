package checks

import (
	"context"
	"fmt"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:      "CD3104",
	Name:    "token-format-unrecognised",
	Guide:   contio.GuideInvalidGrant,
	Title:   "A configured token is not in Contio's token format",
	Symptom: "Calls with the token may answer 401 invalid_token.",
	Cause: "Current Contio tokens are opaque strings with a typed prefix: cto_at_v1_ for access tokens, cto_rt_v1_ for refresh tokens. " +
		"A value without it may come from another environment or provider, an older token format, or a copy that lost its beginning.",
	Fix: "Take the tokens from a fresh token response of this environment's POST /oauth2/token; " +
		"check what the server thinks of one with POST /oauth2/introspect.",
	Verifies: "tokens.access_token starts with cto_at_v1_ and tokens.refresh_token with cto_rt_v1_.",
	Severity: SeverityInfo,
	Needs:    NeedsConfig,
	Run:      tokenFormatUnrecognised,
})

func tokenFormatUnrecognised(_ context.Context, in *Input) ([]Finding, error) {
	t := in.Integration.Tokens
	var out []Finding
	for _, s := range []struct {
		integration.Secret
		prefix string
	}{
		{integration.Secret{Name: "tokens.access_token", Value: t.AccessToken}, contio.AccessTokenPrefix},
		{integration.Secret{Name: "tokens.refresh_token", Value: t.RefreshToken}, contio.RefreshTokenPrefix},
	} {
		// Only "other": the other shapes have their own checks (CD3101-CD3103, CD4106, CD1004).
		if tokenKind(s.Value.Raw) != "other" {
			continue
		}
		out = append(out, Finding{
			Message:  fmt.Sprintf("%s does not start with %s", s.Name, s.prefix),
			Location: s.Value.From,
			Evidence: mask(s.Name, s.Value.Raw),
			Commands: []string{exampleCurl(in.Integration, "POST", "/oauth2/introspect")},
		})
	}
	return out, nil
}
