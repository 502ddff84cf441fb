package checks

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:      "CD1005",
	Name:    "credential-wrong-kind",
	Guide:   contio.GuideInvalidClient,
	Title:   "A credential slot holds a different kind of credential",
	Symptom: "The token endpoint answers invalid_client, or admin calls answer 401, although the value is a real Contio credential.",
	Cause: "A value ended up in the wrong slot: an access or refresh token (cto_at_v1_…, cto_rt_v1_…) or a JWT where the client secret belongs, " +
		"a whole `Basic …` header or its base64 stored as the secret, the client ID repeated as the secret, or the API key and the client secret swapped. " +
		"Each is a valid credential for something else, so nothing looks wrong until Contio rejects it.",
	Fix: "Put each value from the Contio Partner Dashboard in its own slot: the client ID and client secret from the app's OAuth settings, " +
		"the API key from its admin settings, the webhook secret from its webhook settings. Tokens are what the token endpoint returns; they are never configured as client credentials.",
	Verifies: "no client ID, client secret, API key or webhook secret has the shape of a token, a JWT or a Basic header, and the client secret, client ID and API key all differ.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      credentialWrongKind,
})

// credentialShape says what raw looks like when it is not a plain secret,
// or "" when nothing is recognised. clientID lets a stored Basic
// credential be recognised by its decoded "<client_id>:" prefix.
func credentialShape(raw, clientID string) string {
	v := strings.TrimSpace(raw)
	lower := strings.ToLower(v)
	switch {
	case strings.HasPrefix(v, contio.AccessTokenPrefix):
		return "an access token (" + contio.AccessTokenPrefix + "…)"
	case strings.HasPrefix(v, contio.RefreshTokenPrefix):
		return "a refresh token (" + contio.RefreshTokenPrefix + "…)"
	case isJWTShape(v):
		return "a JWT (eyJ…, an ID token or an old-style access token)"
	case strings.HasPrefix(lower, "basic "):
		return "a whole Authorization header value (Basic …)"
	case strings.HasPrefix(lower, "bearer "):
		return "a whole Authorization header value (Bearer …)"
	}
	if clientID != "" {
		if dec, err := base64.StdEncoding.DecodeString(v); err == nil && strings.HasPrefix(string(dec), clientID+":") {
			return "the base64 of client_id:client_secret (the Basic credential, not the secret)"
		}
	}
	return ""
}

func credentialWrongKind(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	clientID := ig.OAuth.ClientID.Raw
	slots := []integration.Secret{
		{Name: "oauth.client_id", Value: ig.OAuth.ClientID},
		{Name: "oauth.client_secret", Value: ig.OAuth.ClientSecret},
		{Name: "admin.api_key", Value: ig.Admin.APIKey},
		{Name: "admin.client_id", Value: ig.Admin.ClientID},
		{Name: "webhooks.secret", Value: ig.Webhooks.Secret},
	}
	var out []Finding
	for _, s := range slots {
		if s.Value.Raw == "" {
			continue
		}
		if shape := credentialShape(s.Value.Raw, clientID); shape != "" {
			out = append(out, Finding{
				Message:  fmt.Sprintf("%s holds %s", s.Name, shape),
				Location: s.Value.From,
				Evidence: mask(s.Name, s.Value.Raw),
			})
		}
	}
	// Pairs that must differ; the finding points at the second, the slot
	// that most likely received the wrong value.
	same := []struct {
		a, b integration.Secret
		why  string
	}{
		{slots[0], slots[1], "the client secret is the client ID"},
		{slots[2], slots[1], "the client secret is the admin API key"},
		{slots[0], slots[2], "the API key is the client ID"},
		// The webhook secret's reuse is CD7005's.
	}
	for _, p := range same {
		if p.a.Value.Raw == "" || p.a.Value.Raw != p.b.Value.Raw {
			continue
		}
		out = append(out, Finding{
			Message:  fmt.Sprintf("%s equals %s: %s", p.b.Name, p.a.Name, p.why),
			Location: p.b.Value.From,
			Evidence: fmt.Sprintf("%s and %s are both %s", p.a.Name, p.b.Name, mask(p.b.Name, p.b.Value.Raw)),
		})
	}
	return out, nil
}
