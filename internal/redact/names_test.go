package redact

import "testing"

func TestIsSecretName(t *testing.T) {
	secret := []string{
		"access_token", "accessToken", "AccessToken", "refreshToken", "refresh-token", "id_token", "token",
		"clientSecret", "client_secret", "X-Client-Secret", "x-api-key", "X-API-KEY", "api-key", "apiKey", "apikey",
		"api_key", "key", "jwt", "sig", "signature", "X-Contio-Signature", "password", "passwd", "otp", "code",
		"session", "sessionId", "session_id", "PHPSESSID", "Authorization", "Proxy-Authorization", "Cookie",
		"Set-Cookie", "x-auth-token", "X-CSRF-Token", "code_verifier", "client_assertion", "webhook_secret",
		"accesstoken", "clientsecret", "auth_code", "credentials", "data.access_token",
	}
	for _, n := range secret {
		if !IsSecretName(n) {
			t.Errorf("IsSecretName(%q) = false, want true", n)
		}
	}
	plain := []string{
		"token_type", "tokenType", "expires_in", "code_challenge_method", "error_code", "client_id", "clientId",
		"redirect_uri", "scope", "state", "email", "title", "Content-Type", "Accept", "error", "grant_type",
		"X-Client-ID", "X-Request-Id", "token_endpoint", "keyboard", "monkey_type",
	}
	for _, n := range plain {
		if IsSecretName(n) {
			t.Errorf("IsSecretName(%q) = true, want false", n)
		}
	}
}

func FuzzIsSecretName(f *testing.F) {
	for _, s := range []string{"accessToken", "X-API-Key", "HTTP_AUTH", "", "ÄÖtoken"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = IsSecretName(s)
	})
}
