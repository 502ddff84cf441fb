package checks

import "testing"

func TestIDTokenAsAccessToken(t *testing.T) {
	tokenCases(t, "CD3102", []struct {
		name            string
		access, refresh string
		want            []string
	}{
		{"jwt", testJW, testRT, []string{"tokens.access_token is a JWT"}},
		{"opaque", testAT, testRT, nil},
		{"jwt refresh is CD3101's", testAT, testJW, nil},
	})
}
