package checks

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestCredentialPlaceholder(t *testing.T) {
	for _, p := range []string{"your-client-id", "YOUR_CLIENT_ID", "your client id here", "CLIENT_ID", "contio_client_id", "xxx", "XXXXXXXX",
		"changeme", "CHANGE_ME", "<client-id>", "[CLIENT_ID]", "{{client_id}}", "${CONTIO_CLIENT_ID}", "$CLIENT_ID", "TODO", "placeholder", `"your-client-id"`} {
		t.Run(p, func(t *testing.T) {
			ig := credIG()
			ig.OAuth.ClientID.Raw = p
			assertMessages(t, credMessages(t, "CD1004", ig), "oauth.client_id is ")
		})
	}
	for _, real := range []string{credID, "ctp_todoXXXchangeme1234", "3f1c9a2e-7b4d-4e8a-9c1f-2d5b6a7e8f90", "x"} {
		t.Run("real "+real, func(t *testing.T) {
			ig := credIG()
			ig.OAuth.ClientID.Raw = real
			assertMessages(t, credMessages(t, "CD1004", ig))
		})
	}
}

func TestCredentialPlaceholderSecretIsNotShown(t *testing.T) {
	ig := credIG()
	ig.OAuth.ClientSecret.Raw = "your-client-secret"
	assertMessages(t, credMessages(t, "CD1004", ig), "oauth.client_secret looks like a placeholder (template text)")
}

func TestCredentialPlaceholderEmpty(t *testing.T) {
	ig := credIG()
	ig.OAuth.ClientSecret.Raw = ""
	assertMessages(t, credMessages(t, "CD1004", ig), "oauth.client_secret is empty: $CONTIO_CLIENT_SECRET is defined as the empty string")

	// An empty API key is no fault when no call uses it.
	ig = credIG()
	ig.Admin.APIKey = integration.Value{Set: true}
	ig.Calls = nil
	assertMessages(t, credMessages(t, "CD1004", ig))
	ig.Calls = credIG().Calls
	assertMessages(t, credMessages(t, "CD1004", ig), "admin.api_key is set but empty")

	// Not configured at all is no placeholder.
	ig = credIG()
	ig.Webhooks.Secret = integration.Value{}
	assertMessages(t, credMessages(t, "CD1004", ig))
}
