package checks

import "testing"

func TestAuthorizationCodeAsToken(t *testing.T) {
	tokenCases(t, "CD3103", []struct {
		name            string
		access, refresh string
		want            []string
	}{
		{"code as access token", "SplxlOBeZQQYbYS6WxSbIA", testRT, []string{"tokens.access_token is a short opaque value (22 characters)|authorization code"}},
		{"uuid as refresh token", testAT, "3f0c2a9e-8b1d-4c6e-9a7f-0d2b4e6f8a1c", []string{"tokens.refresh_token"}},
		{"real tokens", testAT, testRT, nil},
		{"placeholder is CD1004's business", "YOUR_ACCESS_TOKEN", testRT, nil},
		{"long foreign token is CD3104's", "ya29.a0AfB_byC3kQ7mLrTnXvPzW8dHsJ2fG5tYuIoP1aSdFgHjKlZxCvBnM9qWeRtYuIoPaSdFgHjKl", testRT, nil},
	})
}
