package checks

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/redact"
)

var _ = register(&Check{
	ID:      "CD1105",
	Name:    "basic-auth-credential-mismatch",
	Guide:   contio.GuideBasicAuthEncoding,
	Title:   "The Basic header encodes other credentials than the configured ones",
	Symptom: "The token endpoint answers invalid_client while the configured client ID and secret are right (a live check with them passes).",
	Cause: "The header the code sends was built from different values than the ones configured: a secret from before a rotation, " +
		"credentials of another environment or app, a hard-coded header, or the ID and secret swapped.",
	Fix:      "Build the header at run time from the same client ID and secret the app is configured with, instead of storing a precomputed value." + basicAuthInCode,
	Verifies: "the Basic credentials decode to exactly oauth.client_id and oauth.client_secret (raw or form-urlencoded).",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      basicAuthMismatch,
})

func basicAuthMismatch(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	id, secret := ig.OAuth.ClientID.Raw, ig.OAuth.ClientSecret.Raw
	if id == "" && secret == "" {
		return nil, Skip("no client credentials to compare with", "set oauth.client_id and oauth.client_secret")
	}
	list, err := decodedBasic(ig)
	if err != nil {
		return nil, err
	}
	var out []Finding
	for _, b := range list {
		dec := withoutLineEnd(b.decoded)
		gotID, gotSecret, found := strings.Cut(dec, ":")
		if !found {
			continue // CD1104
		}
		if matches(gotID, id) && matches(gotSecret, secret) {
			continue
		}
		var parts []string
		switch {
		case id != "" && secret != "" && matches(gotID, secret) && matches(gotSecret, id):
			parts = append(parts, "the client ID and the secret are swapped (it encodes client_secret:client_id)")
		default:
			if id != "" && !matches(gotID, id) {
				parts = append(parts, idDifference(ig, gotID, id))
			}
			if secret != "" && !matches(gotSecret, secret) {
				parts = append(parts, secretDifference(ig, gotSecret, secret))
			}
		}
		f := Finding{Message: b.name + ": " + joinAnd(parts), Location: b.v.From, Commands: basicAuthCommands}
		if secret != "" && !matches(gotSecret, secret) {
			f.Evidence = fmt.Sprintf("secret in the header %s, oauth.client_secret %s", redact.Fingerprint(gotSecret), redact.Fingerprint(secret))
		}
		out = append(out, f)
	}
	return out, nil
}

// matches accepts the value as the SDK sends it (raw) and as RFC 6749
// §2.3.1 asks (form-urlencoded); CD1003 covers the difference. A header
// built from the configured value minus its stray characters or quotes
// also matches: CD1001 and CD1002 report those on the configured value.
func matches(got, want string) bool {
	if got == want || got == withoutStray(want) {
		return true
	}
	dec, err := url.QueryUnescape(got)
	return err == nil && dec == want
}

// withoutStray is v without the characters CD1001 and CD1002 report:
// surrounding spaces and quotes, and any non-printable character.
func withoutStray(v string) string {
	v = strings.Map(func(r rune) rune {
		if strayRune(r) {
			return -1
		}
		return r
	}, v)
	v = strings.TrimSpace(v)
	if quotedValue(v) {
		v = v[1 : len(v)-1]
	}
	return v
}

// idDifference says how the client ID part differs. Client IDs are not
// secret, but the part is shown only when it is not some other secret.
func idDifference(ig *integration.Integration, got, want string) string {
	for _, s := range ig.Secrets() {
		if s.Value.Raw == got {
			return fmt.Sprintf("the client ID part is the value of %s, not oauth.client_id %q", s.Name, want)
		}
	}
	if strings.TrimSpace(got) == want {
		return fmt.Sprintf("the client ID part is %q, oauth.client_id %q with whitespace around it", got, want)
	}
	return fmt.Sprintf("the client ID part is %q but oauth.client_id is %q", got, want)
}

// secretDifference says how the secret part differs, without showing either.
func secretDifference(ig *integration.Integration, got, want string) string {
	switch {
	case got == "":
		return "the secret part is empty"
	case strings.TrimSpace(got) == want:
		return "the secret part is oauth.client_secret with whitespace around it"
	case ig.Admin.APIKey.Raw != "" && got == ig.Admin.APIKey.Raw:
		return "the secret part is the admin API key, not oauth.client_secret"
	case ig.Webhooks.Secret.Raw != "" && got == ig.Webhooks.Secret.Raw:
		return "the secret part is the webhook secret, not oauth.client_secret"
	case len(got) != len(want):
		return fmt.Sprintf("the secret part differs from oauth.client_secret (%d characters instead of %d)", len(got), len(want))
	}
	return "the secret part differs from oauth.client_secret (same length, different value: an older or another app's secret?)"
}
